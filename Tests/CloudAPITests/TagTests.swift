import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Testing

struct TagTests {
    static func vm(_ cloud: TestCloud, keys: (String, String)? = nil) async throws -> String {
        let job = try await cloud.deploy(keys: keys)
        return try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
    }

    @Test func tagFilterReturnsOnlyTaggedVMs() async throws {
        let cloud = try await TestCloud.make()
        let tagged = try await Self.vm(cloud)
        let other = try await Self.vm(cloud)
        let job = try await cloud.callAndWait(
            "createTags",
            [
                "resourceids": tagged, "resourcetype": "UserVm", "tags[0].key": "env", "tags[0].value": "prod",
                "tags[1].key": "team", "tags[1].value": "web",
            ]
        )
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        #expect(job["jobresult"]?["success"] == .bool(true))
        _ = try await cloud.callAndWait(
            "createTags",
            ["resourceids": other, "resourcetype": "UserVm", "tags[0].key": "env", "tags[0].value": "dev"]
        )
        let (_, prod) = await cloud.call("listVirtualMachines", ["tags[0].key": "env", "tags[0].value": "prod"])
        #expect(prod["count"]?.int == 1)
        #expect(prod.items.first?["id"]?.stringValue == tagged)
        guard case .array(let tags)? = prod.items.first?["tags"] else { throw CancellationError() }
        #expect(Set(tags.compactMap { $0["key"]?.stringValue }) == ["env", "team"])
        #expect(tags.first?["resourcetype"]?.stringValue == "UserVm")
        let (_, none) = await cloud.call("listVirtualMachines", ["tags[0].key": "env", "tags[0].value": "qa"])
        #expect(none == .object([]))
        // CloudStack ORs several tag filters.
        let (_, either) = await cloud.call(
            "listVirtualMachines",
            ["tags[0].key": "env", "tags[0].value": "prod", "tags[1].key": "env", "tags[1].value": "dev"]
        )
        #expect(either["count"]?.int == 2)
        let (_, anyValue) = await cloud.call("listVirtualMachines", ["tags[0].key": "team"])
        #expect(anyValue.items.map { $0["id"]?.stringValue } == [tagged])
        let (_, listed) = await cloud.call("listTags", ["resourceid": tagged])
        #expect(listed["count"]?.int == 2)
        let (_, byKey) = await cloud.call("listTags", ["key": "env", "resourcetype": "uservm"])
        #expect(byKey["count"]?.int == 2)
    }

    @Test func duplicateKeysFailAndDeleteRemovesTags() async throws {
        let cloud = try await TestCloud.make()
        let id = try await Self.vm(cloud)
        let base = ["resourceids": id, "resourcetype": "UserVm", "tags[0].key": "env", "tags[0].value": "prod"]
        _ = try await cloud.callAndWait("createTags", base)
        let again = try await cloud.callAndWait("createTags", base)
        #expect(again["jobstatus"]?.int == 2)
        #expect(again["jobresultcode"]?.int == 431)
        let deleted = try await cloud.callAndWait(
            "deleteTags",
            ["resourceids": id, "resourcetype": "UserVm", "tags[0].key": "env"]
        )
        #expect(deleted["jobstatus"]?.int == 1)
        let (_, listed) = await cloud.call("listTags", ["resourceid": id])
        #expect(listed == .object([]))
    }

    @Test func usersCannotTagOrSeeAnotherAccountsVM() async throws {
        let cloud = try await TestCloud.make()
        let alice = try await cloud.makeUser("alice")
        let bob = try await cloud.makeUser("bob")
        let aliceVM = try await Self.vm(cloud, keys: alice)
        let bobVM = try await Self.vm(cloud, keys: bob)
        let (status, body) = await cloud.call(
            "createTags",
            ["resourceids": aliceVM, "resourcetype": "UserVm", "tags[0].key": "x", "tags[0].value": "y"],
            keys: bob
        )
        #expect(status == 531, "\(body.json)")
        _ = try await cloud.callAndWait(
            "createTags",
            ["resourceids": aliceVM, "resourcetype": "UserVm", "tags[0].key": "env", "tags[0].value": "prod"],
            keys: alice
        )
        _ = try await cloud.callAndWait(
            "createTags",
            ["resourceids": bobVM, "resourcetype": "UserVm", "tags[0].key": "env", "tags[0].value": "prod"],
            keys: bob
        )
        let (_, bobSees) = await cloud.call(
            "listVirtualMachines",
            ["tags[0].key": "env", "tags[0].value": "prod"],
            keys: bob
        )
        #expect(bobSees.items.map { $0["id"]?.stringValue } == [bobVM])
        let (_, bobTags) = await cloud.call("listTags", [:], keys: bob)
        #expect(bobTags["count"]?.int == 1)
        #expect(bobTags.items.first?["resourceid"]?.stringValue == bobVM)
        let (deleteStatus, _) = await cloud.call(
            "deleteTags",
            ["resourceids": aliceVM, "resourcetype": "UserVm"],
            keys: bob
        )
        #expect(deleteStatus == 531)
        let (_, adminSees) = await cloud.call(
            "listVirtualMachines",
            ["tags[0].key": "env", "tags[0].value": "prod", "listall": "true"]
        )
        #expect(adminSees["count"]?.int == 2)
    }

    @Test func badInputIs431() async throws {
        let cloud = try await TestCloud.make()
        let id = try await Self.vm(cloud)
        let (noTags, body) = await cloud.call("createTags", ["resourceids": id, "resourcetype": "UserVm"])
        #expect(noTags == 431)
        #expect(body["errortext"]?.stringValue?.contains("tags") == true)
        let (badType, _) = await cloud.call(
            "createTags",
            ["resourceids": id, "resourcetype": "Spaceship", "tags[0].key": "a", "tags[0].value": "b"]
        )
        #expect(badType == 431)
        let (noValue, valueBody) = await cloud.call(
            "createTags",
            ["resourceids": id, "resourcetype": "UserVm", "tags[0].key": "a"]
        )
        #expect(noValue == 431)
        #expect(valueBody["errortext"]?.stringValue == "Value for the key a is either null or empty")
        let (unknown, _) = await cloud.call(
            "createTags",
            ["resourceids": "nope", "resourcetype": "UserVm", "tags[0].key": "a", "tags[0].value": "b"]
        )
        #expect(unknown == 431)
    }

    @Test func templatesCanBeTaggedAndFiltered() async throws {
        let cloud = try await TestCloud.make()
        let (_, all) = await cloud.call("listTemplates", ["templatefilter": "featured"])
        let first = try #require(all.items.first?["id"]?.stringValue)
        _ = try await cloud.callAndWait(
            "createTags",
            ["resourceids": first, "resourcetype": "Template", "tags[0].key": "os", "tags[0].value": "centos"]
        )
        let (_, tagged) = await cloud.call(
            "listTemplates",
            ["templatefilter": "featured", "tags[0].key": "os", "tags[0].value": "centos"]
        )
        #expect(tagged["count"]?.int == 1)
        #expect(tagged.items.first?["id"]?.stringValue == first)
        guard case .array(let tags)? = tagged.items.first?["tags"] else { throw CancellationError() }
        #expect(tags.first?["value"]?.stringValue == "centos")
    }

    @Test func expungingAVMRemovesItsTags() async throws {
        let cloud = try await TestCloud.make()
        let id = try await Self.vm(cloud)
        _ = try await cloud.callAndWait(
            "createTags",
            ["resourceids": id, "resourcetype": "UserVm", "tags[0].key": "a", "tags[0].value": "b"]
        )
        _ = try await cloud.callAndWait("destroyVirtualMachine", ["id": id, "expunge": "true"])
        #expect(try await cloud.server.core.store.count(ResourceTag.self) == 0)
    }
}
