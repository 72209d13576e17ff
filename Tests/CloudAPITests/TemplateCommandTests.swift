import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Foundation
import Testing

struct TemplateCommandTests {
    /// Inserts a ready private template owned by `keys`' account (registerTemplate's simulated download runs on
    /// a timer, so tests write the finished row directly).
    static func privateTemplate(_ cloud: TestCloud, keys: (String, String), name: String) async throws -> String {
        let store = cloud.server.core.store
        let user = try #require(try await store.user(apiKey: keys.0))
        let zone = try #require(try await store.list(Zone.self).items.first)
        let template = Template(
            id: UUID().uuidString.lowercased(),
            name: name,
            displayText: name,
            format: "QCOW2",
            hypervisor: "Simulator",
            osTypeName: "Other (64-bit)",
            url: "http://example.com/\(name).qcow2",
            isPublic: false,
            isFeatured: false,
            accountId: user.accountId,
            zoneId: zone.id,
            status: "Download Complete",
            isReady: true,
            size: 1 << 30,
            created: WallClock.system.now
        )
        try await store.insert(template)
        return template.id
    }

    @Test func templateFilters() async throws {
        let cloud = try await TestCloud.make()
        let alice = try await cloud.makeUser("alice")
        let bob = try await cloud.makeUser("bob")
        let mine = try await Self.privateTemplate(cloud, keys: alice, name: "alice-tpl")
        func ids(_ filter: String, _ keys: (String, String)) async -> Set<String> {
            let (_, body) = await cloud.call("listTemplates", ["templatefilter": filter], keys: keys)
            return Set(body.items.compactMap { $0["id"]?.stringValue })
        }
        #expect(await ids("self", alice) == [mine])
        #expect(await ids("selfexecutable", alice) == [mine])
        #expect(await ids("featured", alice).count == 2)
        #expect(await ids("executable", alice).count == 3)
        #expect(await ids("executable", bob).count == 2)
        #expect(await ids("sharedexecutable", bob).isEmpty)
        let (allStatus, all) = await cloud.call("listTemplates", ["templatefilter": "all"], keys: alice)
        #expect(allStatus == 431)
        #expect(all["errortext"]?.stringValue == "Filter all can be specified by admin only")
        let (_, adminAll) = await cloud.call("listTemplates", ["templatefilter": "all"])
        #expect(adminAll["count"]?.int == 3)
        // Share with bob.
        let (shared, _) = await cloud.call(
            "updateTemplatePermissions",
            ["id": mine, "accounts": "bob", "op": "add"],
            keys: alice
        )
        #expect(shared == 200)
        #expect(await ids("sharedexecutable", bob) == [mine])
        #expect(await ids("executable", bob).contains(mine))
        _ = await cloud.call("updateTemplatePermissions", ["id": mine, "op": "reset"], keys: alice)
        #expect(await ids("sharedexecutable", bob).isEmpty)
        // Public, not featured: community.
        _ = await cloud.call("updateTemplatePermissions", ["id": mine, "ispublic": "true"], keys: alice)
        #expect(await ids("community", bob) == [mine])
        let (featureStatus, _) = await cloud.call(
            "updateTemplatePermissions",
            ["id": mine, "isfeatured": "true"],
            keys: alice
        )
        #expect(featureStatus == 531)
        let (badFilter, _) = await cloud.call("listTemplates", ["templatefilter": "bogus"], keys: alice)
        #expect(badFilter == 431)
    }

    @Test func updateTemplateChangesAttributes() async throws {
        let cloud = try await TestCloud.make()
        let alice = try await cloud.makeUser("alice")
        let bob = try await cloud.makeUser("bob")
        let id = try await Self.privateTemplate(cloud, keys: alice, name: "t1")
        let (status, body) = await cloud.call(
            "updateTemplate",
            ["id": id, "name": "t2", "displaytext": "Template two", "format": "raw"],
            keys: alice
        )
        #expect(status == 200, "\(body.json)")
        #expect(body["template"]?["name"]?.stringValue == "t2")
        #expect(body["template"]?["format"]?.stringValue == "RAW")
        let (badFormat, _) = await cloud.call("updateTemplate", ["id": id, "format": "EXE"], keys: alice)
        #expect(badFormat == 431)
        let (other, _) = await cloud.call("updateTemplate", ["id": id, "name": "x"], keys: bob)
        #expect(other == 531)
    }

    @Test func deleteTemplateIsRefusedWhileVMsUseItUnlessForced() async throws {
        let cloud = try await TestCloud.make()
        let alice = try await cloud.makeUser("alice")
        let id = try await Self.privateTemplate(cloud, keys: alice, name: "used")
        let job = try await cloud.deploy(keys: alice, extra: ["templateid": id])
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        let (status, body) = await cloud.call("deleteTemplate", ["id": id], keys: alice)
        #expect(status == 431)
        #expect(body["errortext"]?.stringValue?.contains("are using it") == true)
        let forced = try await cloud.callAndWait("deleteTemplate", ["id": id, "forced": "true"], keys: alice)
        #expect(forced["jobstatus"]?.int == 1)
        #expect(forced["jobresult"]?["success"] == .bool(true))
        let (_, list) = await cloud.call("listTemplates", ["templatefilter": "self"], keys: alice)
        #expect(list == .object([]))
        let unused = try await Self.privateTemplate(cloud, keys: alice, name: "unused")
        let deleted = try await cloud.callAndWait("deleteTemplate", ["id": unused], keys: alice)
        #expect(deleted["jobstatus"]?.int == 1)
        let bob = try await cloud.makeUser("bob")
        let featured = try await cloud.first("listTemplates", "template", ["templatefilter": "featured"])
        let (notOwner, _) = await cloud.call(
            "deleteTemplate",
            ["id": featured["id"]?.stringValue ?? ""],
            keys: bob
        )
        #expect(notOwner == 531)
    }
}
