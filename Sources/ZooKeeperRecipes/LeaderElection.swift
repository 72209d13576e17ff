import ZooKeeperClient
import ZooKeeperProtocol

/// A change of leadership seen by one participant.
public struct LeadershipChange: Hashable, Sendable {
    /// Whether the participant is the leader now.
    public var isLeader: Bool
    /// The leader's fencing token while it leads; nil otherwise.
    public var token: FencingToken?
}

/// Leader election after Apache Curator's `LeaderLatch`, handing each new leader a ``FencingToken``.
///
/// Each participant creates a protected ephemeral-sequential node `_c_<guid>-latch-<seq>` under ``path``; the lowest
/// sequence leads, every other participant watches only its predecessor. On becoming leader a participant bumps
/// the persistent `epoch` node under ``path`` with a versioned setData and keeps the new version as its token.
///
/// Leadership is dropped at once on `.suspended` (the session may expire before the client is back) and on
/// `.expired`; on `.reconnected` the participant deletes its old node and joins again at the back, as Curator's
/// `LeaderLatch.reset()` does, so a new leadership always means a new epoch.
public actor LeaderElection {
    /// The client the participant uses.
    public nonisolated let client: ZooKeeperClient
    /// The election's node; participants' nodes and the epoch node are its children.
    public nonisolated let path: String
    /// This participant's id, stored as its node's data.
    public nonisolated let participantId: String
    /// The persistent epoch node whose version is the fencing token (`<path>/epoch` unless given at init).
    public nonisolated let epochPath: String

    private let changes = Broadcaster<LeadershipChange>(replaysLast: true)
    private var ownNode: String?
    private var token: FencingToken?
    private var attemptID = 0
    private var attemptTask: Task<Void, Never>?
    private var monitor: Task<Void, Never>?
    private var started = false
    private var closed = false

    static let marker = "latch-"

    /// Makes a participant; it joins with ``start()``.
    /// - Parameters:
    ///   - client: the client.
    ///   - path: the election's node (created when missing).
    ///   - participantId: an id for this participant, stored in its node.
    ///   - epochPath: the epoch node, when not `<path>/epoch` (its parent must exist); every participant of one
    ///     election must pass the same.
    public init(client: ZooKeeperClient, path: String, participantId: String, epochPath: String? = nil) {
        self.client = client
        self.path = path
        self.participantId = participantId
        self.epochPath = epochPath ?? RecipeSupport.join(path, "epoch")
    }

    deinit {
        self.monitor?.cancel()
        self.attemptTask?.cancel()
    }

    /// Whether this participant leads now.
    public var isLeader: Bool { self.token != nil }

    /// This leader's fencing token, or nil when not leading.
    public var fencingToken: FencingToken? { self.token }

    /// Leadership changes of this participant: the current state first, then every change (`isLeader` true with
    /// the new token, or false). The stream ends when the participant is closed.
    /// - Returns: the changes.
    public nonisolated func leadershipChanges() -> AsyncStream<LeadershipChange> {
        self.changes.stream()
    }

    /// Joins the election: makes sure the election and epoch nodes exist, then creates this participant's node in
    /// the background; leadership arrives through ``leadershipChanges()``.
    /// - Throws: `RecipeError` `.closed` after ``close()``; `KeeperError`.
    public func start() async throws {
        guard !self.closed else { throw RecipeError(.closed) }
        guard !self.started else { return }
        self.started = true
        self.changes.send(LeadershipChange(isLeader: false, token: nil))
        try await RecipeSupport.ensurePath(self.client, self.path)
        do {
            try await self.client.create(self.epochPath, data: Array("0".utf8))
        } catch let error as KeeperError where error.code == .nodeExists {
            // Another participant made it.
        }
        let states = self.client.connectionStates()
        self.monitor = Task { [weak self] in
            for await state in states {
                await self?.connectionChanged(state)
            }
        }
        self.startAttempt()
    }

    /// Leaves the election: drops leadership, deletes this participant's node and ends the change stream.
    public func close() async {
        guard !self.closed else { return }
        self.closed = true
        self.attemptID += 1
        self.attemptTask?.cancel()
        self.monitor?.cancel()
        self.setNotLeader()
        if let node = self.ownNode {
            self.ownNode = nil
            try? await DistributedLock.delete(self.client, RecipeSupport.join(self.path, node))
        }
        self.changes.finish()
    }

    /// Runs `ops` atomically behind this leader's fencing token.
    /// - Parameter ops: the writes.
    /// - Returns: the results of `ops`.
    /// - Throws: `RecipeError` `.notLeader` when not leading; `MultiError` `.badVersion` when a newer leader has
    ///   bumped the epoch; `KeeperError`.
    @discardableResult
    public func fencedMulti(_ ops: [MultiOp]) async throws -> [MultiResult] {
        guard let token = self.token else { throw RecipeError(.notLeader) }
        return try await self.client.fencedMulti(ops, token: token)
    }

    /// The participants' ids, leader first.
    /// - Returns: the ids.
    /// - Throws: `KeeperError`.
    public func participants() async throws -> [String] {
        let children = RecipeSupport.sortedSequential(try await self.client.getChildren(self.path), marker: Self.marker)
        var ids: [String] = []
        for child in children {
            if let data = try? await self.client.getData(RecipeSupport.join(self.path, child)).data {
                ids.append(String(decoding: data, as: UTF8.self))
            }
        }
        return ids
    }

    // MARK: internals

    private func startAttempt() {
        guard !self.closed else { return }
        self.attemptID += 1
        let id = self.attemptID
        self.attemptTask?.cancel()
        self.attemptTask = Task { [weak self] in await self?.run(id) }
    }

    private func run(_ id: Int) async {
        do {
            // Curator's reset(): a fresh node at the back of the queue.
            if let old = self.ownNode {
                self.ownNode = nil
                try? await self.client.delete(RecipeSupport.join(self.path, old))
            }
            let node = try await RecipeSupport.createProtected(
                self.client,
                parent: self.path,
                marker: Self.marker,
                data: Array(self.participantId.utf8)
            )
            guard id == self.attemptID, !self.closed else {
                try? await self.client.delete(RecipeSupport.join(self.path, node))
                return
            }
            self.ownNode = node
            while id == self.attemptID, !Task.isCancelled {
                let children = RecipeSupport.sortedSequential(
                    try await self.client.getChildren(self.path),
                    marker: Self.marker
                )
                guard let index = children.firstIndex(of: node) else {
                    // Our node is gone (deleted, or the session ended): join again.
                    self.setNotLeader()
                    if self.ownNode == node { self.ownNode = nil }
                    throw RecipeError(.nodeLost)
                }
                let watched = children[index == 0 ? 0 : index - 1]
                let watch: Watch
                do {
                    watch = try await self.client.getDataWatch(RecipeSupport.join(self.path, watched)).watch
                } catch let error as KeeperError where error.code == .noNode {
                    continue
                }
                if index == 0 {
                    let token = try await self.bumpEpoch()
                    guard id == self.attemptID, !Task.isCancelled else { return }
                    self.setLeader(token)
                }
                // The leader watches its own node, a follower its predecessor.
                _ = try await watch.event()
                guard id == self.attemptID else { return }
                self.setNotLeader()
            }
        } catch {
            guard id == self.attemptID, !self.closed else { return }
            self.setNotLeader()
            // A transient failure; a suspension would have bumped attemptID already.
            try? await Task.sleep(for: .milliseconds(200))
            if id == self.attemptID { self.startAttempt() }
        }
    }

    private func bumpEpoch() async throws -> FencingToken {
        while true {
            let stat: Stat
            do {
                stat = try await self.client.getData(self.epochPath).stat
            } catch let error as KeeperError where error.code == .noNode {
                do {
                    try await self.client.create(self.epochPath, data: Array("0".utf8))
                } catch let error as KeeperError where error.code == .nodeExists {}
                continue
            }
            do {
                let new = try await self.client.setData(
                    self.epochPath,
                    data: Array(String(stat.version + 1).utf8),
                    version: stat.version
                )
                return FencingToken(epochPath: self.epochPath, epoch: new.version)
            } catch let error as KeeperError where error.code == .badVersion {
                continue
            }
        }
    }

    private func setLeader(_ token: FencingToken) {
        self.token = token
        self.changes.send(LeadershipChange(isLeader: true, token: token))
    }

    private func setNotLeader() {
        guard self.token != nil else { return }
        self.token = nil
        self.changes.send(LeadershipChange(isLeader: false, token: nil))
    }

    private func connectionChanged(_ state: ConnectionState) {
        switch state {
        case .suspended, .expired, .authFailed, .closed:
            self.attemptID += 1
            self.attemptTask?.cancel()
            self.setNotLeader()
            if state != .suspended { self.ownNode = nil }
        case .reconnected, .connected:
            if self.started { self.startAttempt() }
        }
    }
}
