import Logging
import ZooKeeperClient
import ZooKeeperProtocol

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GroupMember {
    /// How a member gets its id back from an earlier incarnation of itself: a process that crashed or was killed
    /// and was started again before ZooKeeper expired its session, whose ephemeral node still holds the id.
    ///
    /// A node owned by one of ``previousSessions`` is freed at once by resuming that session (ZooKeeper lets any
    /// client that shows a session's id and password resume it) and closing it, which deletes all its ephemeral
    /// nodes. When that fails, or the owner is unknown and ``waitForUnknownOwner`` is set, the member waits up to
    /// ``wait`` for the node to go (ZooKeeper expires a dead session after its timeout), logging that it waits;
    /// after that the id is `memberIdTaken`.
    public struct Takeover: Sendable {
        /// The sessions of earlier incarnations (as they recorded them, e.g. in a data directory).
        public var previousSessions: [SessionCredentials]
        /// The longest wait for a node of another session to go: its session timeout plus a margin for the
        /// server's expiry tick. Zero never waits.
        public var wait: Duration
        /// Whether to wait also for a node whose owner is none of ``previousSessions``: for a member that keeps no
        /// record of its sessions (it cannot tell its dead incarnation from a live twin, which still ends in
        /// `memberIdTaken` once the wait is over).
        public var waitForUnknownOwner: Bool
        /// Called with the member's session before each attempt to create its node, so that the next
        /// incarnation finds it among its ``previousSessions``. An error stops the registration.
        public var recordSession: (@Sendable (SessionCredentials) async throws -> Void)?
        /// Where closing and waiting are logged.
        public var logger: Logger

        /// Makes a takeover policy; the default takes nothing over.
        /// - Parameters:
        ///   - previousSessions: the sessions of earlier incarnations.
        ///   - wait: the longest wait for another session's node to go.
        ///   - waitForUnknownOwner: whether to wait for the nodes of sessions not in `previousSessions` too.
        ///   - recordSession: records the member's own session before it creates its node.
        ///   - logger: where closing and waiting are logged.
        public init(
            previousSessions: [SessionCredentials] = [],
            wait: Duration = .zero,
            waitForUnknownOwner: Bool = false,
            recordSession: (@Sendable (SessionCredentials) async throws -> Void)? = nil,
            logger: Logger = Logger(label: "zookeeper.recipes.group-member")
        ) {
            self.previousSessions = previousSessions
            self.wait = wait
            self.waitForUnknownOwner = waitForUnknownOwner
            self.recordSession = recordSession
            self.logger = logger
        }
    }

    /// Creates the member's node, taking it over from an earlier incarnation as ``takeover`` allows.
    func register() async throws {
        let takeover = self.takeover
        let session = try await self.client.session
        try await takeover.recordSession?(session)
        var closed: Set<Int64> = []
        var deadline: ContinuousClock.Instant?
        while true {
            do {
                try await self.client.create(self.nodePath, data: self.data, mode: .ephemeral)
                return
            } catch let error as KeeperError where error.code == .nodeExists {
                // Ours already (a create whose reply was lost, or a resumed session), or another session's.
            }
            let (stat, watch) = try await self.client.existsWatch(self.nodePath)
            guard let stat else { continue }
            let owner = stat.ephemeralOwner
            if owner == session.sessionId { return }
            let previous = takeover.previousSessions.first { $0.sessionId == owner }
            if let previous, !closed.contains(owner) {
                closed.insert(owner)
                takeover.logger.notice(
                    "\(self.nodePath) is held by the previous incarnation's session \(Self.hex(owner)); closing it"
                )
                await self.close(previous)
                continue
            }
            guard takeover.wait > .zero, previous != nil || takeover.waitForUnknownOwner else {
                throw RecipeError(.memberIdTaken)
            }
            let now = ContinuousClock.now
            let until = deadline ?? now + takeover.wait
            if deadline == nil {
                deadline = until
                let seconds = takeover.wait / .seconds(1)
                takeover.logger.notice(
                    """
                    \(self.nodePath) is held by another session: waiting for the previous incarnation's session \
                    \(Self.hex(owner)) to expire (up to \(Self.oneDecimal(seconds)) s)
                    """
                )
            }
            guard now < until else { throw RecipeError(.memberIdTaken) }
            _ = try await RecipeSupport.wait(for: watch, timeout: until - now, clock: ContinuousClock())
        }
    }

    /// Resumes a session of an earlier incarnation and closes it: its ephemeral nodes go. A session that is gone
    /// already, or whose password is wrong, cannot be resumed; the caller then waits for its node.
    private func close(_ previous: SessionCredentials) async {
        var configuration = self.client.configuration
        configuration.reconnectWithNewSessionOnExpiry = false
        do {
            let resumed = try await ZooKeeperClient.connect(configuration: configuration, session: previous)
            await resumed.close()
            self.takeover.logger.notice("closed the previous incarnation's session \(Self.hex(previous.sessionId))")
        } catch {
            self.takeover.logger.notice(
                "cannot resume the previous incarnation's session \(Self.hex(previous.sessionId)): \(error)"
            )
        }
    }

    /// `value` with one decimal, as `%.1f` prints it (without Foundation's `String(format:)`).
    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((abs(value) * 10).rounded())
        return "\(value < 0 && tenths > 0 ? "-" : "")\(tenths / 10).\(tenths % 10)"
    }

    /// `0x` and the session id in hex, as ZooKeeper logs it.
    static func hex(_ sessionId: Int64) -> String { "0x" + String(UInt64(bitPattern: sessionId), radix: 16) }
}
