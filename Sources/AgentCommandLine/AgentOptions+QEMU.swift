import Agent
import ArgumentParser
import Coordination
import Logging
import QEMU
import QEMUAgent

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Paths of `zoostack agent --hypervisor qemu` (and of `zoostack serve --hypervisor qemu`'s in-process agent).
package enum QEMUAgentPaths {
    /// `path` made absolute against the working directory (a daemonized QEMU runs in `/`).
    package static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The host id kept in the data directory (so that a restarted agent is the same host as its VMs), written
    /// on first use; `given` replaces it.
    package static func hostId(dataDirectory: String, given: String?) throws -> String {
        let file = dataDirectory + "/host-id"
        if given == nil, let text = try? String(contentsOfFile: file, encoding: .utf8) {
            let id = text.trimmedWhitespace
            if !id.isEmpty { return id }
        }
        let id = given ?? UUID().uuidString.lowercased()
        try FileBytes.replaceFile(file, with: Array((id + "\n").utf8))
        return id
    }
}

extension AgentOptions {
    /// Probes the accelerator, re-adopts the VMs left in the data directory and starts listening.
    func startQEMU(credentials: ClusterCredentials, logger: Logger) async throws -> StartedAgent {
        let dataDirectory = QEMUAgentPaths.absolute(self.dataDir ?? "zoostack-agent")
        let probeDirectory = dataDirectory + "/probe"
        try FileManager.default.createDirectory(atPath: probeDirectory, withIntermediateDirectories: true)
        let hostId = try QEMUAgentPaths.hostId(dataDirectory: dataDirectory, given: self.hostId)
        let decision = await AcceleratorProbe().decide(workDirectory: probeDirectory)
        logger.info(
            "accelerator chosen",
            metadata: ["accelerator": "\(decision.accelerator.rawValue)", "reason": "\(decision.reason)"]
        )
        let configuration = QEMUAgentConfiguration(
            dataDirectory: dataDirectory,
            primaryStorage: self.primaryStorage.map(QEMUAgentPaths.absolute),
            accelerator: decision.accelerator
        )
        let agent = QEMUHostAgent(
            hostId: hostId,
            configuration: configuration,
            secret: AgentSecret(credentials),
            logger: logger
        )
        let port = try await agent.start(address: self.address, port: self.port)
        let host = HostInfo(
            id: hostId,
            name: self.name,
            address: "\(self.address):\(port)",
            cpuCores: self.cpu ?? ProcessInfo.processInfo.activeProcessorCount,
            cpuSpeedMHz: self.cpuSpeed,
            memoryBytes: self.memory.map { Int64($0) << 20 } ?? Int64(ProcessInfo.processInfo.physicalMemory),
            zoneId: self.zone,
            clusterId: self.cluster,
            hypervisor: "KVM",
            version: "zoostack-agent",
            accelerator: decision.accelerator.rawValue
        )
        return StartedAgent(host: host) { await agent.shutdown() }
    }
}
