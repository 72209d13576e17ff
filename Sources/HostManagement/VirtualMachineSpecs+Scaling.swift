import Agent
import CloudModel
import CloudStore
import Orchestrator

extension VirtualMachineSpecs {
    /// `enable.dynamic.scale.vm`: whether running VMs start with room to grow.
    static let dynamicScaling = "enable.dynamic.scale.vm"
    /// `vm.serviceoffering.cpu.cores.max`: the most vCPUs a VM may reach (0: no limit of its own).
    static let maxCores = "vm.serviceoffering.cpu.cores.max"
    /// `vm.serviceoffering.ram.size.max`: the most memory in MiB a VM may reach (0: no limit of its own).
    static let maxRAM = "vm.serviceoffering.ram.size.max"

    /// The spec of `vm` as it starts now on `host`, with room to grow when it may be scaled while it runs.
    /// - Throws: as ``spec(for:)``.
    func spec(for vm: VirtualMachine, on host: Host) async throws(OrchestratorError) -> AgentVmSpec {
        var spec = try await self.spec(for: vm)
        if let headroom = try await self.headroom(for: vm, on: host) {
            spec.maxCpus = headroom.cpus
            spec.maxMemory = headroom.memory
        }
        return spec
    }

    /// How far a VM starting on `host` may grow while it runs, as CloudStack's `KVMGuru` sets a dynamically
    /// scalable VM's `maxCpus` and `maxRam`: with `enable.dynamic.scale.vm` true, `vm.serviceoffering.cpu.cores.max`
    /// and `vm.serviceoffering.ram.size.max` where they are set, else the most cores and memory of a host of the
    /// host's cluster (the same for every host a live migration may choose there), and never less than the VM has.
    /// - Returns: vCPUs and MiB; nil when dynamic scaling is off.
    func headroom(
        for vm: VirtualMachine,
        on host: Host
    ) async throws(OrchestratorError) -> (cpus: Int, memory: Int)? {
        do throws(StoreError) {
            let settings = ConfigurationService.Snapshot(overrides: try await self.store.configurationValues())
            guard settings.bool(Self.dynamicScaling) == true else { return nil }
            var cpus = settings.int(Self.maxCores) ?? 0
            var memory = settings.int(Self.maxRAM) ?? 0
            if cpus <= 0 || memory <= 0 {
                let cluster = try await self.store.list(
                    Host.self,
                    ListQuery(equals: [("cluster_id", host.clusterId), ("hypervisor", host.hypervisor)])
                ).items
                if cpus <= 0 { cpus = (cluster.map(\.cpuNumber) + [host.cpuNumber]).max() ?? 0 }
                if memory <= 0 { memory = ((cluster.map(\.memory) + [host.memory]).max() ?? 0) >> 20 }
            }
            return (max(cpus, vm.cpuNumber), max(memory, vm.memory))
        } catch {
            throw OrchestratorError(.internalError, "Unable to read the scaling settings: \(error.message)")
        }
    }
}
