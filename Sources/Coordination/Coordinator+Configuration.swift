import Synchronization
import ZooKeeperClient
import ZooKeeperProtocol

extension Coordinator {
    /// Publishes a live configuration value cluster-wide: creates or sets `/config/KEY`. Every coordinator
    /// (this one included) applies it through its watch.
    /// - Parameters:
    ///   - key: the setting's name (a valid znode name, e.g. `vm.allocation.algorithm`).
    ///   - value: its value.
    /// - Throws: `CoordinationError` `.invalidName` or `.unavailable`; `KeeperError`.
    public func publish(key: String, value: String) async throws {
        let path = try self.configPath(key)
        try self.requireCoordination()
        let data = Array(value.utf8)
        while true {
            do {
                _ = try await self.client.setData(path, data: data)
                return
            } catch let error as KeeperError where error.code == .noNode {
                do {
                    try await self.client.create(path, data: data)
                    return
                } catch let error as KeeperError where error.code == .nodeExists {
                    continue
                }
            }
        }
    }

    /// Removes a live configuration value cluster-wide (coordinators then see it with a nil value).
    /// - Parameter key: the setting's name.
    /// - Throws: `CoordinationError` `.invalidName` or `.unavailable`; `KeeperError`.
    public func removeConfiguration(key: String) async throws {
        let path = try self.configPath(key)
        try self.requireCoordination()
        do {
            try await self.client.delete(path)
        } catch let error as KeeperError where error.code == .noNode {
            return
        }
    }

    /// The live configuration this coordinator has applied so far.
    public nonisolated var configurationValues: [String: String] { self.configuration_.values }

    /// Live configuration changes: every value applied so far first (as changes), then each change as this
    /// coordinator's watch applies it (a nil value for a removed key). Changes made while ZooKeeper was
    /// unreachable arrive after the reconnect.
    /// - Returns: the changes; the stream ends when the coordinator stops.
    public nonisolated func configurationChanges() -> AsyncStream<ConfigurationChange> {
        self.configuration_.stream()
    }

    private func configPath(_ key: String) throws(CoordinationError) -> String {
        guard key.isValidNodeName else {
            throw CoordinationError(.invalidName, "invalid configuration key \"\(key)\"")
        }
        return self.layout.config + "/" + key
    }
}
