import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Cluster
import Coordination
import Foundation
import Orchestrator
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// ``ClusterRuntimeService``: the runtime as a `Service` joins at the address the API hands over and, at its group's
/// graceful shutdown, lets running jobs finish (up to a bound) while its extensions still run, then leaves at once.
@Suite(.serialized)
struct ClusterRuntimeServiceTests {
    /// A prepared (not joined) runtime of the harness's cluster.
    func prepare(
        _ harness: ClusterHarness,
        _ id: String,
        jobDrainLimit: Duration = .seconds(60)
    ) async throws
        -> ClusterRuntime
    {
        var configuration = harness.configuration(id)
        configuration.jobDrainLimit = jobDrainLimit
        return try await ClusterRuntime.prepare(configuration: configuration, logger: harness.logger)
    }

    /// A pending job of `runtime`'s server whose work waits until `gate` finishes.
    func submitBlockedJob(_ runtime: ClusterRuntime, gate: AsyncStream<Void>) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let job = AsyncJob(
            id: id,
            accountId: "a",
            userId: "u",
            cmd: "org.apache.cloudstack.api.command.user.vm.StartVMCmd",
            instanceType: "VirtualMachine",
            instanceId: nil,
            created: WallClock.system.now
        )
        try await runtime.core.jobs.submit(job) {
            for await _ in gate {}
            return .success("{}")
        }
        return id
    }

    @Test(.timeLimit(.minutes(2)))
    func joinsAtTheHandedOverAddressAndLeavesAtOnceAtGracefulShutdown() async throws {
        let harness = try await ClusterHarness()
        let observer = try await harness.start("ms-a")
        defer { Task { await harness.close() } }
        let coordinator = try #require(observer.coordinator)
        let runtime = try await self.prepare(harness, "ms-b")
        defer { Task { await runtime.stop() } }
        let join = ClusterJoin()
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await ClusterRuntimeService(runtime: runtime, join: join).run() }
                try await join.joining(at: "127.0.0.1:9090")
                let members = try await coordinator.members()
                #expect(members.contains { $0.id == "ms-b" && $0.address == "127.0.0.1:9090" }, "\(members)")
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        // Left, not abandoned: its membership is gone now, not after its session timeout (8 s), and it is Down.
        #expect(try await coordinator.members().map(\.id) == ["ms-a"])
        let servers = try await harness.list(observer, "listManagementServers", "managementserver", ["id": "ms-b"])
        #expect(servers.first?["state"]?.stringValue == "Down", "\(servers)")
    }

    @Test(.timeLimit(.minutes(2)))
    func aFailedJoinFailsTheServiceAndReachesTheAPI() async throws {
        let harness = try await ClusterHarness()
        let observer = try await harness.start("ms-a")
        defer { Task { await harness.close() } }
        let runtime = try await self.prepare(harness, "ms-b")
        defer { Task { await runtime.stop() } }
        let join = ClusterJoin()
        let service = ClusterRuntimeService(runtime: runtime, join: join, extensions: [StopProbe(failingStart: true)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await #expect(throws: StopProbe.StartFailed.self) { try await service.run() }
            }
            await #expect(throws: StopProbe.StartFailed.self) { try await join.joining(at: "127.0.0.1:9091") }
            try await group.waitForAll()
        }
        // Stopped: it left the cluster it had joined.
        #expect(try await #require(observer.coordinator).members().map(\.id) == ["ms-a"])
    }

    @Test(.timeLimit(.minutes(2)))
    func runningJobsFinishBeforeTheExtensionsStop() async throws {
        let harness = try await ClusterHarness()
        let observer = try await harness.start("ms-a")
        defer { Task { await harness.close() } }
        let runtime = try await self.prepare(harness, "ms-b")
        defer { Task { await runtime.stop() } }
        let probe = StopProbe()
        let join = ClusterJoin()
        let (gate, open) = AsyncStream<Void>.makeStream()
        var jobId = ""
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await ClusterRuntimeService(runtime: runtime, join: join, extensions: [probe]).run()
                }
                try await join.joining(at: "127.0.0.1:9092")
                jobId = try await self.submitBlockedJob(runtime, gate: gate)
                trigger.triggerGracefulShutdown()
                open.finish()
                try await group.waitForAll()
            }
        }
        // The extensions (the agents a job talks to) stopped only once no job ran.
        #expect(probe.runningJobsAtStop == [])
        #expect(try await observer.store.get(AsyncJob.self, id: jobId)?.status == 1)
    }

    @Test(.timeLimit(.minutes(2)))
    func jobsPastTheDrainLimitAreLeftToTheOrphanedJobSweep() async throws {
        let harness = try await ClusterHarness()
        let observer = try await harness.start("ms-a")
        defer { Task { await harness.close() } }
        let runtime = try await self.prepare(harness, "ms-b", jobDrainLimit: .milliseconds(100))
        defer { Task { await runtime.stop() } }
        let join = ClusterJoin()
        let (gate, open) = AsyncStream<Void>.makeStream()
        defer { open.finish() }
        var jobId = ""
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await ClusterRuntimeService(runtime: runtime, join: join).run() }
                try await join.joining(at: "127.0.0.1:9093")
                jobId = try await self.submitBlockedJob(runtime, gate: gate)
                trigger.triggerGracefulShutdown()
                // Returns although the job never finishes.
                try await group.waitForAll()
            }
        }
        #expect(try await #require(observer.coordinator).members().map(\.id) == ["ms-a"])
        // Handed over: the leader fails the departed server's pending job.
        let id = jobId
        try await eventually("the job left pending is failed by the sweep") {
            try await observer.store.get(AsyncJob.self, id: id)?.status == 2
        }
        #expect(try await observer.store.get(AsyncJob.self, id: id)?.resultCode == 530)
    }
}

/// An extension that records the jobs running when it is stopped (or fails to start).
final class StopProbe: ClusterExtension {
    struct StartFailed: Error {}

    private let failingStart: Bool
    private let runtime = Mutex<ClusterRuntime?>(nil)
    private let recorded = Mutex<[String]?>(nil)

    init(failingStart: Bool = false) {
        self.failingStart = failingStart
    }

    /// The ids of the jobs that ran when ``stop()`` was called (nil before).
    var runningJobsAtStop: [String]? { self.recorded.withLock { $0 } }

    func start(runtime: ClusterRuntime) async throws {
        if self.failingStart { throw StartFailed() }
        self.runtime.withLock { $0 = runtime }
    }

    func stop() async {
        let running = self.runtime.withLock { $0 }?.core.jobs.runningJobIds ?? []
        self.recorded.withLock { $0 = running }
    }
}
