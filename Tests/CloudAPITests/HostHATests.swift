import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Logging
import Orchestrator
import Synchronization
import Testing

/// Host HA: a host whose agent vanished goes Disconnected, then Down; its HA VMs restart elsewhere, the others
/// stop; the event log records it; a returning host is Up again.
struct HostHATests {
    static func haOffering(_ cloud: TestCloud) async throws -> String {
        let (status, body) = await cloud.call(
            "createServiceOffering",
            [
                "name": "HA", "displaytext": "HA", "cpunumber": "1", "cpuspeed": "500", "memory": "512",
                "offerha": "true",
            ]
        )
        #expect(status == 200, "\(body.json)")
        return try #require(body["serviceoffering"]?["id"]?.stringValue)
    }

    static func deploy(_ cloud: TestCloud, on hostId: String, extra: [String: String] = [:]) async throws -> String {
        let job = try await cloud.deploy(extra: extra.merging(["hostid": hostId]) { a, _ in a })
        return try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue, "\(job.json)")
    }

    @Test func aDownHostsHAVMsRestartElsewhereAndTheOthersStop() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await cloud.server.core.store.list(Host.self).items
        let dead = hosts[0]
        let ha = try await Self.deploy(
            cloud,
            on: dead.id,
            extra: ["serviceofferingid": try await Self.haOffering(cloud)]
        )
        let plain = try await Self.deploy(cloud, on: dead.id)
        let flagged = try await Self.deploy(cloud, on: dead.id)
        let (updated, _) = await cloud.call("updateVirtualMachine", ["id": flagged, "haenable": "true"])
        #expect(updated == 200)
        let elsewhere = try await Self.deploy(cloud, on: hosts[1].id)

        #expect(try await cloud.server.hostHA.hostDisconnected(dead.id))
        #expect(try await cloud.server.hostHA.hostDisconnected(dead.id) == false)
        let (_, listed) = await cloud.call("listHosts", ["id": dead.id])
        #expect(listed.items.first?["state"]?.stringValue == "Disconnected")

        let report = try await cloud.server.hostHA.hostDown(dead.id)
        #expect(report.markedDown)
        #expect(Set(report.restarted.keys) == [ha, flagged])
        #expect(report.restarted.values.allSatisfy { $0 != dead.id && !$0.isEmpty })
        #expect(report.stopped == [plain])

        let vms = Dictionary(
            uniqueKeysWithValues: try await cloud.server.core.store.list(VirtualMachine.self).items.map { ($0.id, $0) }
        )
        #expect(vms[ha]?.state == .running && vms[ha]?.hostId != dead.id)
        #expect(vms[flagged]?.state == .running && vms[flagged]?.hostId != dead.id)
        #expect(vms[plain]?.state == .stopped && vms[plain]?.hostId == nil)
        #expect(vms[elsewhere]?.state == .running && vms[elsewhere]?.hostId == hosts[1].id)
        let deadNow = try #require(try await cloud.server.core.store.get(Host.self, id: dead.id))
        #expect(deadNow.state == "Down" && deadNow.cpuUsed == 0 && deadNow.memUsed == 0)
        // Capacity follows the restarted VMs.
        let all = try await cloud.server.core.store.list(Host.self).items
        let totalMemory: Int = all.map(\.memUsed).reduce(0, +)
        let threeSmall: Int = 3 * 512 * 1024 * 1024
        #expect(totalMemory == threeSmall)

        let (_, events) = await cloud.call("listEvents", ["listall": "true"])
        let types = events.items.compactMap { $0["type"]?.stringValue }
        #expect(types.filter { $0 == "HA.VM.RESTART" }.count == 2)
        let expectedTypes: Set<String> = ["HOST.DOWN", "HOST.DISCONNECTED", "VM.STOP"]
        #expect(expectedTypes.isSubset(of: Set(types)))
        let (_, restartEvents) = await cloud.call(
            "listEvents",
            ["type": "HA.VM.RESTART", "resourceid": ha, "listall": "true"]
        )
        #expect(restartEvents.items.count == 1)

        // A second Down changes nothing; the host's return makes it Up.
        #expect(try await cloud.server.hostHA.hostDown(dead.id).markedDown == false)
        #expect(try await cloud.server.hostHA.hostReconnected(dead.id))
        #expect(try await cloud.server.core.store.get(Host.self, id: dead.id)?.state == "Up")
    }

    @Test func anHAVMWithNowhereToGoIsStoppedAndTheFailureRecorded() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await cloud.server.core.store.list(Host.self).items
        let ha = try await Self.deploy(
            cloud,
            on: hosts[0].id,
            extra: ["serviceofferingid": try await Self.haOffering(cloud)]
        )
        for host in hosts.dropFirst() {
            let (status, _) = await cloud.call("updateHost", ["id": host.id, "allocationstate": "Disable"])
            #expect(status == 200)
        }
        let report = try await cloud.server.hostHA.hostDown(hosts[0].id)
        #expect(report.restarted.isEmpty && report.stopped == [ha])
        #expect(try await cloud.server.core.store.get(VirtualMachine.self, id: ha)?.state == .stopped)
        let (_, events) = await cloud.call(
            "listEvents",
            ["type": "HA.VM.RESTART", "level": "ERROR", "listall": "true"]
        )
        #expect(events.items.count == 1)
        let (_, alerts) = await cloud.call("listAlerts", ["type": "8"])
        #expect(alerts.items.count == 1, "\(alerts.json)")
        #expect(alerts.items.first?["name"]?.stringValue == "ALERT.USERVM")
    }

    @Test func hostLostWaitsPingIntervalTimesTimeoutAndSparesAHostThatReturned() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await cloud.server.core.store.list(Host.self).items
        let vm = try await Self.deploy(cloud, on: hosts[0].id)
        let waits = Mutex<[Duration]>([])
        let server = cloud.server
        let store = cloud.server.core.store
        // The host comes back while the service waits.
        let returning = HostHAService(
            store: store,
            virtualMachines: server.virtualMachines,
            events: server.events,
            logger: Logger(label: "test"),
            sleep: { duration in
                waits.withLock { $0.append(duration) }
                _ = try await server.hostHA.hostReconnected(hosts[0].id)
            }
        )
        #expect(try await returning.hostLost(hosts[0].id) == nil)
        #expect(waits.withLock { $0 } == [.seconds(150)])
        #expect(try await store.get(Host.self, id: hosts[0].id)?.state == "Up")
        #expect(try await store.get(VirtualMachine.self, id: vm)?.state == .running)

        // It does not come back: Down after the (configured) wait.
        let (status, _) = await cloud.call("updateConfiguration", ["name": "ping.interval", "value": "10"])
        #expect(status == 200)
        let silent = HostHAService(
            store: store,
            virtualMachines: server.virtualMachines,
            events: server.events,
            logger: Logger(label: "test"),
            sleep: { duration in waits.withLock { $0.append(duration) } }
        )
        let report = try #require(try await silent.hostLost(hosts[0].id))
        #expect(waits.withLock { $0.last } == .seconds(25))
        #expect(report.stopped == [vm])
        #expect(try await store.get(Host.self, id: hosts[0].id)?.state == "Down")
    }
}

extension HostHATests {
    @Test func usersSeeTheirVMsEventsButNotTheHosts() async throws {
        let cloud = try await TestCloud.make()
        let user = try await cloud.makeUser("hauser")
        let job = try await cloud.deploy(keys: user)
        let vm = try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue, "\(job.json)")
        let hostId = try #require(try await cloud.server.core.store.get(VirtualMachine.self, id: vm)?.hostId)
        _ = try await cloud.server.hostHA.hostDown(hostId)
        let (status, mine) = await cloud.call("listEvents", ["type": "VM.STOP"], keys: user)
        #expect(status == 200)
        #expect(mine.items.compactMap { $0["type"]?.stringValue } == ["VM.STOP"], "\(mine.json)")
        let (_, every) = await cloud.call("listEvents", [:], keys: user)
        #expect(!every.items.contains { $0["type"]?.stringValue?.hasPrefix("HOST.") == true }, "\(every.json)")
        #expect(mine.items.first?["account"]?.stringValue == "hauser")
        #expect(mine.items.first?["resourceid"]?.stringValue == vm)
        let (_, all) = await cloud.call("listEvents", ["listall": "true"])
        #expect(all.items.contains { $0["type"]?.stringValue == "HOST.DOWN" && $0["account"]?.stringValue == "system" })
    }
}
