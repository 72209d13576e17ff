import CloudAPI
import CloudModel
import Foundation
import Testing

@Suite("Instance groups and VMs in them")
struct InstanceGroupTests {
    @Test func createListRenameAndDeleteWithNamesUniqueInAnyCase() async throws {
        let cloud = try await TestCloud.make()
        let (status, created) = await cloud.call("createInstanceGroup", ["name": "web"])
        #expect(status == 200, "\(created.json)")
        let group = try #require(created["instancegroup"])
        let id = try #require(group["id"]?.stringValue)
        #expect(group["name"]?.stringValue == "web")
        #expect(group["account"]?.stringValue == "admin")
        #expect(group["domain"]?.stringValue == "ROOT")
        #expect(group["domainpath"]?.stringValue == "ROOT")
        #expect(group["created"]?.stringValue != nil)
        let (duplicate, duplicateBody) = await cloud.call("createInstanceGroup", ["name": "WEB"])
        #expect(duplicate == 431)
        #expect(duplicateBody["errortext"]?.stringValue?.contains("already exists") == true)
        let (missing, missingBody) = await cloud.call("createInstanceGroup")
        #expect(missing == 431)
        #expect(missingBody["errortext"]?.stringValue?.contains("name") == true)
        let listed = try await cloud.first("listInstanceGroups", "instancegroup", ["name": "Web"])
        #expect(listed["id"]?.stringValue == id)
        _ = await cloud.call("createInstanceGroup", ["name": "db"])
        let (renamed, renamedBody) = await cloud.call("updateInstanceGroup", ["id": id, "name": "front"])
        #expect(renamed == 200)
        #expect(renamedBody["instancegroup"]?["name"]?.stringValue == "front")
        let (taken, _) = await cloud.call("updateInstanceGroup", ["id": id, "name": "DB"])
        #expect(taken == 431)
        let (deleted, deletedBody) = await cloud.call("deleteInstanceGroup", ["id": id])
        #expect(deleted == 200)
        #expect(deletedBody["success"] == .string("true") || deletedBody["success"] == .bool(true))
        let (_, left) = await cloud.call("listInstanceGroups")
        #expect(left.items.compactMap { $0["name"]?.stringValue } == ["db"])
        let (unknown, unknownBody) = await cloud.call("deleteInstanceGroup", ["id": id])
        #expect(unknown == 431)
        #expect(unknownBody["errortext"]?.stringValue?.contains("id") == true)
        let (malformed, _) = await cloud.call("updateInstanceGroup", ["id": "x"])
        #expect(malformed == 431)
    }

    @Test func deployAndUpdateWithGroupCreateItAndVMsShowIt() async throws {
        let cloud = try await TestCloud.make()
        let deployed = try await cloud.deploy(extra: ["group": "batch"])
        let vm = try #require(deployed["jobresult"]?["virtualmachine"])
        let vmId = try #require(vm["id"]?.stringValue)
        let batch = try await cloud.first("listInstanceGroups", "instancegroup", ["name": "batch"])
        let batchId = try #require(batch["id"]?.stringValue)
        #expect(vm["group"]?.stringValue == "batch")
        #expect(vm["groupid"]?.stringValue == batchId)
        _ = try await cloud.deploy()
        let (_, inBatch) = await cloud.call("listVirtualMachines", ["groupid": batchId])
        #expect(inBatch.items.compactMap { $0["id"]?.stringValue } == [vmId])
        let (moved, movedBody) = await cloud.call("updateVirtualMachine", ["id": vmId, "group": "BATCH"])
        #expect(moved == 200)
        #expect(movedBody["virtualmachine"]?["groupid"]?.stringValue == batchId)
        _ = await cloud.call("updateVirtualMachine", ["id": vmId, "group": "web"])
        let web = try await cloud.first("listInstanceGroups", "instancegroup", ["name": "web"])
        let (_, listed) = await cloud.call("listVirtualMachines", ["id": vmId])
        #expect(listed.items.first?["group"]?.stringValue == "web")
        #expect(listed.items.first?["groupid"]?.stringValue == web["id"]?.stringValue)
        let (_, emptied) = await cloud.call("listVirtualMachines", ["groupid": batchId])
        #expect(emptied.items.isEmpty)
        _ = await cloud.call("updateInstanceGroup", ["id": web["id"]?.stringValue ?? "", "name": "frontend"])
        let (_, renamed) = await cloud.call("listVirtualMachines", ["id": vmId])
        #expect(renamed.items.first?["group"]?.stringValue == "frontend")
        _ = await cloud.call("deleteInstanceGroup", ["id": web["id"]?.stringValue ?? ""])
        let (_, ungrouped) = await cloud.call("listVirtualMachines", ["id": vmId])
        #expect(ungrouped.items.first?["groupid"] == nil)
        let (badGroup, badBody) = await cloud.call("listVirtualMachines", ["groupid": UUID().uuidString])
        #expect(badGroup == 431)
        #expect(badBody["errortext"]?.stringValue?.contains("groupid") == true)
    }

    @Test func groupsBelongToTheirAccountAndAdminsActForOthers() async throws {
        let cloud = try await TestCloud.make()
        let alice = try await cloud.makeUser("ig-alice")
        let bob = try await cloud.makeUser("ig-bob")
        let (_, created) = await cloud.call("createInstanceGroup", ["name": "mine"], keys: alice)
        let id = try #require(created["instancegroup"]?["id"]?.stringValue)
        #expect(created["instancegroup"]?["account"]?.stringValue == "ig-alice")
        // Names are per account: bob may use the same one.
        let (bobs, _) = await cloud.call("createInstanceGroup", ["name": "mine"], keys: bob)
        #expect(bobs == 200)
        let (_, bobList) = await cloud.call("listInstanceGroups", keys: bob)
        #expect(bobList.items.count == 1)
        #expect(!bobList.items.contains { $0["id"]?.stringValue == id })
        let (foreign, _) = await cloud.call("deleteInstanceGroup", ["id": id], keys: bob)
        #expect(foreign == 531)
        let (foreignRename, _) = await cloud.call("updateInstanceGroup", ["id": id, "name": "x"], keys: bob)
        #expect(foreignRename == 531)
        let (_, own) = await cloud.call("listInstanceGroups")
        #expect(own.items.isEmpty)
        let (_, everything) = await cloud.call("listInstanceGroups", ["listall": "true"])
        #expect(everything.items.count == 2)
        let account = try await cloud.first("listAccounts", "account", ["name": "ig-alice"])
        let (forAlice, forAliceBody) = await cloud.call(
            "createInstanceGroup",
            ["name": "given", "account": "ig-alice", "domainid": account["domainid"]?.stringValue ?? ""]
        )
        #expect(forAlice == 200, "\(forAliceBody.json)")
        let (_, aliceList) = await cloud.call("listInstanceGroups", keys: alice)
        #expect(Set(aliceList.items.compactMap { $0["name"]?.stringValue }) == ["mine", "given"])
        let (userForOther, _) = await cloud.call(
            "createInstanceGroup",
            ["name": "sneaky", "account": "ig-alice", "domainid": account["domainid"]?.stringValue ?? ""],
            keys: bob
        )
        #expect(userForOther == 531)
    }
}
