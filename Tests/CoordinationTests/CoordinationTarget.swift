import Coordination
import Foundation
import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperTestSupport

/// The servers the coordination suite runs against: Apache ZooKeeper 3.8 and ZooStack's embedded server (as in
/// ZooStackIntegrationTests), tickTime 500 ms (sessions 1 s to 10 s), each started once per test process.
enum CoordinationTarget {
    static let all = ZooKeeperTarget.all(ZooKeeperTargetSettings(tickTime: .milliseconds(500)))
}

/// One test's cluster: its own root on the target, and coordinators that are stopped at the end.
final class TestCluster: Sendable {
    let connectString: String
    let root: String

    convenience init(_ target: ZooKeeperTarget) async throws {
        self.init(connectString: try await target.connectString())
    }

    init(connectString: String) {
        self.connectString = connectString
        self.root = "/t-\(UInt64.random(in: 0..<UInt64.max))/zoostack"
    }

    /// The layout under this test's root.
    var layout: ZNodeLayout { ZNodeLayout(root: self.root) }

    /// A configuration for management server `id`, optionally through another connect string (a proxy).
    func configuration(
        _ id: String,
        connectString: String? = nil,
        timeout: Duration = .seconds(6),
        credentials: ClusterCredentials? = nil
    )
        -> CoordinationConfiguration
    {
        CoordinationConfiguration(
            connectString: connectString ?? self.connectString,
            rootPath: self.root,
            sessionTimeout: timeout,
            serverId: id,
            address: "127.0.0.1:\(8080 + id.count)",
            version: "test",
            credentials: credentials
        )
    }

    /// A started coordinator for management server `id`.
    func coordinator(
        _ id: String,
        timeout: Duration = .seconds(6),
        credentials: ClusterCredentials? = nil
    ) async throws -> Coordinator {
        try await Coordinator.start(
            configuration: self.configuration(id, timeout: timeout, credentials: credentials)
        )
    }

    /// A started coordinator that reaches the server through a proxy the test can cut and heal.
    func coordinatorBehindProxy(
        _ id: String,
        timeout: Duration = .seconds(4)
    ) async throws
        -> (PartitionProxy, Coordinator)
    {
        let server = try ZooKeeperClientConfiguration(connectString: self.connectString).servers[0]
        let proxy = PartitionProxy(targetHost: server.host, targetPort: server.port)
        let port = try await proxy.start()
        let coordinator = try await Coordinator.start(
            configuration: self.configuration(id, connectString: "127.0.0.1:\(port)", timeout: timeout)
        )
        return (proxy, coordinator)
    }

    /// A plain client to look at the tree (anonymous, or authenticated with `credentials`).
    func client(credentials: ClusterCredentials? = nil) async throws -> ZooKeeperClient {
        var configuration = try ZooKeeperClientConfiguration(
            connectString: self.connectString,
            sessionTimeout: .seconds(6)
        )
        if let credentials { configuration.authInfo = [credentials.authInfo] }
        return try await ZooKeeperClient.connect(configuration: configuration)
    }
}

/// Stops coordinators.
func stopAll(_ coordinators: [Coordinator]) async {
    for coordinator in coordinators { await coordinator.stop() }
}

/// Waits until `condition` holds, polling, failing after `timeout`.
func eventually(
    timeout: Duration = .seconds(40),
    _ what: String = "condition",
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw TimedOut(what: what)
}

/// Waits for the first element of `stream` that satisfies `predicate`, failing after `timeout`.
func first<T: Sendable>(
    _ stream: AsyncStream<T>,
    timeout: Duration = .seconds(40),
    where predicate: @escaping @Sendable (T) -> Bool
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            for await value in stream where predicate(value) { return value }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut(what: "stream element")
        }
        let found = try await group.next()!
        group.cancelAll()
        guard let found else { throw TimedOut(what: "stream ended") }
        return found
    }
}

struct TimedOut: Error {
    var what: String
}

/// Expects `body` to throw a CoordinationError with `code`.
func expectCoordinationError(
    _ code: CoordinationError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
    } catch let error as CoordinationError {
        #expect(error.code == code, sourceLocation: sourceLocation)
        #expect(!error.reason.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
