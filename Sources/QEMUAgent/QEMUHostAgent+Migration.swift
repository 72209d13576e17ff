import Agent
import QEMU
import Synchronization

/// Live migration between QEMU hosts, as CloudStack's KVM agent does it through libvirt
/// (`LibvirtPrepareForMigrationCommandWrapper`, `LibvirtMigrateCommandWrapper`), here over QMP:
///
/// 1. `PrepareForMigrationCommand` on the destination builds the VM's machine from the spec (the disks must be the
///    source's files, in primary storage both hosts share) and starts QEMU with `-incoming defer`, listening with
///    `migrate-incoming` on a free port; its answer carries the `migrationURI`.
/// 2. `MigrateCommand` on the source runs QMP `migrate` to that URI and polls `query-migrate` until it completes,
///    fails, or `waitSeconds` (`migratewait`) pass. Completed: the source QEMU (paused in `postmigrate`) quits and
///    the VM is forgotten here, while the destination's QEMU resumes the guest by itself (it was not started
///    with `-S`). Failed or too slow: the migration is cancelled and the guest keeps running on the source.
///
/// A destination whose migration did not happen is cleared by the management server with a forced
/// `StopCommand`, as CloudStack cleans up after a failed migration.
extension QEMUHostAgent {
    /// How the source's wait for the migration ended.
    enum MigrationOutcome: Sendable, Hashable {
        /// Done: the destination runs the guest.
        case completed(AgentMigrationStats)
        /// QEMU gave up (or was told to): the reason.
        case failed(String)
        /// Still under way when the wait ended.
        case timedOut
    }

    /// The `query-migrate` states in which a migration is still under way.
    static let migrationUnderWay: Set<String> = [
        "setup", "active", "cancelling", "pre-switchover", "device", "wait-unplug", "postcopy-active",
        "postcopy-paused", "postcopy-recover",
    ]

    /// `PrepareForMigrationCommand`: the VM's machine, waiting for its state. The answer's `migrationURI` says
    /// where. A failure leaves no QEMU, no tap and no run directory (and never touches the disks).
    func prepareIncoming(_ vm: AgentVm, spec: AgentVmSpec?) async -> AgentAnswer {
        if let known = self.vms.withLock({ $0[vm.id] }), known.isRunning {
            return AgentAnswer(seq: 0, result: false, details: "VM \(vm.name) already runs on host \(self.hostId)")
        }
        // A VM that stopped by itself here is forgotten first.
        await self.discard(vm.id)
        guard let spec else {
            return AgentAnswer(
                seq: 0,
                result: false,
                details: "PrepareForMigrationCommand for \(vm.name) carries no spec"
            )
        }
        do {
            try self.reserveMemory(for: vm)
        } catch {
            return AgentAnswer(seq: 0, result: false, details: error.message, insufficientCapacity: true)
        }
        defer { self.startingMemory.withLock { $0 -= Int64(vm.memory) << 20 } }
        var made = MadeByStart()
        let managed: ManagedVm
        do {
            managed = try await self.launch(vm, spec: spec, made: &made, incoming: true)
        } catch {
            await self.rollBack(made, vmId: vm.id)
            return AgentAnswer(
                seq: 0,
                result: false,
                details: "Cannot prepare host \(self.hostId) for VM \(vm.name): \(error.message)",
                insufficientCapacity: error.insufficientCapacity ? true : nil
            )
        }
        guard let process = managed.process else {
            await self.rollBack(made, vmId: vm.id)
            return AgentAnswer(seq: 0, result: false, details: "QEMU of VM \(vm.name) did not start")
        }
        let uri: String
        do {
            if let layout = spec.hotplug { try await Self.replug(process, layout: layout, cpus: vm.cpuNumber) }
            uri = try await Self.listen(process, address: self.configuration.migrationAddress)
        } catch {
            try? await process.kill(timeout: .seconds(5))
            await process.qmp.close()
            await self.rollBack(made, vmId: vm.id)
            return AgentAnswer(seq: 0, result: false, details: "VM \(vm.name) cannot receive: \(error.message)")
        }
        self.vms.withLock { $0[vm.id] = managed }
        var answer = AgentAnswer(
            seq: 0,
            result: true,
            details: "VM \(vm.name) waits on host \(self.hostId) for its state at \(uri) (pid \(process.pid))"
        )
        answer.migrationURI = uri
        return answer
    }

    /// `MigrateCommand`: sends the running VM to `body.migrationURI`. Completed: the source QEMU quits and the VM
    /// is forgotten here (its disks stay: they are the destination's now), and the answer carries QEMU's total
    /// time and downtime. Otherwise the VM keeps running here and the answer says why it did not move.
    func migrateVm(_ vm: AgentVm, _ body: AgentCommandBody) async -> AgentAnswer {
        guard let managed = self.vms.withLock({ $0[vm.id] }), let process = managed.process, process.isRunning else {
            return AgentAnswer(seq: 0, result: false, details: "VM \(vm.name) is not running on host \(self.hostId)")
        }
        guard let uri = body.migrationURI, uri.hasPrefix("tcp:") else {
            return AgentAnswer(
                seq: 0,
                result: false,
                details: "MigrateCommand for \(vm.name) names no destination QEMU (tcp:HOST:PORT)"
            )
        }
        let destination = body.destinationHostId ?? uri
        let waitSeconds = max(body.waitSeconds ?? 3600, 1)
        var outcome: MigrationOutcome
        var cancelled = false
        do {
            try await process.qmp.execute("migrate", arguments: ["uri": .string(uri)])
            outcome = try await Self.awaitMigration(process, within: .seconds(waitSeconds))
            if outcome == .timedOut {
                cancelled = true
                _ = try? await process.qmp.execute("migrate_cancel")
                // It may have completed meanwhile: then the destination runs it and the source must not resume.
                outcome = try await Self.awaitMigration(process, within: .seconds(30))
            }
        } catch {
            _ = try? await process.qmp.execute("migrate_cancel")
            outcome = .failed(error.message)
        }
        let why: String
        switch outcome {
        case .completed(let stats):
            do {
                try await process.quit(timeout: .seconds(10))
            } catch {
                try? await process.kill(timeout: .seconds(5))
            }
            await self.discard(vm.id)
            var answer = AgentAnswer(
                seq: 0,
                result: true,
                details: "VM \(vm.name) migrated to host \(destination) in \(stats.totalTimeMilliseconds) ms "
                    + "(downtime \(stats.downtimeMilliseconds) ms)"
            )
            answer.migration = stats
            return answer
        case .failed where cancelled, .timedOut:
            why = "did not finish within \(waitSeconds) s (migratewait) and was cancelled"
        case .failed(let reason):
            why = "failed (\(reason))"
        }
        await Self.resume(process)
        return AgentAnswer(
            seq: 0,
            result: false,
            details: "Migration of VM \(vm.name) to host \(destination) \(why); it runs on host \(self.hostId)"
        )
    }

    /// Starts listening for the VM's state (`migrate-incoming` on port 0) and returns the URI QEMU listens on, as
    /// `query-migrate` reports it.
    static func listen(_ process: QEMUProcess, address: String) async throws(QEMUError) -> String {
        let host = address.contains(":") ? "[\(address)]" : address
        try await process.qmp.execute("migrate-incoming", arguments: ["uri": .string("tcp:\(host):0")])
        let info = try await process.qmp.execute("query-migrate")
        guard let socket = info["socket-address"]?.arrayValue?.first,
            let port = socket["port"]?.stringValue ?? socket["port"]?.intValue.map({ String($0) })
        else {
            throw QEMUError(.protocolError, "query-migrate names no listening port")
        }
        return "tcp:\(host):\(port)"
    }

    /// Polls `query-migrate` until the migration is over or `wait` has passed.
    static func awaitMigration(
        _ process: QEMUProcess,
        within wait: Duration
    ) async throws(QEMUError)
        -> MigrationOutcome
    {
        let deadline = ContinuousClock.now + wait
        while true {
            let info = try await process.qmp.execute("query-migrate")
            let status = info["status"]?.stringValue ?? "none"
            switch status {
            case "completed":
                return .completed(
                    AgentMigrationStats(
                        totalTimeMilliseconds: info["total-time"]?.intValue ?? 0,
                        downtimeMilliseconds: info["downtime"]?.intValue ?? 0
                    )
                )
            case _ where Self.migrationUnderWay.contains(status):
                break
            default:
                return .failed(info["error-desc"]?.stringValue ?? "migration \(status)")
            }
            guard ContinuousClock.now < deadline else { return .timedOut }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Makes sure the guest runs again on the source after a migration that did not complete (QEMU resumes it by
    /// itself; a guest left paused by the attempt is continued).
    static func resume(_ process: QEMUProcess) async {
        guard let status = try? await process.status(), !status.running else { return }
        if ["paused", "postmigrate", "finish-migrate"].contains(status.status) {
            _ = try? await process.qmp.execute("cont")
        }
    }
}
