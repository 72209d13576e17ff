import CloudAPI
import CloudModel
import Foundation
import Testing

@Suite("Registered user data, linked to templates and given to VMs")
struct UserDataTests {
    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test func registerListAndDeleteWithCloudStacksRefusals() async throws {
        let cloud = try await TestCloud.make()
        let content = Self.base64("#cloud-config\nhostname: web\n")
        let (status, registered) = await cloud.call(
            "registerUserData",
            ["name": "web", "userdata": content, "params": "a, b"]
        )
        #expect(status == 200, "\(registered.json)")
        let item = try #require(registered["userdata"])
        let id = try #require(item["id"]?.stringValue)
        #expect(item["name"]?.stringValue == "web")
        #expect(item["userdata"]?.stringValue == content)
        #expect(item["params"]?.stringValue == "a,b")
        #expect(item["account"]?.stringValue == "admin")
        let (duplicate, _) = await cloud.call("registerUserData", ["name": "WEB", "userdata": Self.base64("x")])
        #expect(duplicate == 431)
        let (sameContent, _) = await cloud.call("registerUserData", ["name": "other", "userdata": content])
        #expect(sameContent == 431)
        let (notBase64, notBase64Body) = await cloud.call("registerUserData", ["name": "bad", "userdata": "%%%"])
        #expect(notBase64 == 431)
        #expect(notBase64Body["errortext"]?.stringValue == "User data is not base64 encoded")
        let (missing, missingBody) = await cloud.call("registerUserData", ["name": "none"])
        #expect(missing == 431)
        #expect(missingBody["errortext"]?.stringValue?.contains("userdata") == true)

        let listed = try await cloud.first("listUserData", "userdata", ["name": "web"])
        #expect(listed["id"]?.stringValue == id)
        let keys = try await cloud.makeUser("alice")
        let (_, theirs) = await cloud.call("listUserData", keys: keys)
        #expect(theirs.items.isEmpty)
        let (foreign, _) = await cloud.call("deleteUserData", ["id": id], keys: keys)
        #expect(foreign == 531)
        let (deleted, _) = await cloud.call("deleteUserData", ["id": id])
        #expect(deleted == 200)
        let (gone, goneBody) = await cloud.call("deleteUserData", ["id": id])
        #expect(gone == 431)
        #expect(goneBody["errortext"]?.stringValue?.contains("id") == true)
    }

    @Test func deployAndResetTakeRegisteredUserDataAndItStaysWhileUsed() async throws {
        let cloud = try await TestCloud.make()
        let first = Self.base64("#cloud-config\nfirst\n")
        let (_, registered) = await cloud.call("registerUserData", ["name": "first", "userdata": first])
        let firstId = try #require(registered["userdata"]?["id"]?.stringValue)
        let (_, other) = await cloud.call("registerUserData", ["name": "second", "userdata": Self.base64("second")])
        let secondId = try #require(other["userdata"]?["id"]?.stringValue)

        let deployed = try await cloud.deploy(extra: ["userdataid": firstId])
        let vm = try #require(deployed["jobresult"]?["virtualmachine"])
        let vmId = try #require(vm["id"]?.stringValue)
        #expect(vm["userdataid"]?.stringValue == firstId)
        #expect(vm["userdataname"]?.stringValue == "first")
        let (_, userData) = await cloud.call("getVirtualMachineUserData", ["virtualmachineid": vmId])
        #expect(userData["virtualmachineuserdata"]?["userdata"]?.stringValue == first)
        let (both, _) = await cloud.call(
            "deployVirtualMachine",
            ["userdataid": firstId, "userdata": first, "zoneid": "x", "templateid": "x", "serviceofferingid": "x"]
        )
        #expect(both == 431)

        let (inUse, inUseBody) = await cloud.call("deleteUserData", ["id": firstId])
        #expect(inUse == 530)
        #expect(inUseBody["errortext"]?.stringValue?.contains("being used by some VMs") == true)
        let (running, runningBody) = await cloud.call(
            "resetUserDataForVirtualMachine",
            ["id": vmId, "userdataid": secondId]
        )
        #expect(running == 431)
        #expect(runningBody["errortext"]?.stringValue?.contains("should be stopped") == true)
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": vmId])
        let (reset, resetBody) = await cloud.call(
            "resetUserDataForVirtualMachine",
            ["id": vmId, "userdataid": secondId]
        )
        #expect(reset == 200, "\(resetBody.json)")
        #expect(resetBody["virtualmachine"]?["userdataid"]?.stringValue == secondId)
        let (_, now) = await cloud.call("getVirtualMachineUserData", ["virtualmachineid": vmId])
        #expect(now["virtualmachineuserdata"]?["userdata"]?.stringValue == Self.base64("second"))
        let (freed, _) = await cloud.call("deleteUserData", ["id": firstId])
        #expect(freed == 200)
    }

    @Test func aTemplatesLinkedUserDataAppliesByItsPolicy() async throws {
        let cloud = try await TestCloud.make()
        let template = try await cloud.first("listTemplates", "template", ["templatefilter": "featured"])
        let templateId = try #require(template["id"]?.stringValue)
        let base = Self.base64("base\n")
        let (_, registered) = await cloud.call("registerUserData", ["name": "base", "userdata": base])
        let baseId = try #require(registered["userdata"]?["id"]?.stringValue)

        let (linked, linkedBody) = await cloud.call(
            "linkUserDataToTemplate",
            ["templateid": templateId, "userdataid": baseId, "userdatapolicy": "denyoverride"]
        )
        #expect(linked == 200, "\(linkedBody.json)")
        #expect(linkedBody["template"]?["userdataid"]?.stringValue == baseId)
        #expect(linkedBody["template"]?["userdatapolicy"]?.stringValue == "DENYOVERRIDE")
        let listed = try await cloud.first(
            "listTemplates",
            "template",
            ["templatefilter": "featured", "id": templateId]
        )
        #expect(listed["userdataname"]?.stringValue == "base")
        let (badPolicy, _) = await cloud.call(
            "linkUserDataToTemplate",
            ["templateid": templateId, "userdataid": baseId, "userdatapolicy": "sometimes"]
        )
        #expect(badPolicy == 431)
        let (neither, _) = await cloud.call("linkUserDataToTemplate", ["userdataid": baseId])
        #expect(neither == 431)
        let (linkedDelete, _) = await cloud.call("deleteUserData", ["id": baseId])
        #expect(linkedDelete == 530)

        let inherited = try await cloud.deploy()
        let inheritedId = try #require(inherited["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        #expect(inherited["jobresult"]?["virtualmachine"]?["userdatapolicy"]?.stringValue == "DENYOVERRIDE")
        let (_, inheritedData) = await cloud.call("getVirtualMachineUserData", ["virtualmachineid": inheritedId])
        #expect(inheritedData["virtualmachineuserdata"]?["userdata"]?.stringValue == base)
        let zone = try await cloud.first("listZones", "zone")
        let offering = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Small Instance"])
        let (denied, deniedBody) = await cloud.call(
            "deployVirtualMachine",
            [
                "zoneid": zone["id"]?.stringValue ?? "", "templateid": templateId,
                "serviceofferingid": offering["id"]?.stringValue ?? "", "userdata": Self.base64("mine\n"),
            ]
        )
        #expect(denied == 431)
        #expect(deniedBody["errortext"]?.stringValue?.contains("deny override") == true)

        _ = await cloud.call(
            "linkUserDataToTemplate",
            ["templateid": templateId, "userdataid": baseId, "userdatapolicy": "APPEND"]
        )
        let appended = try await cloud.deploy(extra: ["userdata": Self.base64("mine\n")])
        let appendedId = try #require(appended["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let (_, appendedData) = await cloud.call("getVirtualMachineUserData", ["virtualmachineid": appendedId])
        #expect(appendedData["virtualmachineuserdata"]?["userdata"]?.stringValue == Self.base64("base\nmine\n"))

        let (unlinked, unlinkedBody) = await cloud.call("linkUserDataToTemplate", ["templateid": templateId])
        #expect(unlinked == 200)
        #expect(unlinkedBody["template"]?["userdataid"] == nil)
    }
}
