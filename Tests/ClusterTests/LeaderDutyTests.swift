import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Cluster
import Coordination
import Foundation
import Orchestrator
import Testing

/// The leader's duties: the orphaned-job sweep, host HA, expunge; and host ownership.
@Suite(.serialized)
struct LeaderDutyTests {
    /// A pending job owned by `owner` on `vmId`, created a minute ago.
    func pendingJob(_ owner: String, vmId: String?, store: CloudStore) async throws -> String {
        let id = UUID().uuidString.lowercased()
        try await store.insert(
            AsyncJob(
                id: id,
                accountId: "a",
                userId: "u",
                cmd: "org.apache.cloudstack.api.command.user.vm.StartVMCmd",
                instanceType: "VirtualMachine",
                instanceId: vmId,
                created: WallClock.system.now - 60,
                owner: owner
            )
        )
        return id
    }

    @Test func jobsOfDepartedServersFailAndTheirReservationsAreReleased() async throws {
        let harness = try await ClusterHarness()
        let a = try await harness.start("ms-a")
        let b = try await harness.start("ms-b")
        let c = try await harness.start("ms-c")
        defer { Task { await harness.close() } }
        let store = a.store
        // A VM caught Starting by a server that died: its capacity is reserved on its host.
        let vmId = try await harness.deploy(a)
        let running = try #require(try await store.get(VirtualMachine.self, id: vmId))
        let hostId = try #require(running.hostId)
        let usedBefore = try #require(try await store.get(Host.self, id: hostId)).cpuUsed
        #expect(
            try await store.transitionVirtualMachine(
                id: vmId,
                from: .running,
                to: .starting,
                updateCount: running.updateCount,
                hostId: hostId
            )
        )
        let orphan = try await self.pendingJob("ms-gone", vmId: vmId, store: store)
        let ofLiveServer = try await self.pendingJob("ms-b", vmId: nil, store: store)
        // A server that dies without leaving (its session is closed, its rows stay).
        let ofKilledServer = try await self.pendingJob("ms-c", vmId: nil, store: store)
        await c.abandon()

        try await eventually("the departed servers' jobs failed") {
            let gone = try await store.get(AsyncJob.self, id: orphan)
            let killed = try await store.get(AsyncJob.self, id: ofKilledServer)
            return gone?.status == 2 && killed?.status == 2
        }
        let failed = try #require(try await store.get(AsyncJob.self, id: orphan))
        #expect(failed.resultCode == 530)
        #expect(failed.result?.contains("job cancelled because of management server restart or shutdown") == true)
        let (_, result) = try await harness.call(b, "queryAsyncJobResult", ["jobid": orphan])
        #expect(result["jobstatus"]?.stringValue == "2")
        #expect(result["jobresult"]?["errorcode"]?.stringValue == "530")
        // The VM that never finished starting is Stopped and its reservation released.
        let settled = try #require(try await store.get(VirtualMachine.self, id: vmId))
        #expect(settled.state == .stopped)
        #expect(settled.hostId == nil)
        let usedAfter = try #require(try await store.get(Host.self, id: hostId)).cpuUsed
        #expect(usedAfter == usedBefore - running.cpuDemand)
        // A live server's job is left alone.
        #expect(try await store.get(AsyncJob.self, id: ofLiveServer)?.status == 0)
        _ = b
    }

    @Test func newJobsCarryTheirServer() async throws {
        let harness = try await ClusterHarness()
        let a = try await harness.start("ms-a")
        defer { Task { await harness.close() } }
        let (_, body) = try await harness.call(a, "listZones")
        #expect(body["zone"] != nil)
        let vmId = try await harness.deploy(a)
        let jobs = try await a.store.list(AsyncJob.self, ListQuery(equals: [("instance_id", vmId)])).items
        #expect(!jobs.isEmpty)
        #expect(jobs.allSatisfy { $0.owner == "ms-a" })
    }

    @Test func aLostHostGoesDownAndComesBack() async throws {
        let harness = try await ClusterHarness()
        let a = try await harness.start("ms-a")
        let b = try await harness.start("ms-b")
        defer { Task { await harness.close() } }
        for (name, value) in [("ping.interval", "1"), ("ping.timeout", "0.5")] {
            let (status, body) = try await harness.call(a, "updateConfiguration", ["name": name, "value": value])
            #expect(status == 200, "\(body.json)")
        }
        try await eventually("settings applied on both") {
            [a, b].allSatisfy { $0.core.configuration.cached.int("ping.interval") == 1 }
                && [a, b].allSatisfy { $0.core.configuration.cached.double("ping.timeout") == 0.5 }
        }
        let host = try #require(try await a.store.list(Host.self).items.first)
        let registration = try await HostRegistration.connect(
            connectString: harness.connectString,
            rootPath: harness.root,
            sessionTimeout: .seconds(4),
            credentials: nil,
            host: HostInfo(id: host.id, address: "127.0.0.1:1", cpuCores: 4, cpuSpeedMHz: 2000, memoryBytes: 1 << 33)
        )
        try await eventually("both servers see the host's node") {
            [a, b].allSatisfy { runtime in
                runtime.coordinator?.hostDirectory.lastKnownHosts.contains { $0.id == host.id } == true
            }
        }
        // The leader assigns the host an owner, shown by listHosts.
        try await eventually("the host has an owner") {
            let listed = try await harness.list(b, "listHosts", "host", ["id": host.id])
            let owner = listed.first?["managementserverid"]?.stringValue
            return owner == "ms-a" || owner == "ms-b"
        }
        await registration.deregister()
        try await eventually("the host is Down") {
            try await a.store.get(Host.self, id: host.id)?.state == "Down"
        }
        let events = try await harness.list(b, "listEvents", "event", ["type": "HOST.DOWN", "listall": "true"])
        #expect(!events.isEmpty)

        let back = try await HostRegistration.connect(
            connectString: harness.connectString,
            rootPath: harness.root,
            sessionTimeout: .seconds(4),
            credentials: nil,
            host: HostInfo(id: host.id, address: "127.0.0.1:1", cpuCores: 4, cpuSpeedMHz: 2000, memoryBytes: 1 << 33)
        )
        try await eventually("the host is Up again") {
            try await a.store.get(Host.self, id: host.id)?.state == "Up"
        }
        await back.deregister()
    }

    @Test func theLeaderExpungesDestroyedVMsAfterTheDelay() async throws {
        let harness = try await ClusterHarness()
        let a = try await harness.start("ms-a")
        let b = try await harness.start("ms-b")
        defer { Task { await harness.close() } }
        let vmId = try await harness.deploy(b)
        let (status, body) = try await harness.call(b, "destroyVirtualMachine", ["id": vmId])
        #expect(status == 200, "\(body.json)")
        await b.core.jobs.drain()
        #expect(try await b.store.get(VirtualMachine.self, id: vmId)?.state == .destroyed)
        for (name, value) in [("expunge.delay", "0"), ("expunge.interval", "1")] {
            let (status, body) = try await harness.call(a, "updateConfiguration", ["name": name, "value": value])
            #expect(status == 200, "\(body.json)")
        }
        try await eventually("the destroyed VM is expunged") {
            try await a.store.get(VirtualMachine.self, id: vmId) == nil
        }
    }
}
