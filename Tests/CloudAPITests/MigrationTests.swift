import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Logging
import Orchestrator
import Testing

struct MigrationTests {
    /// Deploys a Small Instance (500 MHz, 512 MiB) and returns its id and host.
    static func runningVM(_ cloud: TestCloud) async throws -> (id: String, host: String) {
        let job = try await cloud.deploy()
        let vm = try #require(job["jobresult"]?["virtualmachine"])
        return (try #require(vm["id"]?.stringValue), try #require(vm["hostid"]?.stringValue))
    }

    static func usage(_ cloud: TestCloud) async throws -> [String: (cpu: Int, memory: Int)] {
        Dictionary(
            uniqueKeysWithValues: try await cloud.server.core.store.list(Host.self).items.map {
                ($0.id, ($0.cpuUsed, $0.memUsed))
            }
        )
    }

    @Test func migrateMovesTheVMAndItsCapacity() async throws {
        let cloud = try await TestCloud.make()
        let (id, source) = try await Self.runningVM(cloud)
        let job = try await cloud.callAndWait("migrateVirtualMachine", ["virtualmachineid": id])
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        let vm = try #require(job["jobresult"]?["virtualmachine"])
        #expect(vm["state"]?.stringValue == "Running")
        let target = try #require(vm["hostid"]?.stringValue)
        #expect(target != source)
        let usage = try await Self.usage(cloud)
        #expect(usage[source]?.cpu == 0 && usage[source]?.memory == 0)
        #expect(usage[target]?.cpu == 500 && usage[target]?.memory == 512 * 1024 * 1024)
        #expect(usage.values.map(\.cpu).reduce(0, +) == 500)
    }

    @Test func migrateToAnExplicitHost() async throws {
        let cloud = try await TestCloud.make()
        let (id, source) = try await Self.runningVM(cloud)
        let hosts = try await cloud.server.core.store.list(Host.self).items
        let destination = try #require(hosts.last { $0.id != source })
        let job = try await cloud.callAndWait(
            "migrateVirtualMachine",
            ["virtualmachineid": id, "hostid": destination.id]
        )
        #expect(job["jobresult"]?["virtualmachine"]?["hostid"]?.stringValue == destination.id)
        let (status, same) = await cloud.call(
            "migrateVirtualMachine",
            ["virtualmachineid": id, "hostid": destination.id]
        )
        #expect(status == 431)
        #expect(same["errortext"]?.stringValue?.contains("same as current host") == true)
    }

    @Test func migratingAStoppedVMIs431() async throws {
        let cloud = try await TestCloud.make()
        let (id, _) = try await Self.runningVM(cloud)
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": id])
        let (status, body) = await cloud.call("migrateVirtualMachine", ["virtualmachineid": id])
        #expect(status == 431)
        #expect(body["errortext"]?.stringValue?.contains("VM is not Running, unable to migrate the vm") == true)
        let (missing, text) = await cloud.call("migrateVirtualMachine", [:])
        #expect(missing == 431)
        #expect(text["errortext"]?.stringValue?.contains("virtualmachineid") == true)
    }

    @Test func injectedMigrateFailureLeavesTheVMOnItsSource() async throws {
        let cloud = try await TestCloud.make()
        let (id, source) = try await Self.runningVM(cloud)
        let (status, _) = await cloud.call(
            "configureSimulator",
            ["name": "MigrateCommand", "value": "result:fail", "count": "1"]
        )
        #expect(status == 200)
        let job = try await cloud.callAndWait("migrateVirtualMachine", ["virtualmachineid": id])
        #expect(job["jobstatus"]?.int == 2)
        #expect(job["jobresultcode"]?.int == 534)
        let (_, list) = await cloud.call("listVirtualMachines", ["id": id])
        #expect(list.items.first?["state"]?.stringValue == "Running")
        #expect(list.items.first?["hostid"]?.stringValue == source)
        let usage = try await Self.usage(cloud)
        #expect(usage[source]?.cpu == 500 && usage[source]?.memory == 512 * 1024 * 1024)
        #expect(usage.filter { $0.key != source }.allSatisfy { $0.value.cpu == 0 && $0.value.memory == 0 })
        // The rule was for one command: the next migration succeeds.
        let next = try await cloud.callAndWait("migrateVirtualMachine", ["virtualmachineid": id])
        #expect(next["jobstatus"]?.int == 1)
    }

    @Test func noOtherHostWithRoomIs533() async throws {
        let cloud = try await TestCloud.make()
        let (id, source) = try await Self.runningVM(cloud)
        for var host in try await cloud.server.core.store.list(Host.self).items where host.id != source {
            host.resourceState = "Disabled"
            try await cloud.server.core.store.replace(host, id: host.id)
        }
        let job = try await cloud.callAndWait("migrateVirtualMachine", ["virtualmachineid": id])
        #expect(job["jobstatus"]?.int == 2)
        #expect(job["jobresultcode"]?.int == 533)
        let vm = try #require(try await cloud.server.core.store.get(VirtualMachine.self, id: id))
        #expect(vm.state == .running && vm.hostId == source)
        let usage = try await Self.usage(cloud)
        #expect(usage.values.map(\.cpu).reduce(0, +) == 500)
        let (_, found) = await cloud.call("findHostsForMigration", ["virtualmachineid": id])
        #expect(found.items.allSatisfy { $0["suitableformigration"] == .bool(false) })
    }

    @Test func findHostsForMigrationListsTheOtherHosts() async throws {
        let cloud = try await TestCloud.make()
        let (id, source) = try await Self.runningVM(cloud)
        let (status, body) = await cloud.call("findHostsForMigration", ["virtualmachineid": id])
        #expect(status == 200)
        #expect(body["count"]?.int == 3)
        #expect(body.items.allSatisfy { $0["id"]?.stringValue != source })
        #expect(body.items.allSatisfy { $0["suitableformigration"] == .bool(true) })
    }

    @Test func usersCannotMigrate() async throws {
        let cloud = try await TestCloud.make()
        let keys = try await cloud.makeUser("mover")
        let job = try await cloud.deploy(keys: keys)
        let id = try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let (status, _) = await cloud.call("migrateVirtualMachine", ["virtualmachineid": id], keys: keys)
        #expect(status == 432)
    }

    @Test func restartRecoveryReleasesAnInterruptedMigrationsReservation() async throws {
        let cloud = try await TestCloud.make()
        let (id, source) = try await Self.runningVM(cloud)
        let store = cloud.server.core.store
        let target = try #require(try await store.list(Host.self).items.first { $0.id != source })
        var vm = try #require(try await store.get(VirtualMachine.self, id: id))
        // What a server leaves behind when it dies between the reservation and the MigrateCommand's answer.
        #expect(
            try await store.transitionVirtualMachine(
                id: id,
                from: .running,
                to: .migrating,
                updateCount: vm.updateCount,
                hostId: source
            )
        )
        #expect(try await store.reserveCapacity(hostId: target.id, cpu: 500, memory: 512 * 1024 * 1024))
        try await store.setDetails(of: id, [VirtualMachineService.migrationTargetDetail: target.id])
        try await RestartRecovery.run(store: store, logger: .init(label: "test"))
        vm = try #require(try await store.get(VirtualMachine.self, id: id))
        #expect(vm.state == .running && vm.hostId == source)
        let usage = try await Self.usage(cloud)
        #expect(usage[target.id]?.cpu == 0 && usage[source]?.cpu == 500)
    }

    @Test func concurrentMigrationsOfOneVMNeverLeakCapacity() async throws {
        let cloud = try await TestCloud.make()
        let (id, _) = try await Self.runningVM(cloud)
        let statuses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<6 {
                group.addTask { await cloud.call("migrateVirtualMachine", ["virtualmachineid": id]).status }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        await cloud.server.jobs.drain()
        // Each request was either refused at once (already Migrating) or queued; whatever won, the VM is Running on
        // exactly one host and exactly its demand is reserved.
        #expect(statuses.allSatisfy { $0 == 200 || $0 == 431 })
        let vm = try #require(try await cloud.server.core.store.get(VirtualMachine.self, id: id))
        #expect(vm.state == .running)
        let usage = try await Self.usage(cloud)
        #expect(usage.values.map(\.cpu).reduce(0, +) == 500)
        #expect(usage.values.map(\.memory).reduce(0, +) == 512 * 1024 * 1024)
        #expect(usage[vm.hostId ?? ""]?.cpu == 500)
    }
}
