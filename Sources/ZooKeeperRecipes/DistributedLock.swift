import ZooKeeperClient
import ZooKeeperProtocol

/// A distributed mutual-exclusion lock, after Apache Curator's `InterProcessMutex` (not reentrant).
///
/// Each contender creates a protected ephemeral-sequential node `_c_<guid>-lock-<seq>` under ``path``; the lowest
/// sequence holds the lock, and every other contender watches only the node just before its own, so a release
/// wakes one waiter, not the herd. A holder whose session ends loses the lock: its node goes, and the next waiter
/// takes it.
///
/// As Curator documents, a connection that is `.suspended` means the lock must be treated as lost: the session may
/// expire before it comes back. ``isAcquired`` turns false on `.suspended`, `.expired` and `.closed`; call
/// ``release()`` to give the node back either way.
///
/// ```swift
/// let lock = DistributedLock(client: zk, path: "/locks/vm-42")
/// guard try await lock.acquire(timeout: .seconds(5)) else { return }
/// defer { Task { try await lock.release() } }
/// ```
public actor DistributedLock {
    /// The client the lock uses.
    public nonisolated let client: ZooKeeperClient
    /// The lock's parent node; contenders' nodes are its children.
    public nonisolated let path: String

    private let clock: any Clock<Duration>
    private var ownNode: String?
    private var held = false
    private var monitor: Task<Void, Never>?

    /// The marker in every contender's node name.
    static let marker = "lock-"

    /// Makes a lock; nothing happens on the server until ``acquire(timeout:)``.
    /// - Parameters:
    ///   - client: the client.
    ///   - path: the lock's parent node (created when missing).
    ///   - clock: the clock that measures `acquire` timeouts.
    public init(client: ZooKeeperClient, path: String, clock: any Clock<Duration> = ContinuousClock()) {
        self.client = client
        self.path = path
        self.clock = clock
    }

    deinit {
        self.monitor?.cancel()
    }

    /// Whether this instance holds the lock, as far as it can tell: false after `.suspended`, `.expired` or
    /// `.closed`, since the session (and with it the node) may be gone.
    public var isAcquired: Bool { self.held }

    /// The path of this instance's contender node, while it has one.
    public var nodePath: String? { self.ownNode.map { RecipeSupport.join(self.path, $0) } }

    /// Waits for the lock.
    /// - Parameter timeout: how long to wait; nil waits for ever.
    /// - Returns: true when the lock is held, false when the timeout passed first (the contender node is then
    ///   deleted).
    /// - Throws: `RecipeError` `.alreadyAcquired` when this instance already holds or waits for the lock,
    ///   `.nodeLost` when the session ended while waiting; `KeeperError` from the client.
    @discardableResult
    public func acquire(timeout: Duration? = nil) async throws -> Bool {
        guard self.ownNode == nil else { throw RecipeError(.alreadyAcquired) }
        self.startMonitor()
        let acquired: Bool
        do {
            if let timeout {
                acquired = try await self.attempt(timeout: timeout)
            } else {
                acquired = try await self.attempt()
            }
        } catch {
            await self.dropNode()
            throw error
        }
        if !acquired { await self.dropNode() }
        return acquired
    }

    /// Releases the lock: deletes the contender node (retrying through connection loss).
    /// - Throws: `RecipeError` `.notAcquired` when this instance has no node; `KeeperError` when the node could
    ///   not be deleted.
    public func release() async throws {
        guard let node = self.ownNode else { throw RecipeError(.notAcquired) }
        self.ownNode = nil
        self.held = false
        try await Self.delete(self.client, RecipeSupport.join(self.path, node))
    }

    /// The contenders' node names, holder first.
    /// - Returns: the names.
    /// - Throws: `KeeperError`.
    public func participantNodes() async throws -> [String] {
        do {
            return RecipeSupport.sortedSequential(try await self.client.getChildren(self.path), marker: Self.marker)
        } catch let error as KeeperError where error.code == .noNode {
            return []
        }
    }

    // MARK: internals

    private func attempt(timeout: Duration) async throws -> Bool {
        let clock = self.clock
        let won = try await withThrowingTaskGroup(of: Bool?.self) { group in
            group.addTask { try await self.attempt() }
            group.addTask {
                try await clock.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        // On timeout the waiting loop was cancelled; it may still have won the race.
        return won ?? self.held
    }

    private func attempt() async throws -> Bool {
        if self.ownNode == nil {
            let node = try await RecipeSupport.createProtected(self.client, parent: self.path, marker: Self.marker)
            self.ownNode = node
        }
        while true {
            guard let node = self.ownNode else { throw RecipeError(.nodeLost) }
            try Task.checkCancellation()
            let children = try await self.participantNodes()
            guard let index = children.firstIndex(of: node) else { throw RecipeError(.nodeLost) }
            if index == 0 {
                self.held = true
                return true
            }
            // Watch only the predecessor (no herd effect); getData leaves no watch when it is already gone.
            do {
                let watch = try await self.client.getDataWatch(RecipeSupport.join(self.path, children[index - 1])).watch
                _ = try await watch.event()
            } catch let error as KeeperError where error.code == .noNode {
                continue
            }
        }
    }

    private func dropNode() async {
        guard let node = self.ownNode else { return }
        self.ownNode = nil
        self.held = false
        try? await Self.delete(self.client, RecipeSupport.join(self.path, node))
    }

    private func startMonitor() {
        guard self.monitor == nil else { return }
        let states = self.client.connectionStates()
        self.monitor = Task { [weak self] in
            for await state in states {
                await self?.connectionChanged(state)
            }
        }
    }

    private func connectionChanged(_ state: ConnectionState) {
        switch state {
        case .suspended, .expired, .closed, .authFailed:
            self.held = false
        case .connected, .reconnected:
            break
        }
    }

    static func delete(_ client: ZooKeeperClient, _ path: String) async throws {
        var attempts = 0
        while true {
            do {
                try await client.delete(path)
                return
            } catch let error as KeeperError where error.code == .noNode {
                return
            } catch let error as KeeperError where error.code == .connectionLoss && attempts < 20 {
                attempts += 1
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
