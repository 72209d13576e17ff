import Foundation
import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperTestSupport

/// The servers the client suite runs against: the same tests run against both, so their results can be compared
/// (Apache ZooKeeper 3.8 is the oracle). Each is started once per test process with extended types (TTL) on, a
/// 500 ms container check interval, tickTime 500 ms (sessions 1 s to 10 s) and the super digest of
/// ``superCredentials``.
enum IntegrationTargets {
    /// The super user every target is started with: `super:test`.
    static let superCredentials = "super:test"

    static let settings = ZooKeeperTargetSettings(
        tickTime: .milliseconds(500),
        superDigest: DigestAuth.digestId(superCredentials),
        extendedTypesEnabled: true,
        containerCheckInterval: .milliseconds(500)
    )

    static let all = ZooKeeperTarget.all(settings)
}

/// One test's corner of a server: a unique base path, and clients that are closed at the end.
final class TestBed: Sendable {
    let connectString: String
    let base: String

    init(_ target: ZooKeeperTarget) async throws {
        self.connectString = try await target.connectString()
        self.base = "/t-\(UInt64.random(in: 0..<UInt64.max))"
        let client = try await self.client()
        try await client.create(self.base)
        await client.close()
    }

    /// A path under this test's base.
    func path(_ relative: String) -> String { self.base + "/" + relative }

    /// A new connected client.
    func client(timeout: Duration = .seconds(6), chroot: String? = nil) async throws -> ZooKeeperClient {
        var configuration = try ZooKeeperClientConfiguration(
            connectString: self.connectString + (chroot ?? ""),
            sessionTimeout: timeout
        )
        configuration.shuffleServers = false
        return try await ZooKeeperClient.connect(configuration: configuration)
    }
}

extension TestBed {
    /// A new client that reaches the server through a `PartitionProxy` the test can cut and heal.
    func clientBehindProxy(timeout: Duration) async throws -> (PartitionProxy, ZooKeeperClient) {
        let server = try ZooKeeperClientConfiguration(connectString: self.connectString).servers[0]
        let proxy = PartitionProxy(targetHost: server.host, targetPort: server.port)
        let proxyPort = try await proxy.start()
        let client = try await ZooKeeperClient.connect(
            connectString: "127.0.0.1:\(proxyPort)",
            sessionTimeout: timeout
        )
        return (proxy, client)
    }
}

/// Bytes of a string.
func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Waits for the next element of a stream, failing after `timeout`.
func next<T: Sendable>(
    _ stream: AsyncThrowingStream<T, any Error>,
    timeout: Duration = .seconds(10)
) async throws -> T? {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            var iterator = stream.makeAsyncIterator()
            return try await iterator.next()
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut()
        }
        let first = try await group.next()!
        group.cancelAll()
        return first
    }
}

/// Waits for a one-shot watch, failing after `timeout`.
func fired(_ watch: Watch, timeout: Duration = .seconds(10)) async throws -> WatchEvent {
    try await withThrowingTaskGroup(of: WatchEvent.self) { group in
        group.addTask { try await watch.event() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut()
        }
        let first = try await group.next()!
        group.cancelAll()
        return first
    }
}

/// Waits until `condition` holds, polling, failing after `timeout`.
func eventually(
    timeout: Duration = .seconds(15),
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw TimedOut()
}

struct TimedOut: Error {}

/// Expects `body` to throw a KeeperError with `code`.
func expectKeeperError(
    _ code: KeeperError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
    } catch let error as KeeperError {
        #expect(error.code == code, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
