import CloudAPI
import CloudCore
import CloudModel
import CloudTestSupport
import Foundation
import Logging
import Orchestrator
import Testing

@testable import CloudStore

/// The store's SQL on both databases: SQLite (in memory or a file) and a real PostgreSQL (``PostgresTestCluster``).
struct BackendStoreTests {
    @Test(arguments: TestBackend.allCases)
    func virtualMachineStateCompareAndSetHasOneWinner(backend: TestBackend) async throws {
        let cloud = try await TestCloud.make(backend: backend)
        let store = cloud.server.core.store
        let deployed = try await cloud.deploy()
        let vmId = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let vm = try #require(try await store.get(VirtualMachine.self, id: vmId))
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await store.transitionVirtualMachine(
                        id: vm.id,
                        from: .running,
                        to: .stopping,
                        updateCount: vm.updateCount,
                        hostId: vm.hostId
                    )
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
        #expect(try await store.get(VirtualMachine.self, id: vmId)?.updateCount == vm.updateCount + 1)
    }

    @Test(arguments: TestBackend.allCases)
    func restartRecoveryFailsInterruptedJobs(backend: TestBackend) async throws {
        let location = try await backend.sharedLocation()
        let cloud = try await TestCloud.make(location: location)
        let store = cloud.server.core.store
        let deployed = try await cloud.deploy()
        let vmId = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let vm = try #require(try await store.get(VirtualMachine.self, id: vmId))
        #expect(
            try await store.transitionVirtualMachine(
                id: vm.id,
                from: .running,
                to: .stopping,
                updateCount: vm.updateCount,
                hostId: vm.hostId
            )
        )
        let job = AsyncJob(
            id: UUID().uuidString.lowercased(),
            accountId: vm.accountId,
            userId: vm.accountId,
            cmd: "StopVirtualMachineCmd",
            instanceType: "VirtualMachine",
            instanceId: vm.id,
            created: WallClock.system.now
        )
        try await store.insert(job)

        // A new process on the same database.
        let restarted = try await CloudStore.open(location, maxConnections: 4)
        let failed = try await RestartRecovery.run(store: restarted, logger: Logger(label: "test"))
        #expect(failed == 1)
        let settled = try #require(try await restarted.get(VirtualMachine.self, id: vmId))
        #expect(settled.state == .stopped)
        #expect(settled.hostId == nil)
        #expect(try await restarted.list(Host.self).items.map(\.cpuUsed).reduce(0, +) == 0)
        let recorded = try #require(try await restarted.get(AsyncJob.self, id: job.id))
        #expect(recorded.status == 2)
        #expect(recorded.resultCode == 530)
        await restarted.close()
    }
}
