import Agent
import CloudCore
import CloudModel
import CloudStore
import Coordination
import Logging
import Orchestrator

/// CloudStack's VM power-state sync for real hosts: every ``interval`` the management server asks each real host
/// it owns for its VMs (`GetVmStatesCommand`, CloudStack's ping report) and turns a VM the database says Running
/// there, but which the host reports Stopped or does not have, Stopped (``HostHAService/vmPoweredOff(_:hostId:)``:
/// an event, a sync alert, and an HA restart when the VM is HA-enabled). The host's agent is then told to forget the
/// VM (a forced `StopCommand`).
///
/// The database is read before the host is asked, and the VM's change is a compare-and-set on what was read: a VM
/// started, stopped or moved meanwhile is left alone.
///
/// ```swift
/// let sync = PowerStateSync(adoption: adoption, driver: driver, managementServer: server)
/// await sync.start()
/// ...
/// await sync.stop()
/// ```
public actor PowerStateSync {
    private let adoption: HostAdoption
    private let driver: AgentDriver
    private let store: CloudStore
    private let hostHA: HostHAService
    private let logger: Logger
    /// The time between two rounds.
    public let interval: Duration
    private var task: Task<Void, Never>?
    private var round = 0
    /// Stats are collected every this many rounds (CloudStack's `vm.stats.interval`, here 10 s by default).
    public let statsEvery: Int

    /// Creates the sync (not started).
    /// - Parameters:
    ///   - adoption: the hosts this server adopted (only those are asked).
    ///   - driver: the agent driver.
    ///   - managementServer: the core (store and host HA).
    ///   - interval: the time between rounds (2 s: a powered-off guest shows Stopped within 5 s).
    ///   - statsEvery: every how many rounds the hosts' and VMs' counters are collected.
    ///   - logger: where failed rounds are logged.
    public init(
        adoption: HostAdoption,
        driver: AgentDriver,
        managementServer: CloudServices,
        interval: Duration = .seconds(2),
        statsEvery: Int = 5,
        logger: Logger = Logger(label: "zoostack.powerstate")
    ) {
        self.statsEvery = max(1, statsEvery)
        self.adoption = adoption
        self.driver = driver
        self.store = managementServer.store
        self.hostHA = managementServer.hostHA
        self.interval = interval
        self.logger = logger
    }

    /// Starts the rounds (idempotent).
    public func start() {
        guard self.task == nil else { return }
        let interval = self.interval
        self.task = Task { [weak self] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                guard let self else { return }
                _ = await self.syncOnce()
            }
        }
    }

    /// Stops the rounds and waits for the running one.
    public func stop() async {
        let task = self.task
        self.task = nil
        task?.cancel()
        await task?.value
    }

    /// One round over every adopted real host.
    /// - Returns: what happened, by VM id.
    @discardableResult
    public func syncOnce() async -> [String: HostHAService.PowerOffOutcome] {
        var outcomes: [String: HostHAService.PowerOffOutcome] = [:]
        let hosts = await self.adoption.adopted.values.filter { $0.hypervisor == AgentDriver.realHypervisor }
        let collect = self.round % self.statsEvery == 0
        self.round += 1
        for host in hosts.sorted(by: { $0.id < $1.id }) {
            do throws(OrchestratorError) {
                outcomes.merge(try await self.sync(hostId: host.id)) { $1 }
                if collect { try await self.collectStats(hostId: host.id) }
            } catch {
                self.logger.debug(
                    "power-state report failed",
                    metadata: ["host": "\(host.id)", "error": "\(error.message)"]
                )
            }
        }
        return outcomes
    }

    /// Reads a host's and its VMs' counters from its agent and records them (`listHosts`/`listVirtualMachines`).
    /// - Parameter hostId: the host.
    /// - Throws: ``OrchestratorError``.
    public func collectStats(hostId: String) async throws(OrchestratorError) {
        let now = self.store.clock.now
        let host = try await self.driver.hostStats(hostId: hostId).map {
            HostStats(
                id: hostId,
                cpuUsedPercent: $0.cpuUsedPercent,
                memoryUsed: Int($0.memoryUsedBytes),
                memoryAvailable: Int($0.memoryAvailableBytes),
                updated: now
            )
        }
        let vms = try await self.driver.vmStats(hostId: hostId).map { id, stats in
            VirtualMachineStats(
                id: id,
                cpuUsedPercent: stats.cpuUsedPercent,
                memoryKbs: Int(stats.memoryKBs),
                memoryIntFreeKbs: Int(stats.memoryIntFreeKBs),
                networkKbsRead: Int(stats.networkKBsRead),
                networkKbsWrite: Int(stats.networkKBsWrite),
                diskKbsRead: Int(stats.diskKBsRead),
                diskKbsWrite: Int(stats.diskKBsWrite),
                diskIoRead: Int(stats.diskIORead),
                diskIoWrite: Int(stats.diskIOWrite),
                updated: now
            )
        }
        let files = try await self.driver.volumeStats(hostId: hostId)
        do {
            var query = ListQuery(idIn: Array(files.keys))
            query.inColumn = "path"
            let volumes = files.isEmpty ? [] : try await self.store.list(Volume.self, query).items
            try await self.store.recordStats(
                volumes: volumes.compactMap { volume in
                    volume.path.flatMap { files[$0] }.map {
                        VolumeStats(
                            id: volume.id,
                            virtualSize: Int($0.virtualSize),
                            physicalSize: Int($0.physicalSize),
                            updated: now
                        )
                    }
                }
            )
            try await self.store.recordStats(vms: vms, host: host)
        } catch {
            throw OrchestratorError(.internalError, "Unable to record the stats of host \(hostId): \(error.message)")
        }
    }

    private func sync(hostId: String) async throws(OrchestratorError) -> [String: HostHAService.PowerOffOutcome] {
        let running: [VirtualMachine]
        do {
            running = try await self.store.virtualMachines(onHosts: [hostId]).filter { $0.state == .running }
        } catch {
            throw OrchestratorError(.internalError, "Unable to read the VMs of host \(hostId): \(error.message)")
        }
        guard !running.isEmpty else { return [:] }
        let reported = Dictionary(
            try await self.driver.vmStates(hostId: hostId).map { ($0.id, $0.state) },
            uniquingKeysWith: { first, _ in first }
        )
        var outcomes: [String: HostHAService.PowerOffOutcome] = [:]
        for vm in running where reported[vm.id] != "Running" {
            // The agent forgets the VM first (a HA restart may choose the same host).
            do throws(OrchestratorError) {
                try await self.driver.stop(vm, forced: true)
            } catch {
                self.logger.debug("cannot clear a powered-off VM", metadata: ["vm": "\(vm.id)"])
            }
            let outcome = try await self.hostHA.vmPoweredOff(vm, hostId: hostId)
            outcomes[vm.id] = outcome
            self.logger.info(
                "VM powered off out-of-band",
                metadata: ["vm": "\(vm.id)", "host": "\(hostId)", "outcome": "\(outcome)"]
            )
        }
        return outcomes
    }
}
