import Foundation
import Synchronization

extension ClusterFixture {
    /// Starts one agent process simulating `count` hosts (`zoostack agent --simulator --hosts N`) and waits for
    /// its ready line of every host (not for the hosts to be adopted).
    /// - Parameters:
    ///   - count: how many hosts.
    ///   - name: the process's name; the hosts are named NAME-1 ... NAME-N.
    ///   - cpu: cores per host.
    ///   - memoryMiB: MiB per host.
    ///   - readyTimeout: how long the process may take to print every ready line (it prints them once every host
    ///     is registered in ZooKeeper; default 120 s).
    /// - Returns: the hosts' ids, in the order the agent printed them (``killAgent(_:)`` takes any of them).
    /// - Throws: ``HarnessError`` when it does not start.
    public func startSimulatedHosts(
        count: Int,
        name: String,
        cpu: Int = 8,
        memoryMiB: Int = 16384,
        readyTimeout: Duration = .seconds(120)
    ) async throws
        -> [String]
    {
        let process = try ManagedProcess.launch(
            name: "agent \(name)",
            executable: self.options.binary,
            arguments: [
                "agent", "--simulator", "--hosts", String(count), "--zookeeper", self.coordination.connectString,
                "--name", name, "--cpu", String(cpu), "--memory", String(memoryMiB),
                "--session-timeout-ms", String(Self.milliseconds(self.options.sessionTimeout)),
                "--cluster-credentials", self.clusterCredentialsPath,
            ],
            logPath: self.directory.appendingPathComponent("agent-\(name).log").path
        )
        let prefix = "ZooStack agent "
        let deadline = ContinuousClock.now + readyTimeout
        var ids: [String] = []
        while true {
            ids = process.log.split(separator: "\n").filter { $0.hasPrefix(prefix) && $0.contains(" ready on ") }
                .map { String($0.dropFirst(prefix.count).prefix { $0 != " " }) }
            if ids.count >= count { break }
            guard process.isRunning, ContinuousClock.now < deadline else {
                process.kill()
                throw HarnessError("agent \(name) did not report \(count) hosts ready:\n\(process.logTail)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        self.agents.withLock { agents in
            for id in ids { agents[id] = process }
        }
        return ids
    }
}
