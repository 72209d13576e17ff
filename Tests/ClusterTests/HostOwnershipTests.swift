import CloudAPI
import CloudModel
import CloudStore
import Cluster
import Coordination
import Synchronization
import Testing

/// A cluster extension that records the hosts its server owns (what the agent helper's adoption consumes).
final class OwnedHostsRecorder: ClusterExtension {
    let owned = Mutex<[String]>([])
    let started = Mutex(false)
    private let task = Mutex<Task<Void, Never>?>(nil)

    func start(runtime: ClusterRuntime) async throws {
        self.started.withLock { $0 = true }
        let stream = runtime.ownedHosts()
        self.task.withLock {
            $0 = Task { [self] in
                for await hosts in stream { self.owned.withLock { $0 = hosts } }
            }
        }
    }

    func stop() async {
        self.task.withLock { $0 }?.cancel()
    }
}

@Suite(.serialized)
struct HostOwnershipTests {
    @Test func everyLiveHostIsOwnedByOneServerAndExtensionsSeeTheirShare() async throws {
        let harness = try await ClusterHarness()
        let recorders = [OwnedHostsRecorder(), OwnedHostsRecorder()]
        let a = try await harness.start("ms-a", extensions: [recorders[0]])
        let b = try await harness.start("ms-b", extensions: [recorders[1]])
        defer { Task { await harness.close() } }
        #expect(recorders.allSatisfy { $0.started.withLock { $0 } })
        var registrations: [HostRegistration] = []
        for index in 0..<4 {
            registrations.append(
                try await HostRegistration.connect(
                    connectString: harness.connectString,
                    rootPath: harness.root,
                    sessionTimeout: .seconds(8),
                    credentials: nil,
                    host: HostInfo(
                        id: "agent-\(index)",
                        address: "127.0.0.1:\(9000 + index)",
                        cpuCores: 4,
                        cpuSpeedMHz: 2000,
                        memoryBytes: 1 << 33
                    )
                )
            )
        }
        let all = (0..<4).map { "agent-\($0)" }
        try await eventually(timeout: .seconds(30), "every host owned by one of the two servers") {
            let first = recorders[0].owned.withLock { $0 }
            let second = recorders[1].owned.withLock { $0 }
            return (first + second).sorted() == all
        }
        // Both servers agree on the assignment.
        try await eventually("both servers see the same owners") {
            let owners = a.coordinator?.hostOwners()
            return owners == b.coordinator?.hostOwners() && owners?.count == 4
        }
        for registration in registrations { await registration.deregister() }
    }
}
