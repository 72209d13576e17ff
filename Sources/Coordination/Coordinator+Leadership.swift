import Logging
import Synchronization
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes

extension Coordinator {
    /// This management server's leadership now.
    ///
    /// The rule: it leads only while the election says so *and* the session is connected. On the first sign of
    /// trouble (the connection drops: `.suspended`) it stops leading at once, before the session is known to be
    /// lost, because another server may be elected as soon as it expires; when the connection comes back it joins
    /// the election again at the back, so any new leadership has a new, higher epoch.
    public nonisolated var leadership: Leadership { self.liveState.withLock { $0.leadership } }

    /// Leadership changes: the current leadership first, then every change. A leader sees `isLeader == false`
    /// as soon as its connection drops, and must stop leader-only work then.
    /// - Returns: the changes; the stream ends when the coordinator stops.
    public nonisolated func leadershipChanges() -> AsyncStream<Leadership> {
        self.leadershipBroadcast.stream()
    }

    /// The current leader's id, if any (read from the election).
    /// - Returns: the id.
    /// - Throws: `KeeperError`.
    public func leaderId() async throws -> String? {
        try await self.election?.participants().first
    }

    /// Runs `ops` atomically behind this leader's fencing token: the multi also checks the epoch node's version,
    /// so it fails as a whole once a newer leader exists, even when this server still believes it leads.
    /// - Parameter ops: the writes.
    /// - Returns: the results of `ops`.
    /// - Throws: `CoordinationError` `.notLeader` when not leading now, `.fenced` when deposed;
    ///   `MultiError` when another op failed (its index counts the epoch check as op 0); `KeeperError` on
    ///   connection problems.
    @discardableResult
    public func fencedMulti(_ ops: [MultiOp]) async throws -> [MultiResult] {
        guard let token = self.leadership.token else {
            throw CoordinationError(.notLeader, "management server \(self.configuration.serverId) is not the leader")
        }
        return try await self.fencedMulti(ops, token: token)
    }

    /// Runs `ops` atomically behind an explicit fencing token (for work started under an earlier leadership).
    /// - Parameters:
    ///   - ops: the writes.
    ///   - token: the token the work was started with.
    /// - Returns: the results of `ops`.
    /// - Throws: `CoordinationError` `.fenced` when a newer leader exists; `MultiError` (its index counts the
    ///   epoch check as op 0); `KeeperError`.
    @discardableResult
    public nonisolated func fencedMulti(_ ops: [MultiOp], token: FencingToken) async throws -> [MultiResult] {
        do {
            return try await self.client.fencedMulti(ops, token: token)
        } catch let error as MultiError where error.failedIndex == 0 && error.code == .badVersion {
            throw CoordinationError(.fenced, "leadership epoch \(token.epoch) was superseded by a newer leader")
        } catch let error as MultiError where error.failedIndex == 0 && error.code == .noNode {
            throw CoordinationError(.fenced, "the epoch node \(token.epochPath) is gone")
        }
    }

    /// The newest epoch written by any leader (the epoch node's version).
    /// - Returns: the epoch.
    /// - Throws: `KeeperError`.
    public func currentEpoch() async throws -> Int32 {
        try await self.client.getData(self.layout.epoch).stat.version
    }

    func electionChanged(_ change: LeadershipChange) async {
        var token = change.token
        if token != nil, let election = self.election, await election.fencingToken != token {
            // A change overtaken by a later one (the election has moved on meanwhile).
            token = nil
        }
        guard change.token == nil || self.state == .connected else { return }
        self.electedToken = token
        self.updateLeadership()
    }

    func updateLeadership() {
        let token = self.state == .connected && !self.stopped ? self.electedToken : nil
        let leadership = Leadership(token: token)
        let changed = self.liveState.withLock { live -> Bool in
            guard live.leadership != leadership else { return false }
            live.leadership = leadership
            return true
        }
        guard changed else { return }
        if let token {
            self.logger.info("leading with epoch \(token.epoch)")
        } else {
            self.logger.info("not leading")
        }
        self.leadershipBroadcast.send(leadership)
        self.statusUpdates.continuation.yield()
        self.leaderTask?.cancel()
        self.leaderTask = nil
        if let token { self.leaderTask = self.startHostAssignment(token: token) }
    }
}
