import ZooKeeperClient
import ZooKeeperProtocol

/// A leader's fencing token: the version of the election's persistent `epoch` node right after this leader bumped
/// it with a versioned (compare-and-set) setData. Every new leadership bumps the epoch, so tokens increase
/// monotonically across leaders, and a write guarded by `check(epoch, version: token)` fails once anyone newer has
/// become leader (Kleppmann's fencing tokens, with ZooKeeper's multi as the storage-side check).
public struct FencingToken: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The epoch node the token is a version of.
    public var epochPath: String
    /// The epoch node's version this leader set.
    public var epoch: Int32

    /// Makes a token.
    /// - Parameters:
    ///   - epochPath: the epoch node.
    ///   - epoch: its version.
    public init(epochPath: String, epoch: Int32) {
        self.epochPath = epochPath
        self.epoch = epoch
    }

    /// Orders tokens of the same election by epoch.
    public static func < (lhs: FencingToken, rhs: FencingToken) -> Bool {
        (lhs.epoch, lhs.epochPath) < (rhs.epoch, rhs.epochPath)
    }

    /// The `check` op that fails a multi unless this token is still the newest.
    public var checkOp: MultiOp {
        .check(CheckVersionRequest(path: self.epochPath, version: self.epoch))
    }

    /// `ops` behind this token's check.
    /// - Parameter ops: the writes.
    /// - Returns: `[checkOp] + ops`.
    public func fenced(_ ops: [MultiOp]) -> [MultiOp] {
        [self.checkOp] + ops
    }

    public var description: String { "FencingToken(\(self.epochPath)@\(self.epoch))" }
}

extension ZooKeeperClient {
    /// Runs `ops` atomically, only if `token` is still the newest leader's: a deposed leader's write fails.
    /// - Parameters:
    ///   - ops: the writes.
    ///   - token: the leader's fencing token.
    /// - Returns: the results of `ops` (the check's result left out).
    /// - Throws: `MultiError` with code `.badVersion` at index 0 when a newer leader exists; `MultiError` for other
    ///   failed ops; `KeeperError` on connection problems.
    @discardableResult
    public func fencedMulti(_ ops: [MultiOp], token: FencingToken) async throws -> [MultiResult] {
        Array(try await self.multi(token.fenced(ops)).dropFirst())
    }
}
