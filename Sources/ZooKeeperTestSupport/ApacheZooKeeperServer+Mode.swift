import Foundation

extension ApacheZooKeeperServer {
    /// The role a serving server reports on the `Mode:` line of `srvr` (`server/command/StatCommand.java`).
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// A single server started by `ZooKeeperServerMain`.
        case standalone
        /// The ensemble's leader.
        case leader
        /// A voting member following the leader.
        case follower
        /// A non-voting member.
        case observer
        /// A server in read-only mode (`readonlymode.enabled`) that lost its quorum.
        case readOnly = "read-only"

        /// Parses the `Mode:` line of a `srvr` or `stat` answer.
        ///
        /// - Parameter srvrOutput: The answer to `srvr`. A server that is not serving answers
        ///   "This ZooKeeper instance is not currently serving requests", which has no `Mode:` line.
        /// - Returns: The mode, or `nil` if the answer has no known `Mode:` line.
        public init?(srvrOutput: String) {
            for line in srvrOutput.split(whereSeparator: \.isNewline) where line.hasPrefix("Mode:") {
                let value = line.dropFirst("Mode:".count).trimmingCharacters(in: .whitespaces)
                self.init(rawValue: value)
                return
            }
            return nil
        }
    }
}
