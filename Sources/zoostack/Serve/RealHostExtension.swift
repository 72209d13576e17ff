import Agent
import AgentCommandLine
import CloudCore
import CloudModel
import CloudStore
import Cluster
import Coordination
import Foundation
import HostManagement
import Logging
import QEMU
import QEMUAgent
import Synchronization

/// The real host of `zoostack serve --hypervisor qemu`: this machine, run by an in-process ``QEMUHostAgent``
/// registered in ZooKeeper like an external agent (the server's adoption then drives it over the agent protocol).
/// Before it registers, the zone gets what real VMs need: a `file://` image store under `DATA/images` (where
/// templates are downloaded) holding a ready built-in template, ZooStack's tiny Linux (built from the machine's
/// Debian packages, as `zoostack image tiny` does), and the primary storage pool's capacity from the file system of
/// `DATA/primary`. Its VMs outlive the server: stopping it deregisters the host and leaves QEMU running; the next
/// start re-adopts them.
final class RealHostExtension: ClusterExtension {
    private let dataDirectory: String
    private let logger: Logger
    private let secret: AgentSecret
    private let running = Mutex<(agent: QEMUHostAgent, registration: HostRegistration, agentPath: String)?>(nil)

    /// The built-in template's name.
    static let tinyTemplateName = "ZooStack tiny Linux (KVM)"

    /// - Parameters:
    ///   - dataDirectory: `zoostack serve`'s data directory (absolute).
    ///   - secret: the cluster secret the agent asks of management servers.
    ///   - logger: a logger.
    init(dataDirectory: String, secret: AgentSecret, logger: Logger) {
        self.dataDirectory = dataDirectory
        self.secret = secret
        self.logger = logger
    }

    func start(runtime: ClusterRuntime) async throws {
        let store = runtime.core.store
        let images = self.dataDirectory + "/images"
        let primary = self.dataDirectory + "/primary"
        for directory in [images + "/template", primary, self.dataDirectory + "/agent/probe"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let agentDirectory = try Self.shortPath(self.dataDirectory + "/agent")
        try await self.seed(store: store, images: images, primary: primary)
        let hostId = try QEMUAgentPaths.hostId(dataDirectory: agentDirectory, given: nil)
        let decision = await AcceleratorProbe().decide(workDirectory: agentDirectory + "/probe")
        self.logger.info(
            "accelerator chosen",
            metadata: ["accelerator": "\(decision.accelerator.rawValue)", "reason": "\(decision.reason)"]
        )
        let agent = QEMUHostAgent(
            hostId: hostId,
            configuration: QEMUAgentConfiguration(
                dataDirectory: agentDirectory,
                primaryStorage: primary,
                accelerator: decision.accelerator
            ),
            secret: self.secret,
            logger: self.logger
        )
        let port = try await agent.start(address: "127.0.0.1", port: 0)
        let registration: HostRegistration
        do {
            let configuration = runtime.configuration
            registration = try await HostRegistration.connect(
                connectString: configuration.connectString,
                rootPath: configuration.rootPath,
                sessionTimeout: configuration.sessionTimeout,
                credentials: configuration.credentials,
                tls: configuration.zookeeperTLS,
                host: HostInfo(
                    id: hostId,
                    name: ProcessInfo.processInfo.hostName,
                    address: "127.0.0.1:\(port)",
                    cpuCores: ProcessInfo.processInfo.activeProcessorCount,
                    cpuSpeedMHz: 2000,
                    memoryBytes: Int64(ProcessInfo.processInfo.physicalMemory),
                    hypervisor: AgentDriver.realHypervisor,
                    version: "zoostack-agent",
                    accelerator: decision.accelerator.rawValue
                )
            )
        } catch {
            await agent.shutdown()
            Self.removeShortPath(agentDirectory, of: self.dataDirectory + "/agent")
            throw error
        }
        self.running.withLock { $0 = (agent, registration, agentDirectory) }
        Console.out("Real host \(hostId) (QEMU, \(decision.accelerator.rawValue)) ready; images in \(images)")
    }

    func stop() async {
        let running = self.running.withLock { running in
            defer { running = nil }
            return running
        }
        await running?.registration.deregister()
        await running?.agent.shutdown()
        if let running { Self.removeShortPath(running.agentPath, of: self.dataDirectory + "/agent") }
    }

    /// The zone's file-backed image store, the built-in template and the primary pool's real capacity.
    private func seed(store: CloudStore, images: String, primary: String) async throws {
        guard let zone = try await store.list(Zone.self).items.first else { return }
        try await ImageStoreDownloads.addFileStore(zoneId: zone.id, directory: images, store: store)
        let capacity = Self.fileSystemBytes(primary)
        for var pool in try await store.list(StoragePool.self, ListQuery(equals: [("zone_id", zone.id)])).items
        where capacity > 0 && pool.capacity != capacity {
            pool.capacity = capacity
            try await store.replace(pool, id: pool.id)
        }
        let templates = try await store.list(Template.self, ListQuery(equals: [("name", Self.tinyTemplateName)]))
        guard templates.items.isEmpty else { return }
        let id = UUID().uuidString.lowercased()
        let file = images + "/" + ImageStoreLayout.templatePath(id: id, format: "QCOW2")
        do {
            try await TinyImage.build(output: URL(fileURLWithPath: file), format: .qcow2)
        } catch {
            Console.out("zoostack serve: cannot build the built-in tiny template (\(error)); register one by URL")
            return
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        let owner = try await store.list(Account.self).items.first { $0.name == "admin" }
        try await store.insert(
            Template(
                id: id,
                name: Self.tinyTemplateName,
                displayText: "ZooStack's tiny Linux guest (Debian's cloud kernel and busybox)",
                format: "QCOW2",
                hypervisor: AgentDriver.realHypervisor,
                osTypeName: "Other Linux (64-bit)",
                url: "file://" + file,
                isPublic: true,
                isFeatured: true,
                accountId: owner?.id ?? "",
                zoneId: zone.id,
                status: "Download Complete",
                isReady: true,
                size: size,
                created: store.clock.now
            )
        )
    }

    /// `directory`, or when QEMU's sockets under it (`vms/VMID/qmp.sock`) would pass a unix socket path's 107 bytes,
    /// a short symbolic link to it in the temporary directory (the same link for the same directory, so a restarted
    /// server finds its VMs again).
    static func shortPath(_ directory: String) throws -> String {
        let longest = directory + "/vms/" + String(repeating: "0", count: 36) + "/qmp.sock"
        guard longest.utf8.count > 107 else { return directory }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in directory.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let link = "/tmp/zoostack-agent-" + String(hash, radix: 16)
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) != directory {
            try? FileManager.default.removeItem(atPath: link)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: directory)
        }
        return link
    }

    /// Removes the link ``shortPath(_:)`` made for `directory` once the agent is gone, when it is still this
    /// server's (it points at `directory`) or dangling: the next start makes it again, and the QEMU processes left
    /// running keep their open sockets and files. `path` equal to `directory` (no link was needed) is left alone.
    static func removeShortPath(_ path: String, of directory: String) {
        guard path != directory, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path),
            target == directory || !FileManager.default.fileExists(atPath: target)
        else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The size of the file system holding `path`, in bytes (0 when unknown).
    static func fileSystemBytes(_ path: String) -> Int {
        guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: path),
            let size = attributes[.systemSize] as? NSNumber
        else { return 0 }
        return size.intValue
    }
}
