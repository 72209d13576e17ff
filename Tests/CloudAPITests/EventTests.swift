import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import CloudTestSupport
import Orchestrator
import Testing

/// The event log of API commands: CloudStack's types, Scheduled → Started → Completed for async jobs, one
/// Completed event for sync commands, ERROR on failure, and listEvents' filters and access rules.
struct EventTests {
    /// The caller's events (newest first), filtered by `parameters`.
    static func events(
        _ cloud: TestCloud,
        _ parameters: [String: String] = [:],
        keys: (String, String)? = nil
    ) async -> [APIValue] {
        let (status, body) = await cloud.call("listEvents", parameters, keys: keys)
        #expect(status == 200, "\(body.json)")
        return body.items
    }

    /// Checks an async command's three events: one Scheduled, its Started and Completed children, INFO.
    static func expectJobEvents(_ events: [APIValue], type: String, resourceId: String?, account: String) {
        let ofType = events.filter { $0["type"]?.stringValue == type }
        #expect(ofType.count == 3, "\(type): \(ofType.map(\.json))")
        let scheduled = ofType.first { $0["state"]?.stringValue == "Scheduled" }
        let started = ofType.first { $0["state"]?.stringValue == "Started" }
        let completed = ofType.first { $0["state"]?.stringValue == "Completed" }
        #expect(scheduled?["parentid"] == nil)
        #expect(started?["parentid"]?.stringValue == scheduled?["id"]?.stringValue && scheduled != nil)
        #expect(completed?["parentid"]?.stringValue == scheduled?["id"]?.stringValue)
        #expect(started?["description"]?.stringValue?.hasPrefix("Starting job for ") == true)
        #expect(completed?["description"]?.stringValue?.hasPrefix("Successfully completed ") == true)
        for event in ofType {
            #expect(event["level"]?.stringValue == "INFO")
            #expect(event["account"]?.stringValue == account)
            if let resourceId { #expect(event["resourceid"]?.stringValue == resourceId, "\(event.json)") }
        }
    }

    @Test func aVirtualMachinesWholeLifeIsInTheEventLog() async throws {
        let cloud = try await TestCloud.make()
        let user = try await cloud.makeUser("evuser")
        let deployed = try await cloud.deploy(keys: user)
        let vm = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        for command in ["stopVirtualMachine", "startVirtualMachine", "rebootVirtualMachine", "destroyVirtualMachine"] {
            let job = try await cloud.callAndWait(command, ["id": vm], keys: user)
            #expect(job["jobstatus"]?.int == 1, "\(command): \(job.json)")
        }
        let mine = await Self.events(cloud, ["resourceid": vm], keys: user)
        for type in ["VM.CREATE", "VM.STOP", "VM.START", "VM.REBOOT", "VM.DESTROY"] {
            Self.expectJobEvents(mine, type: type, resourceId: vm, account: "evuser")
        }
        #expect(
            mine.allSatisfy {
                $0["username"]?.stringValue == "evuser" && $0["resourcetype"] == .string("VirtualMachine")
            }
        )
        // Newest first: the destroy's completion leads.
        #expect(mine.first?["type"]?.stringValue == "VM.DESTROY" && mine.first?["state"]?.stringValue == "Completed")
        #expect(mine.first?["description"]?.stringValue == "Successfully completed destroying Vm. Vm Id: \(vm)")

        let (recovered, _) = await cloud.call("recoverVirtualMachine", ["id": vm])
        #expect(recovered == 200)
        _ = try await cloud.callAndWait("destroyVirtualMachine", ["id": vm])
        let expunged = try await cloud.callAndWait("expungeVirtualMachine", ["id": vm])
        #expect(expunged["jobstatus"]?.int == 1, "\(expunged.json)")
        let admins = await Self.events(cloud, ["resourceid": vm])
        let recovery = admins.filter { $0["type"]?.stringValue == "VM.RECOVER" }
        #expect(recovery.count == 1)
        #expect(recovery.first?["state"]?.stringValue == "Completed" && recovery.first?["parentid"] == nil)
        #expect(recovery.first?["account"]?.stringValue == "admin")
        Self.expectJobEvents(admins, type: "VM.EXPUNGE", resourceId: vm, account: "admin")
        // The user sees only its own account's events, even with listall.
        let userView = await Self.events(cloud, ["resourceid": vm, "listall": "true"], keys: user)
        #expect(!userView.contains { ["VM.RECOVER", "VM.EXPUNGE"].contains($0["type"]?.stringValue) })
    }

    @Test func aFailingJobAndAFailingCommandRecordErrorEvents() async throws {
        let cloud = try await TestCloud.make()
        let (status, _) = await cloud.call(
            "configureSimulator",
            ["name": "StartCommand", "value": "result:fail", "count": "1"]
        )
        #expect(status == 200)
        let failed = try await cloud.deploy()
        #expect(failed["jobstatus"]?.int == 2)
        let creates = await Self.events(cloud, ["type": "VM.CREATE"])
        #expect(creates.count == 3)
        let scheduled = creates.first { $0["state"]?.stringValue == "Scheduled" }
        let error = try #require(creates.first { $0["state"]?.stringValue == "Completed" })
        #expect(error["level"]?.stringValue == "ERROR")
        #expect(error["description"]?.stringValue?.hasPrefix("Error while deploying Vm") == true)
        #expect(error["parentid"]?.stringValue == scheduled?["id"]?.stringValue && scheduled != nil)
        #expect(await Self.events(cloud, ["level": "ERROR"]).count == 1)

        // A sync command refused inside its handler: one ERROR Completed event.
        let running = try await cloud.deploy()
        let vm = try #require(running["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let (refused, _) = await cloud.call("recoverVirtualMachine", ["id": vm])
        #expect(refused != 200)
        let recover = await Self.events(cloud, ["type": "VM.RECOVER"])
        #expect(recover.count == 1)
        #expect(recover.first?["level"]?.stringValue == "ERROR")
        #expect(recover.first?["description"]?.stringValue == "Error while recovering Vm. Vm Id: \(vm)")
        // Lists and refused parameters record nothing.
        _ = await cloud.call("listVirtualMachines")
        _ = await cloud.call("stopVirtualMachine", [:])
        #expect(await Self.events(cloud, ["type": "VM.STOP"]).isEmpty)
    }

    @Test func volumeNetworkAndAddressCommandsRecordTheirEvents() async throws {
        let cloud = try await TestCloud.make()
        let vm = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let volume = try #require(try await VolumeCommandTests.createVolume(cloud, name: "ev")["id"]?.stringValue)
        _ = try await cloud.callAndWait("attachVolume", ["id": volume, "virtualmachineid": vm])
        _ = try await cloud.callAndWait("detachVolume", ["id": volume])
        let (deleted, _) = await cloud.call("deleteVolume", ["id": volume])
        #expect(deleted == 200)
        let volumeEvents = await Self.events(cloud, ["resourceid": volume])
        for type in ["VOLUME.CREATE", "VOLUME.ATTACH", "VOLUME.DETACH"] {
            Self.expectJobEvents(volumeEvents, type: type, resourceId: volume, account: "admin")
        }
        #expect(
            volumeEvents.contains {
                $0["type"]?.stringValue == "VOLUME.DELETE" && $0["state"]?.stringValue == "Completed"
            }
        )
        #expect(volumeEvents.allSatisfy { $0["resourcetype"]?.stringValue == "Volume" })

        let network = try await NetworkCommandTests.isolated(cloud, name: "evnet")
        let created = await Self.events(cloud, ["type": "NETWORK.CREATE"])
        #expect(created.count == 1)
        #expect(created.first?["resourceid"]?.stringValue == network)
        #expect(
            created.first?["description"]?.stringValue
                == "Successfully completed creating network. Network Id: \(network)"
        )
        let associated = try await cloud.callAndWait("associateIpAddress", ["networkid": network])
        let ip = try #require(associated["jobresult"]?["ipaddress"]?["id"]?.stringValue)
        _ = try await cloud.callAndWait("disassociateIpAddress", ["id": ip])
        let all = await Self.events(cloud)
        Self.expectJobEvents(all, type: "NET.IPASSIGN", resourceId: nil, account: "admin")
        Self.expectJobEvents(all, type: "NET.IPRELEASE", resourceId: ip, account: "admin")
        let (typesStatus, types) = await cloud.call("listEventTypes")
        #expect(typesStatus == 200)
        let names = Set(types.items.compactMap { $0["name"]?.stringValue })
        #expect(names.isSuperset(of: ["VM.CREATE", "VOLUME.ATTACH", "NET.IPASSIGN", "HOST.DOWN", "SG.AUTH.INGRESS"]))
    }

    @Test(arguments: TestBackend.allCases)
    func listEventsFiltersByTypeLevelDateKeywordAndPage(backend: TestBackend) async throws {
        let cloud = try await TestCloud.make(backend: backend)
        let vm = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": vm])
        let all = await Self.events(cloud)
        #expect(all.count >= 6)
        #expect(await Self.events(cloud, ["type": "vm.stop"]).count == 3)
        #expect(await Self.events(cloud, ["level": "ERROR"]).isEmpty)
        #expect(await Self.events(cloud, ["level": "INFO"]).count == all.count)
        let started = await Self.events(cloud, ["keyword": "starting job"])
        #expect(started.count == 2 && started.allSatisfy { $0["state"]?.stringValue == "Started" })
        let scheduledId = try #require(
            all.first { $0["type"]?.stringValue == "VM.STOP" && $0["state"]?.stringValue == "Scheduled" }?["id"]?
                .stringValue
        )
        #expect(await Self.events(cloud, ["startid": scheduledId]).count == 2)

        #expect(await Self.events(cloud, ["startdate": "2000-01-01", "enddate": "2000-01-02"]).isEmpty)
        #expect(await Self.events(cloud, ["startdate": "2000-01-01"]).count == all.count)
        #expect(await Self.events(cloud, ["enddate": "2999-12-31"]).count == all.count)
        #expect(await Self.events(cloud, ["startdate": "2999-01-01 00:00:00"]).isEmpty)
        let (bad, badBody) = await cloud.call("listEvents", ["startdate": "yesterday"])
        #expect(bad == 431)
        #expect(badBody["errortext"]?.stringValue?.contains("startdate") == true)

        let (_, first) = await cloud.call("listEvents", ["page": "1", "pagesize": "2"])
        let (_, second) = await cloud.call("listEvents", ["page": "2", "pagesize": "2"])
        #expect(first["count"]?.int == all.count)
        #expect(first.items.map { $0["id"] } == all.prefix(2).map { $0["id"] })
        #expect(second.items.map { $0["id"] } == all.dropFirst(2).prefix(2).map { $0["id"] })
    }

    @Test(arguments: TestBackend.allCases)
    func usersSeeAndArchiveOnlyTheirOwnEvents(backend: TestBackend) async throws {
        let cloud = try await TestCloud.make(backend: backend)
        let alice = try await cloud.makeUser("alice")
        let bob = try await cloud.makeUser("bob")
        _ = try await cloud.deploy(keys: alice)
        _ = try await cloud.deploy(keys: bob)
        let alices = await Self.events(cloud, [:], keys: alice)
        let bobs = await Self.events(cloud, ["listall": "true"], keys: bob)
        #expect(alices.count == 3 && bobs.count == 3)
        let aliceIds = Set(alices.compactMap { $0["id"]?.stringValue })
        #expect(aliceIds.isDisjoint(with: bobs.compactMap { $0["id"]?.stringValue }))
        let everyone = await Self.events(cloud, ["listall": "true"])
        let owners = Set(everyone.compactMap { $0["account"]?.stringValue })
        #expect(owners.isSuperset(of: ["alice", "bob"]))
        #expect(await Self.events(cloud, ["account": "alice", "listall": "true"]).count == 3)

        // Bob can neither archive nor delete Alice's events.
        let alicesIds = alices.compactMap { $0["id"]?.stringValue }
        let (refused, refusal) = await cloud.call("archiveEvents", ["ids": alicesIds[0]], keys: bob)
        #expect(refused == 530)
        #expect(
            refusal["errortext"]?.stringValue == "Unable to archive Events, one or more parameters has invalid values"
        )
        let (refusedDelete, _) = await cloud.call("deleteEvents", ["ids": alicesIds.joined(separator: ",")], keys: bob)
        #expect(refusedDelete == 530)
        #expect(await Self.events(cloud, [:], keys: alice).count == 3)
        let (unselected, text) = await cloud.call("archiveEvents", [:], keys: alice)
        #expect(unselected == 431)
        #expect(text["errortext"]?.stringValue == "either ids, type or enddate must be specified")

        // Archived events leave the default list and show with archived=true.
        let (archived, body) = await cloud.call("archiveEvents", ["ids": alicesIds[0]], keys: alice)
        #expect(archived == 200)
        #expect(body["success"] == .string("true"))
        let remaining = await Self.events(cloud, [:], keys: alice)
        #expect(remaining.count == 2 && !remaining.contains { $0["id"]?.stringValue == alicesIds[0] })
        let shown = await Self.events(cloud, ["archived": "true"], keys: alice)
        #expect(shown.compactMap { $0["id"]?.stringValue } == [alicesIds[0]])
        #expect(shown.first?["archived"] == .bool(true))

        // A user's deleteEvents by type touches only its own account; the admin's by date, everyone's.
        let (deleted, _) = await cloud.call("deleteEvents", ["type": "VM.CREATE"], keys: bob)
        #expect(deleted == 200)
        #expect(await Self.events(cloud, [:], keys: bob).isEmpty)
        #expect(await Self.events(cloud, [:], keys: alice).count == 2)
        let (purged, _) = await cloud.call("deleteEvents", ["enddate": "2999-12-31"])
        #expect(purged == 200)
        #expect(await Self.events(cloud, ["listall": "true"]).isEmpty)
        #expect(await Self.events(cloud, ["listall": "true", "archived": "true"]).isEmpty)
    }

    @Test func pendingEventsAndLoginsAreListed() async throws {
        let cloud = try await TestCloud.make()
        let store = cloud.server.core.store
        let adminAccount = try #require(
            try await store.list(Account.self, ListQuery(equals: [("name", "admin")])).items.first
        )
        let now = cloud.server.events.now
        // A job that started 100 s ago and never completed, and one that did.
        let stuck = Event(
            id: "00000000-0000-0000-0000-0000000000a1",
            type: "VM.START",
            state: "Started",
            description: "Starting job for starting Vm",
            accountId: adminAccount.id,
            startId: "00000000-0000-0000-0000-0000000000a0",
            created: now - 100
        )
        let done = Event(
            id: "00000000-0000-0000-0000-0000000000b1",
            type: "VM.START",
            state: "Started",
            description: "Starting job for starting Vm",
            accountId: adminAccount.id,
            // One batch's rows differ in which optional columns are nil.
            resourceId: "00000000-0000-0000-0000-0000000000c0",
            resourceType: "VirtualMachine",
            startId: "00000000-0000-0000-0000-0000000000b0",
            created: now - 100
        )
        let completion = Event(
            id: "00000000-0000-0000-0000-0000000000b2",
            type: "VM.START",
            state: "Completed",
            description: "Successfully completed starting Vm",
            accountId: adminAccount.id,
            startId: "00000000-0000-0000-0000-0000000000b0",
            created: now - 90
        )
        try await store.insertEvents([stuck, done, completion])
        let pending = await Self.events(cloud, ["duration": "10", "entrytime": "1000"])
        #expect(pending.compactMap { $0["id"]?.stringValue } == [stuck.id])
        #expect(await Self.events(cloud, ["duration": "200", "entrytime": "1000"]).isEmpty)
        let (refused, _) = await cloud.call("listEvents", ["duration": "10", "entrytime": "5"])
        #expect(refused == 431)

        let login = await cloud.server.handle(
            APIRequest(
                method: "POST",
                parameters: APIParameters([
                    ("command", "login"), ("username", "admin"), ("password", cloud.admin.password),
                    ("response", "json"),
                ])
            )
        )
        #expect(login.status == 200)
        let logins = await Self.events(cloud, ["type": "USER.LOGIN"])
        #expect(logins.count == 1 && logins.first?["username"]?.stringValue == "admin")
    }
}
