import Logging
import ZooKeeperClient
import ZooKeeperRecipes

extension GroupMember.Takeover {
    /// The takeover of a process that records its sessions: the sessions an earlier process recorded are closed
    /// when they hold this one's nodes (or waited out, up to ``expiryWait(timeout:)`` of the longest timeout, when
    /// they cannot be resumed), and this process's session is recorded before it creates any node.
    /// - Parameters:
    ///   - record: the record.
    ///   - client: the client that will own the nodes.
    ///   - waitForUnknownOwner: whether a node of a session the record does not name is waited out too (a
    ///     management server's id is its own: such a node is a dead incarnation's that kept no record, or a
    ///     misconfigured twin's, refused after the wait), or is another live process's at once (a host an
    ///     in-process agent finds registered is another server's to serve).
    ///   - logger: where the takeover is logged.
    /// - Returns: the takeover.
    /// - Throws: `KeeperError` when the client has no session.
    public static func recorded(
        in record: SessionRecord,
        client: ZooKeeperClient,
        waitForUnknownOwner: Bool,
        logger: Logger
    ) async throws -> Self {
        let previous = record.sessions
        let own = try await client.session
        let timeout =
            ([client.configuration.sessionTimeout, own.negotiatedTimeout] + previous.map(\.negotiatedTimeout))
            .max() ?? client.configuration.sessionTimeout
        return Self(
            previousSessions: previous,
            wait: Self.expiryWait(timeout: timeout),
            waitForUnknownOwner: waitForUnknownOwner,
            recordSession: { session in try record.add(session) },
            logger: logger
        )
    }

    /// The takeover of a process that keeps no record (an agent): a node of another session is waited out, up to
    /// ``expiryWait(timeout:)`` of the client's session timeout, as the dead incarnation's would expire in that
    /// time; a live twin's stays and ends in `memberIdTaken`.
    /// - Parameters:
    ///   - client: the client that will own the nodes.
    ///   - logger: where the wait is logged.
    /// - Returns: the takeover.
    /// - Throws: `KeeperError` when the client has no session.
    public static func waitingOut(client: ZooKeeperClient, logger: Logger) async throws -> Self {
        let own = try await client.session
        return Self(
            wait: Self.expiryWait(timeout: max(client.configuration.sessionTimeout, own.negotiatedTimeout)),
            waitForUnknownOwner: true,
            logger: logger
        )
    }

    /// How long a dead session of `timeout` may take to expire, from now: the timeout (a server that restarted
    /// meanwhile counts it again from its start), plus ZooKeeper's rounding of expiry to its tick and a margin.
    /// - Parameter timeout: the session timeout.
    /// - Returns: timeout + max(timeout / 2, 2 s).
    public static func expiryWait(timeout: Duration) -> Duration {
        timeout + max(timeout / 2, .seconds(2))
    }
}

extension Coordinator {
    /// How the membership takes this server's id back from its previous incarnation: by closing the session the
    /// data directory records, else by waiting for it to expire; not at all without a record directory. The
    /// record is claimed (until ``stop()``) first.
    func membershipTakeover() async throws -> GroupMember.Takeover {
        guard let record = self.sessionRecord else { return GroupMember.Takeover(logger: self.logger) }
        try record.claim()
        return try await GroupMember.Takeover.recorded(
            in: record,
            client: self.client,
            waitForUnknownOwner: true,
            logger: self.logger
        )
    }

    /// Once joined, the record names the current session only: the earlier ones own nothing any more.
    func membershipTakenOver() async {
        guard let record = self.sessionRecord, let session = try? await self.client.session else { return }
        do {
            try record.replace(with: session)
        } catch {
            self.logger.warning("cannot record the ZooKeeper session: \(error)")
        }
    }
}
