import Foundation
import Synchronization
import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperTestSupport

/// One Apache ZooKeeper 3.8 server for the whole test process, tickTime 500 ms so sessions may be 1 s.
let recipeTarget = ZooKeeperTarget.apache(ZooKeeperTargetSettings(tickTime: .milliseconds(500), forceSync: false))

/// One test's corner of the shared server: a unique base path.
struct RecipeBed: Sendable {
    let connectString: String
    let base: String

    init() async throws {
        self.connectString = try await recipeTarget.connectString()
        self.base = "/recipes-\(UInt64.random(in: 0..<UInt64.max))"
    }

    /// A path under this test's base.
    func path(_ relative: String) -> String { self.base + "/" + relative }

    /// A new connected client.
    func client(timeout: Duration = .seconds(4)) async throws -> ZooKeeperClient {
        var configuration = try ZooKeeperClientConfiguration(connectString: self.connectString, sessionTimeout: timeout)
        configuration.shuffleServers = false
        return try await ZooKeeperClient.connect(configuration: configuration)
    }
}

struct TimedOut: Error {}

/// Waits until `condition` holds, polling, failing after `timeout`.
func eventually(
    timeout: Duration = .seconds(10),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TimedOut()
}

/// The first element of `stream` that satisfies `predicate`, failing after `timeout`.
func first<S: AsyncSequence & Sendable>(
    _ stream: S,
    timeout: Duration = .seconds(10),
    where predicate: @escaping @Sendable (S.Element) -> Bool
) async throws -> S.Element where S.Element: Sendable {
    try await withThrowingTaskGroup(of: S.Element.self) { group in
        group.addTask {
            for try await element in stream where predicate(element) { return element }
            throw TimedOut()
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut()
        }
        let found = try await group.next()!
        group.cancelAll()
        return found
    }
}

/// A value shared between tasks.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        self.mutex = Mutex(value)
    }

    func withLock<R: Sendable>(_ body: (inout sending Value) -> sending R) -> R {
        self.mutex.withLock(body)
    }
}
