import Agent
import Logging
import NIOCore
import NIOPosix
import QEMU
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// A real hypervisor host's agent: serves the agent protocol (``AgentServer``) and runs each VM as a daemonized
/// `qemu-system-x86_64` driven over QMP, the way CloudStack's KVM agent (`LibvirtComputingResource`) runs them
/// through libvirt.
///
/// VMs outlive the agent: ``shutdown()`` closes the agent's connections and leaves every QEMU running, and
/// ``start(address:port:group:)`` first re-adopts the VMs of its data directory (`vms/VMID/`). A VM whose guest
/// powered off or whose QEMU died is reported `Stopped` by `GetVmStatesCommand` until a stop or start command for
/// it. Commands for one VM run one at a time; commands for different VMs run concurrently.
///
/// ```swift
/// let agent = QEMUHostAgent(
///     hostId: hostId,
///     configuration: QEMUAgentConfiguration(dataDirectory: "/var/lib/zoostack", accelerator: .tcg),
///     secret: AgentSecret(credentials)
/// )
/// let port = try await agent.start(address: "127.0.0.1", port: 0)
/// ...
/// await agent.shutdown()  // the VMs keep running
/// ```
public final class QEMUHostAgent: Sendable {
    /// The host this agent is.
    public let hostId: String
    /// Its directories and QEMU settings.
    public let configuration: QEMUAgentConfiguration
    let logger: Logger
    let vms = Mutex<[String: ManagedVm]>([:])
    let locks = KeyedLock()
    let hostCPUSample = Mutex<ProcFiles.CPUTimes?>(nil)
    /// The memory of the VMs being started, in bytes (not in `vms` yet).
    let startingMemory = Mutex<Int64>(0)
    private let server = Mutex<AgentServer?>(nil)
    /// The storage heartbeat's timer (see ``writeHeartbeat()``).
    private let heartbeat = Mutex<RepeatedTask?>(nil)
    private let secret: AgentSecret
    private let handshakeTimeout: Duration

    /// Creates an agent (not listening, no VM adopted yet).
    /// - Parameters:
    ///   - hostId: the host's id; commands for another host are refused as not served.
    ///   - configuration: directories and QEMU settings.
    ///   - secret: the cluster secret management servers must prove.
    ///   - handshakeTimeout: how long a connection may take to prove it.
    ///   - logger: where adoption and clean-up problems are logged.
    public init(
        hostId: String,
        configuration: QEMUAgentConfiguration,
        secret: AgentSecret,
        handshakeTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "zoostack.agent.qemu")
    ) {
        self.hostId = hostId
        self.configuration = configuration
        self.secret = secret
        self.handshakeTimeout = handshakeTimeout
        self.logger = logger
    }

    /// Creates the directories, re-adopts the VMs left running in the data directory, and starts listening.
    /// - Parameters:
    ///   - address: the address to listen on.
    ///   - port: the port (0 picks a free one).
    ///   - group: the event loops.
    /// - Returns: the bound port.
    /// - Throws: file-system errors for the directories, NIO's socket errors.
    @discardableResult
    public func start(
        address: String = "127.0.0.1",
        port: Int = 0,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Int {
        for directory in [self.configuration.vmsDirectory, self.configuration.primaryStorage] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        await self.adoptAll()
        self.writeHeartbeat()
        let interval = TimeAmount.milliseconds(Int64(self.configuration.heartbeatInterval / .milliseconds(1)))
        let beat = group.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in
            self.writeHeartbeat()
        }
        self.heartbeat.withLock { $0 = beat }
        let server = AgentServer(
            secret: self.secret,
            handshakeTimeout: self.handshakeTimeout,
            handler: .concurrent { [self] request in await self.handle(request) }
        )
        let bound = try await server.start(address: address, port: port, group: group)
        self.server.withLock { $0 = server }
        return bound
    }

    /// Stops listening and writing the heartbeat, and closes the QMP connections; every QEMU keeps running (a new
    /// agent on the same data directory adopts them).
    public func shutdown() async {
        self.heartbeat.withLock { beat in
            beat?.cancel()
            beat = nil
        }
        let server = self.server.withLock { server in
            let taken = server
            server = nil
            return taken
        }
        await server?.shutdown()
        let processes = self.vms.withLock { vms in
            let all = vms.values.compactMap(\.process)
            vms = [:]
            return all
        }
        for process in processes { await process.qmp.close() }
    }

    /// The port the agent listens on, once started.
    public var port: Int? {
        self.server.withLock { $0?.port }
    }

    /// The VMs the agent knows, sorted by id, with their state (`Running` or `Stopped`).
    public var knownVms: [AgentVm] {
        self.vms.withLock { $0.values.map(\.reported) }.sorted { $0.id < $1.id }
    }

    /// Executes one command.
    /// - Parameter request: the request.
    /// - Returns: the answer (never throws: failures are answers with `result` false).
    public func handle(_ request: AgentRequest) async -> AgentAnswer {
        let seq = request.seq
        guard let command = AgentCommand(rawValue: request.command) else {
            return AgentAnswer(seq: seq, result: false, details: "Unsupported command \(request.command)")
        }
        guard request.body.hostId == self.hostId else {
            return AgentAnswer(seq: seq, result: false, details: SimulatorAgent.notServed(request.body.hostId))
        }
        var answer: AgentAnswer
        switch command {
        case .ready:
            answer = AgentAnswer(seq: seq, result: true, details: "Host \(self.hostId) is ready")
        case .getVmStates:
            let vms = self.knownVms
            answer = AgentAnswer(seq: seq, result: true, details: "\(vms.count) VMs", vms: vms)
        case .getHostStats:
            answer = self.hostStats()
        case .getVmStats:
            answer = await self.vmStats(request.body.vm?.id)
        case .getVolumeStats:
            let stats = self.volumeStats()
            answer = AgentAnswer(seq: seq, result: true, details: "\(stats.count) volumes", volumeStats: stats)
        case .getConsoleOutput:
            answer = self.consoleOutput(request.body.vm?.id, lines: request.body.lines)
        case .getVncPort:
            answer = await self.vncAddress(request.body.vm?.id)
        case .destroyVolumes:
            answer = await self.destroyVolumes(request.body.disks ?? [])
        case .checkOnHost:
            answer = self.checkOnHost(request.body.checkedHostId ?? "", disks: request.body.disks ?? [])
        case .start, .stop, .reboot:
            guard let vm = request.body.vm else {
                return AgentAnswer(seq: seq, result: false, details: "\(command.rawValue) needs a vm")
            }
            guard PlainName.isValid(vm.id) else {
                return AgentAnswer(seq: seq, result: false, details: "Invalid VM id \(vm.id)")
            }
            let body = request.body
            answer = await self.locks.withLock(vm.id) { [self] in
                switch command {
                case .start: await self.startVm(vm, spec: body.spec)
                case .stop: await self.stopVm(vm, forced: body.forced ?? false)
                default: await self.rebootVm(vm)
                }
            }
        case .attach, .detach, .resizeVolume:
            guard let vm = request.body.vm, PlainName.isValid(vm.id) else {
                return AgentAnswer(seq: seq, result: false, details: "\(command.rawValue) needs a valid vm")
            }
            let body = request.body
            answer = await self.locks.withLock(vm.id) { [self] in
                switch command {
                case .attach: await self.attach(vm, body)
                case .detach: await self.detach(vm, body)
                default: await self.resizeVolume(vm, body)
                }
            }
        case .copy, .revertSnapshot:
            // One at a time per VM (its start and stop wait), per detached volume, or per written file.
            let body = request.body
            let key =
                body.vm?.id ?? body.source?.disk?.volumeId ?? body.destination?.disk?.volumeId
                ?? body.destination?.path ?? ""
            answer = await self.locks.withLock(key) { [self] in
                command == .copy ? await self.copy(body) : await self.revertSnapshot(body)
            }
        case .prepareForMigration, .migrate:
            guard let vm = request.body.vm, PlainName.isValid(vm.id) else {
                return AgentAnswer(seq: seq, result: false, details: "\(command.rawValue) needs a valid vm")
            }
            let body = request.body
            answer = await self.locks.withLock(vm.id) { [self] in
                command == .migrate ? await self.migrateVm(vm, body) : await self.prepareIncoming(vm, spec: body.spec)
            }
        case .securityGroupRules:
            guard let vm = request.body.vm, PlainName.isValid(vm.id) else {
                return AgentAnswer(seq: seq, result: false, details: "\(command.rawValue) needs a valid vm")
            }
            let nics = request.body.nics ?? []
            answer = await self.locks.withLock(vm.id) { [self] in await self.securityGroupRules(vm, nics: nics) }
        case .scale:
            guard let vm = request.body.vm, PlainName.isValid(vm.id) else {
                return AgentAnswer(seq: seq, result: false, details: "\(command.rawValue) needs a valid vm")
            }
            answer = await self.locks.withLock(vm.id) { [self] in await self.scaleVm(vm) }
        }
        answer.seq = seq
        return answer
    }

    /// Adopts every VM whose run directory holds a record: a live QEMU is re-opened over QMP; a dead one is known
    /// as stopped (reported once the management server asks).
    private func adoptAll() async {
        let directory = self.configuration.vmsDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names.sorted() where PlainName.isValid(name) {
            let runDirectory = directory + "/" + name
            guard let record = VmRecord.read(from: runDirectory), record.vm.id == name else {
                self.logger.warning(
                    "run directory without a VM record left alone",
                    metadata: ["dir": "\(runDirectory)"]
                )
                continue
            }
            var process: QEMUProcess?
            do {
                process = try await QEMUProcess.adopt(runDirectory: runDirectory)
                self.logger.info("adopted running VM", metadata: ["vm": "\(name)"])
            } catch {
                self.logger.info("VM found stopped", metadata: ["vm": "\(name)", "reason": "\(error.message)"])
            }
            self.vms.withLock { $0[name] = ManagedVm(record: record, process: process) }
        }
    }

    /// Forgets a VM and removes what its run left on the host: QMP connection, taps, run directory. Its disks
    /// stay (a `DestroyCommand` deletes them).
    func discard(_ vmId: String) async {
        let managed = self.vms.withLock { $0.removeValue(forKey: vmId) }
        if let process = managed?.process { await process.qmp.close() }
        let runDirectory = self.configuration.runDirectory(vmId)
        // A QEMU the agent could not re-open over QMP may still run for the directory: it must not outlive it.
        let pidFile = runDirectory + "/qemu.pid"
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let pid = Int32(text.trimmedWhitespace),
            let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
            String(decoding: cmdline, as: UTF8.self).contains(pidFile)
        {
            kill(pid, SIGKILL)
        }
        if let record = managed?.record {
            await self.removeFirewall(Self.firewallPorts(record.spec.nics, taps: record.taps), vmId: vmId)
        }
        for tap in managed?.record.taps ?? [] { await HostNetwork.remove(tap: tap) }
        try? FileManager.default.removeItem(atPath: runDirectory)
    }
}
