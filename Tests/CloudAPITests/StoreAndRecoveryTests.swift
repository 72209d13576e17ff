import CloudAPI
import CloudCore
import CloudModel
import Foundation
import Logging
import Orchestrator
import Testing

@testable import CloudStore

struct StoreAndRecoveryTests {
    @Test func interruptedJobsFailAndReleaseReservations() async throws {
        let cloud = try await TestCloud.make()
        let store = cloud.server.core.store
        let deployed = try await cloud.deploy()
        let vmId = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        var vm = try #require(try await store.get(VirtualMachine.self, id: vmId))
        // Simulate a crash mid-stop: the VM is Stopping, still holding capacity, and a job is pending.
        #expect(
            try await store.transitionVirtualMachine(
                id: vm.id,
                from: .running,
                to: .stopping,
                updateCount: vm.updateCount,
                hostId: vm.hostId
            )
        )
        vm = try #require(try await store.get(VirtualMachine.self, id: vmId))
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

        let failed = try await RestartRecovery.run(store: store, logger: Logger(label: "test"))
        #expect(failed == 1)
        let (_, result) = await cloud.call("queryAsyncJobResult", ["jobid": job.id])
        #expect(result["jobstatus"]?.int == 2)
        #expect(result["jobresultcode"]?.int == 530)
        let settled = try #require(try await store.get(VirtualMachine.self, id: vmId))
        #expect(settled.state == .stopped)
        #expect(settled.hostId == nil)
        #expect(try await store.list(Host.self).items.map(\.cpuUsed).reduce(0, +) == 0)
    }

    @Test func internalErrorsDoNotLeakDetails() {
        let error = CloudError.from(StoreError(.database, "insert vm_instance failed"))
        #expect(error.code == .internalError)
        #expect(error.text == "Internal error executing command")
    }

    @Test(arguments: [
        (OrchestratorError.Kind.invalidParameter, 431, 4350), (.permissionDenied, 531, 4365),
        (.insufficientCapacity, 533, 4325), (.resourceUnavailable, 534, 4380), (.internalError, 530, 4250),
    ])
    func errorTableMapsEveryKind(kind: OrchestratorError.Kind, code: Int, csCode: Int) {
        let error = CloudError.from(OrchestratorError(kind, "x"))
        #expect(error.code.rawValue == code)
        #expect(error.csErrorCode == csCode)
    }

    @Test func passwordsAreHashed() {
        let stored = PasswordHasher.hash("s3cret")
        #expect(!stored.contains("s3cret"))
        #expect(PasswordHasher.verify("s3cret", against: stored))
        #expect(!PasswordHasher.verify("other", against: stored))
    }
}
