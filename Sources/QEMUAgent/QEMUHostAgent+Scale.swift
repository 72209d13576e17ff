import Agent
import Logging
import QEMU
import Synchronization

/// Live scaling of a running VM, CloudStack's `ScaleVmCommand` (`LibvirtScaleVmCommandWrapper`), over QMP.
///
/// A VM the management server may scale dynamically is started with room to grow (``addHeadroom(to:spec:)``:
/// `-smp N,maxcpus=M`, `-m SIZE,slots=S,maxmem=MAX`). The command then hot-adds what the new size needs: memory as
/// one DIMM (`object-add` of a `memory-backend-ram`, `device_add` of a `pc-dimm` on it) and vCPUs as the machine's
/// free hot-pluggable CPUs (`query-hotpluggable-cpus`, `device_add` of each). The guest's kernel finds them through
/// ACPI; onlining them is its business (a udev rule or `echo 1 > /sys/devices/system/cpu/cpuN/online`).
///
/// Everything is checked before anything is plugged, so that a refused scale (no room, a smaller size) leaves
/// the VM running with its old size; a failing `device_add` of the DIMM removes its backend again.
extension QEMUHostAgent {
    /// A failed scale: its message.
    struct ScaleFailure: Error {
        var message: String
    }

    /// One of `query-hotpluggable-cpus`'s entries.
    struct HotpluggableCPU: Sendable, Hashable {
        /// The CPU model's device type (`qemu64-x86_64-cpu`, `host-x86_64-cpu`).
        var type: String
        /// Its place (`socket-id`, `core-id`, `thread-id`, ...).
        var props: [String: JSONValue]
        /// The vCPUs it brings.
        var vcpus: Int
        /// Whether it is plugged (QEMU names its `qom-path`).
        var plugged: Bool

        /// Its place as a sortable list of ids (socket, die, cluster, core, thread).
        var order: [Int] {
            ["socket-id", "die-id", "cluster-id", "core-id", "thread-id"].map { self.props[$0]?.intValue ?? 0 }
        }

        /// A device id naming its place (`vcpu-s0-c1-t0`).
        var deviceId: String {
            let order = self.order
            return "vcpu-s\(order[0])-d\(order[1])-l\(order[2])-c\(order[3])-t\(order[4])"
        }
    }

    /// Gives a machine the spec's room to grow: hot-pluggable vCPUs up to `maxCpus` and DIMM slots up to
    /// `maxMemory` MiB (nothing when the spec names none or no more than the start size).
    static func addHeadroom(to machine: inout QEMUMachine, spec: AgentVmSpec) {
        if let most = spec.maxCpus, most > machine.cpus { machine.maxCPUs = most }
        if let most = spec.maxMemory, most > machine.memoryMiB { machine.maxMemoryMiB = most }
    }

    /// `ScaleVmCommand`: grows the running VM to `vm.cpuNumber` vCPUs and `vm.memory` MiB. The answer carries
    /// QEMU's own words when it refuses; the VM keeps running either way.
    func scaleVm(_ vm: AgentVm) async -> AgentAnswer {
        do throws(ScaleFailure) {
            let details = try await self.scale(vm)
            return AgentAnswer(seq: 0, result: true, details: details)
        } catch {
            return AgentAnswer(seq: 0, result: false, details: error.message)
        }
    }

    private func scale(_ vm: AgentVm) async throws(ScaleFailure) -> String {
        guard let managed = self.vms.withLock({ $0[vm.id] }), managed.isRunning, let process = managed.process else {
            throw ScaleFailure(message: "VM \(vm.name) is not running on host \(self.hostId)")
        }
        let cpus = try await Self.hotpluggableCPUs(process)
        let summary = try await Self.qmp(process, "query-memory-size-summary")
        let bytes = (summary["base-memory"]?.intValue ?? 0) + (summary["plugged-memory"]?.intValue ?? 0)
        let memory = bytes >> 20
        let pluggedCPUs = cpus.filter(\.plugged).reduce(0) { $0 + $1.vcpus }
        guard vm.cpuNumber >= pluggedCPUs, vm.memory >= memory else {
            throw ScaleFailure(
                message: "VM \(vm.name) has \(pluggedCPUs) vCPUs and \(memory) MiB: a running VM only grows "
                    + "(asked for \(vm.cpuNumber) vCPUs and \(vm.memory) MiB)"
            )
        }
        let (adding, added) = Self.freeCPUs(cpus, toReach: vm.cpuNumber)
        guard pluggedCPUs + added >= vm.cpuNumber else {
            throw ScaleFailure(
                message: "VM \(vm.name) can have at most \(pluggedCPUs + added) vCPUs: it was started with room for "
                    + "no more (enable.dynamic.scale.vm, vm.serviceoffering.cpu.cores.max)"
            )
        }
        let most = managed.record.spec.maxMemory ?? managed.record.vm.memory
        guard vm.memory == memory || vm.memory <= most else {
            throw ScaleFailure(
                message: "VM \(vm.name) can have at most \(max(most, memory)) MiB: it was started with room for no "
                    + "more (enable.dynamic.scale.vm, vm.serviceoffering.ram.size.max)"
            )
        }
        if vm.memory > memory { try await Self.plugMemory(process, mebibytes: vm.memory - memory) }
        for cpu in adding { try await Self.plug(cpu, into: process) }
        var record = managed.record
        record.vm.cpuNumber = vm.cpuNumber
        record.vm.cpuSpeed = vm.cpuSpeed
        record.vm.memory = vm.memory
        do {
            try record.write(to: self.configuration.runDirectory(vm.id))
        } catch {
            self.logger.warning("cannot write a scaled VM's record", metadata: ["vm": "\(vm.id)"])
        }
        self.vms.withLock { $0[vm.id]?.record = record }
        return "VM \(vm.name) scaled to \(vm.cpuNumber) vCPUs and \(vm.memory) MiB (added \(added) vCPUs, "
            + "\(vm.memory - memory) MiB)"
    }

    /// Plugs into a destination QEMU waiting for a live-scaled VM's state what the source's scaling plugged: the
    /// DIMMs in their order (the same ids, `dimmN` on `memN`) and the vCPUs up to `cpus` in topology order, so that
    /// the two machines match.
    static func replug(_ process: QEMUProcess, layout: AgentHotplugLayout, cpus: Int) async throws(QEMUError) {
        do throws(ScaleFailure) {
            for mebibytes in layout.dimms { try await Self.plugMemory(process, mebibytes: mebibytes) }
            let all = try await Self.hotpluggableCPUs(process)
            let (adding, added) = Self.freeCPUs(all, toReach: cpus)
            let plugged = all.filter(\.plugged).reduce(0) { $0 + $1.vcpus }
            guard plugged + added >= cpus else {
                throw ScaleFailure(message: "the destination has room for \(plugged + added) vCPUs, the VM has \(cpus)")
            }
            for cpu in adding { try await Self.plug(cpu, into: process) }
        } catch {
            throw QEMUError(.protocolError, "cannot plug the VM's scaled CPUs and memory: \(error.message)")
        }
    }

    /// The free CPUs that bring the machine from its plugged vCPUs to `target`, in topology order, and the vCPUs
    /// they add (fewer than needed when the machine has no more room).
    static func freeCPUs(
        _ cpus: [HotpluggableCPU],
        toReach target: Int
    ) -> (cpus: [HotpluggableCPU], added: Int) {
        let plugged = cpus.filter(\.plugged).reduce(0) { $0 + $1.vcpus }
        var adding: [HotpluggableCPU] = []
        var added = 0
        for cpu in cpus.filter({ !$0.plugged }).sorted(by: { $0.order.lexicographicallyPrecedes($1.order) })
        where plugged + added < target {
            adding.append(cpu)
            added += cpu.vcpus
        }
        return (adding, added)
    }

    /// `device_add` of one free CPU, with the device id naming its place.
    static func plug(_ cpu: HotpluggableCPU, into process: QEMUProcess) async throws(ScaleFailure) {
        var arguments = cpu.props
        arguments["driver"] = .string(cpu.type)
        arguments["id"] = .string(cpu.deviceId)
        try await Self.qmp(process, "device_add", arguments)
    }

    /// The machine's hot-pluggable CPUs.
    static func hotpluggableCPUs(_ process: QEMUProcess) async throws(ScaleFailure) -> [HotpluggableCPU] {
        let listed = try await Self.qmp(process, "query-hotpluggable-cpus").arrayValue ?? []
        return listed.compactMap { entry in
            guard let type = entry["type"]?.stringValue else { return nil }
            return HotpluggableCPU(
                type: type,
                props: entry["props"]?.objectValue ?? [:],
                vcpus: entry["vcpus-count"]?.intValue ?? 1,
                plugged: entry["qom-path"] != nil
            )
        }
    }

    /// Adds one DIMM of `mebibytes` on a RAM backend of its own; a DIMM QEMU refuses leaves no backend behind.
    static func plugMemory(_ process: QEMUProcess, mebibytes: Int) async throws(ScaleFailure) {
        let devices = try await Self.qmp(process, "query-memory-devices").arrayValue ?? []
        let index = devices.count
        let backend = "mem\(index)"
        try await Self.qmp(
            process,
            "object-add",
            ["qom-type": .string("memory-backend-ram"), "id": .string(backend), "size": .int(mebibytes << 20)]
        )
        do throws(ScaleFailure) {
            try await Self.qmp(
                process,
                "device_add",
                ["driver": .string("pc-dimm"), "id": .string("dimm\(index)"), "memdev": .string(backend)]
            )
        } catch {
            _ = try? await process.qmp.execute("object-del", arguments: ["id": .string(backend)])
            throw error
        }
    }

    /// Runs a QMP command, its failure (QEMU's own message) as the scale's.
    @discardableResult
    static func qmp(
        _ process: QEMUProcess,
        _ command: String,
        _ arguments: [String: JSONValue]? = nil
    ) async throws(ScaleFailure) -> JSONValue {
        do {
            return try await process.qmp.execute(command, arguments: arguments)
        } catch {
            throw ScaleFailure(message: "QEMU refused \(command): \(error.message)")
        }
    }
}
