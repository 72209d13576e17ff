import Agent
import Coordination
import Logging
import QEMU

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ids of a process's simulated hosts (`zoostack agent --simulator --hosts N`).
package enum SimulatedHostIds {
    /// `count` distinct lowercase UUIDs: with a data directory, the ones kept in `DATA-DIR/host-ids` (one a line;
    /// more are made and kept when `count` grew), so that a restarted process registers the same hosts; without
    /// one, new ones (as the one-host simulator's default id).
    /// - Parameters:
    ///   - count: how many.
    ///   - dataDirectory: where the ids are kept, if anywhere.
    /// - Returns: the ids.
    /// - Throws: when the directory or the file cannot be written.
    package static func ids(count: Int, dataDirectory: String?) throws -> [String] {
        guard let dataDirectory else { return (0..<count).map { _ in UUID().uuidString.lowercased() } }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let file = dataDirectory + "/host-ids"
        var ids: [String] = []
        if let text = try? String(contentsOfFile: file, encoding: .utf8) {
            var seen: Set<String> = []
            for line in text.split(whereSeparator: \.isNewline) {
                let id = line.trimmedWhitespace
                if !id.isEmpty, !id.contains("/"), seen.insert(id).inserted { ids.append(id) }
            }
        }
        if ids.count < count {
            ids += (ids.count..<count).map { _ in UUID().uuidString.lowercased() }
            try FileBytes.replaceFile(file, with: Array(ids.map { $0 + "\n" }.joined().utf8))
        }
        return Array(ids.prefix(count))
    }
}

extension AgentOptions {
    /// Runs `--hosts N` simulated hosts: one simulator agent on one port answers for all of them, and one
    /// ZooKeeper session carries their registrations; prints a ready line per host and runs until SIGINT or
    /// SIGTERM.
    func runSimulatedHosts(credentials: ClusterCredentials, logger: Logger) async throws {
        let ids = try SimulatedHostIds.ids(
            count: self.hosts,
            dataDirectory: self.dataDir.map(QEMUAgentPaths.absolute)
        )
        let agent = SimulatorAgent(hostIds: ids, secret: AgentSecret(credentials))
        let port = try await agent.start(address: self.address, port: self.port)
        let hosts = ids.enumerated().map { index, id in
            HostInfo(
                id: id,
                name: self.name.map { "\($0)-\(index + 1)" },
                address: "\(self.address):\(port)",
                cpuCores: self.cpu ?? 1,
                cpuSpeedMHz: self.cpuSpeed,
                memoryBytes: Int64(self.memory ?? 1) << 20,
                zoneId: self.zone,
                clusterId: self.cluster,
                hypervisor: "Simulator",
                version: "zoostack-agent"
            )
        }
        let registrations: [HostRegistration]
        do {
            let tls = try self.zookeeperTLS.configuration()
            registrations = try await ZooKeeperWait.retrying(connectString: self.zookeeper, logger: logger) {
                try await HostRegistration.connect(
                    connectString: self.zookeeper,
                    rootPath: self.root,
                    sessionTimeout: .milliseconds(self.sessionTimeoutMs),
                    credentials: credentials,
                    tls: tls,
                    hosts: hosts,
                    logger: logger
                )
            }
        } catch {
            await agent.shutdown()
            throw error
        }
        let lines = hosts.map { "ZooStack agent \($0.id) ready on \($0.address)" }
        try await runCommandServices(
            [("the agent", AgentService(registrations: registrations, shutdown: { await agent.shutdown() }))],
            logger: logger
        ) {
            for line in lines { print(line) }
            fflush(nil)  // a reader of a pipe sees the lines now (nil flushes every C stream).
        }
    }
}
