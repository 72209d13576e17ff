import ZooKeeperRecipes

extension Coordinator {
    /// The version of the live configuration this coordinator has applied: the newest zxid that created, set or
    /// deleted a node under `/config` as of its last read (0 before the first). Servers that report the same
    /// version hold the same configuration.
    public nonisolated var configurationVersion: Int64 { self.configuration_.version }

    /// What this server publishes in its `/managementservers/ID` node now: its address, version and start, the
    /// epoch while it leads, and the configuration version it has applied (``configurationVersion``), so that
    /// every server can show every other's (`listManagementServers`).
    public nonisolated var publishedInfo: ManagementServerInfo {
        var info = self.info
        info.leaderEpoch = self.leadership.epoch
        info.configurationVersion = self.configurationVersion
        return info
    }

    /// One writer of the membership node: each request writes the newest ``publishedInfo`` (requests made while a
    /// write is under way collapse into one), retried until it succeeds or the coordinator stops; the node made
    /// again after a session expiry carries it too (``GroupMember`` keeps the last data).
    func startStatusPublisher() -> Task<Void, Never> {
        let requests = self.statusUpdates.stream
        return Task { [weak self] in
            for await _ in requests {
                while !Task.isCancelled {
                    guard let self else { return }
                    do {
                        try await self.publishStatus()
                        break
                    } catch {
                        try? await Task.sleep(for: .milliseconds(250))
                    }
                }
            }
        }
    }

    private func publishStatus() async throws {
        guard !self.stopped, let member = self.member else { return }
        try await member.update(data: try NodeJSON.encode(self.publishedInfo))
    }
}
