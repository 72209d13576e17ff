import CloudAPI
import CloudCore
import CloudModel
import Foundation
import Testing

@Suite("Cloud metadata: capabilities, OS types, hypervisors, regions, storage providers")
struct MetadataCommandTests {
    /// The status and `errortext` of a call expected to fail.
    static func failure(
        _ cloud: TestCloud,
        _ command: String,
        _ parameters: [String: String] = [:],
        keys: (String, String)? = nil
    ) async -> (Int, String) {
        let (status, body) = await cloud.call(command, parameters, keys: keys)
        return (status, body["errortext"]?.stringValue ?? "")
    }

    @Test func capabilitiesCarryCloudStackFieldsAndTheSettings() async throws {
        let cloud = try await TestCloud.make()
        let keys = try await cloud.makeUser("capuser")
        let (status, body) = await cloud.call("listCapabilities", keys: keys)
        #expect(status == 200)
        let capability = try #require(body["capability"])
        #expect(capability["cloudstackversion"]?.stringValue == "4.19.0")
        #expect(capability["securitygroupsenabled"] == .bool(false))
        #expect(capability["supportELB"] == .string("false"))
        #expect(capability["userpublictemplateenabled"] == .bool(true))
        #expect(capability["allowusercreateprojects"] == .bool(true))
        #expect(capability["customdiskofferingminsize"]?.int == 1)
        #expect(capability["customdiskofferingmaxsize"]?.int == 1024)
        #expect(capability["kvmsnapshotenabled"] == .bool(true))
        #expect(capability["dynamicrolesenabled"] == .bool(false))
        let (updated, _) = await cloud.call(
            "updateConfiguration",
            ["name": "custom.diskoffering.size.max", "value": "2048"]
        )
        #expect(updated == 200)
        let (_, after) = await cloud.call("listCapabilities")
        #expect(after["capability"]?["customdiskofferingmaxsize"]?.int == 2048)
    }

    @Test func osTypesAndCategoriesFilterAsCloudStackDoes() async throws {
        let cloud = try await TestCloud.make()
        let (_, all) = await cloud.call("listOsTypes")
        #expect(all["count"]?.int == GuestOSCatalogue.types.count)
        let (_, ubuntus) = await cloud.call("listOsTypes", ["description": "ubuntu"])
        let descriptions = ubuntus.items.compactMap { $0["description"]?.stringValue }
        #expect(descriptions.contains("Ubuntu 22.04 LTS"))
        #expect(descriptions.allSatisfy { $0.hasPrefix("Ubuntu") })
        let category = try await cloud.first("listOsCategories", "oscategory", ["name": "UBUNTU"])
        #expect(category["name"]?.stringValue == "Ubuntu")
        let categoryId = try #require(category["id"]?.stringValue)
        let (_, inCategory) = await cloud.call("listOsTypes", ["oscategoryid": categoryId])
        #expect(inCategory.items.compactMap { $0["description"]?.stringValue } == descriptions)
        #expect(inCategory.items.allSatisfy { $0["oscategoryname"]?.stringValue == "Ubuntu" })
        let type = try #require(ubuntus.items.first { $0["description"]?.stringValue == "Ubuntu 22.04 LTS" })
        let typeId = try #require(type["id"]?.stringValue)
        let (_, byId) = await cloud.call("listOsTypes", ["id": typeId])
        #expect(byId.items.count == 1)
        let (_, hidden) = await cloud.call("listOsTypes", ["fordisplay": "false"])
        #expect(hidden.items.isEmpty)
        let (_, byKeyword) = await cloud.call("listOsTypes", ["keyword": "windows server"])
        #expect(byKeyword.items.count == 2)
        // A template's ostypeid is the OS type its osTypeName describes.
        let template = try await cloud.first(
            "listTemplates",
            "template",
            ["templatefilter": "featured", "name": "Ubuntu 22.04 (Simulator)"]
        )
        #expect(template["ostypeid"]?.stringValue == typeId)
        // A template registered with an OS type's id carries its description and id.
        let debian = try #require(GuestOSCatalogue.type(described: "Debian GNU/Linux 12 (64-bit)"))
        let (registered, registeredBody) = await cloud.call(
            "registerTemplate",
            [
                "name": "deb", "displaytext": "deb", "format": "QCOW2", "hypervisor": "Simulator",
                "url": "http://example.com/deb.qcow2", "zoneid": template["zoneid"]?.stringValue ?? "",
                "ostypeid": debian.id,
            ]
        )
        #expect(registered == 200, "\(registeredBody.json)")
        #expect(registeredBody.items.first?["ostypename"]?.stringValue == debian.description)
        #expect(registeredBody.items.first?["ostypeid"]?.stringValue == debian.id)
        let unknown = UUID().uuidString.lowercased()
        let (badId, idText) = await Self.failure(cloud, "listOsTypes", ["id": unknown])
        #expect(badId == 431)
        #expect(idText.contains("id"))
        let (badCategory, categoryText) = await Self.failure(cloud, "listOsTypes", ["oscategoryid": unknown])
        #expect(badCategory == 431)
        #expect(categoryText.contains("oscategoryid"))
        let (malformed, malformedText) = await Self.failure(cloud, "listOsCategories", ["id": "nope"])
        #expect(malformed == 431)
        #expect(malformedText.contains("id"))
    }

    @Test func hypervisorsAreTheZoneClustersOrEveryOneZooStackDrives() async throws {
        let cloud = try await TestCloud.make()
        let (_, every) = await cloud.call("listHypervisors")
        #expect(every.items.compactMap { $0["name"]?.stringValue } == ["KVM", "Simulator"])
        let zone = try await cloud.first("listZones", "zone")
        let (_, inZone) = await cloud.call("listHypervisors", ["zoneid": zone["id"]?.stringValue ?? ""])
        #expect(inZone.items.compactMap { $0["name"]?.stringValue } == ["Simulator"])
        let (status, text) = await Self.failure(cloud, "listHypervisors", ["zoneid": UUID().uuidString])
        #expect(status == 431)
        #expect(text.contains("zoneid"))
    }

    @Test func oneLocalRegionAtTheAddressTheClientUsed() async throws {
        let cloud = try await TestCloud.make()
        let region = try await cloud.first("listRegions", "region", ["name": "local"])
        #expect(region["id"]?.int == 1)
        #expect(region["name"]?.stringValue == "Local")
        #expect(region["endpoint"]?.stringValue == "http://localhost:8080/client/")
        #expect(region["gslbserviceenabled"] == .bool(true))
        let (_, other) = await cloud.call("listRegions", ["id": "2"])
        #expect(other.items.isEmpty)
        let (badId, text) = await Self.failure(cloud, "listRegions", ["id": "one"])
        #expect(badId == 431)
        #expect(text.contains("id"))
        let pairs = TestCloud.signedPairs(
            "listRegions",
            [:],
            apiKey: cloud.admin.apikey,
            secret: cloud.admin.secretkey
        )
        let response = await cloud.server.handle(
            APIRequest(method: "GET", parameters: APIParameters(pairs), host: "cloud.example:8080")
        )
        #expect(response.body.contains("http://cloud.example:8080/client/"))
    }

    @Test func storageProvidersOfEachTypeForRootAdmins() async throws {
        let cloud = try await TestCloud.make()
        let primary = try await cloud.first("listStorageProviders", "dataStoreProvider", ["type": "primary"])
        #expect(primary["name"]?.stringValue == "DefaultPrimary")
        #expect(primary["type"]?.stringValue == "primary")
        let image = try await cloud.first("listStorageProviders", "dataStoreProvider", ["type": "IMAGE"])
        #expect(image["name"]?.stringValue == "NFS")
        let (bad, text) = await Self.failure(cloud, "listStorageProviders", ["type": "tape"])
        #expect(bad == 431)
        #expect(text.contains("type"))
        let (missing, missingText) = await Self.failure(cloud, "listStorageProviders")
        #expect(missing == 431)
        #expect(missingText.contains("type"))
        let keys = try await cloud.makeUser("spuser")
        let (user, _) = await Self.failure(cloud, "listStorageProviders", ["type": "primary"], keys: keys)
        #expect(user == 432)
    }

    @Test func getUserFindsTheUserOfAnAPIKeyForRootAdminsOnly() async throws {
        let cloud = try await TestCloud.make()
        let keys = try await cloud.makeUser("keyed")
        let (status, body) = await cloud.call("getUser", ["userapikey": keys.0])
        #expect(status == 200, "\(body.json)")
        #expect(body["user"]?["username"]?.stringValue == "keyed")
        #expect(body["user"]?["apikey"]?.stringValue == keys.0)
        let (unknown, text) = await Self.failure(cloud, "getUser", ["userapikey": "no-such-key"])
        #expect(unknown == 431)
        #expect(text.contains("userapikey"))
        let (missing, missingText) = await Self.failure(cloud, "getUser")
        #expect(missing == 431)
        #expect(missingText.contains("userapikey"))
        let (user, _) = await Self.failure(cloud, "getUser", ["userapikey": keys.0], keys: keys)
        #expect(user == 432)
    }
}
