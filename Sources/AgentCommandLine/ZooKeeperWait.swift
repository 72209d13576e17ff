import Logging
import ZooKeeperProtocol

/// An agent may start before its ZooKeeper ensemble answers (a machine's boot order, a busy server): as ZooKeeper's
/// own clients keep trying to connect, the agent retries a connection that found no server, for a bounded time,
/// logging each wait, before it gives up with the error.
enum ZooKeeperWait {
    /// How long an agent keeps trying to reach ZooKeeper at start.
    static let limit = Duration.seconds(60)

    /// Runs `attempt` until it does not fail with `connectionLoss` or `operationTimeout`, or `limit` has passed.
    /// - Parameters:
    ///   - connectString: the ensemble (for the log).
    ///   - logger: where each wait is logged.
    ///   - attempt: the connection and registration.
    /// - Returns: what `attempt` returned.
    /// - Throws: the last error, or any other error at once.
    static func retrying<Value>(
        connectString: String,
        logger: Logger,
        _ attempt: () async throws -> Value
    ) async throws -> Value {
        let deadline = ContinuousClock.now + Self.limit
        var pause = Duration.milliseconds(500)
        while true {
            do {
                return try await attempt()
            } catch let error as KeeperError where [.connectionLoss, .operationTimeout].contains(error.code) {
                guard ContinuousClock.now + pause < deadline else { throw error }
                logger.warning(
                    "ZooKeeper did not answer; retrying",
                    metadata: ["zookeeper": "\(connectString)", "retry-in": "\(pause)"]
                )
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }
}
