import Agent
import CloudModel
import CloudStore
import Orchestrator
import Synchronization

extension AgentDriver {
    /// Fencing for a real host (CloudStack's `KVMInvestigator`): `CheckOnHostCommand` goes to the other Up real
    /// hosts of its zone, whose agents share its primary storage, with the disks of the VMs it ran; the first that
    /// answers decides (its heartbeat file and the disks' image locks, see the QEMU agent). A simulated host, or one
    /// without an agent, has nothing to fence.
    public func checkOnHost(_ host: Host, vms: [VirtualMachine]) async -> HostActivity {
        guard Self.isReal(host), host.agentAddress != nil else { return .notFenced }
        let specs = VirtualMachineSpecs(store: self.store)
        var disks: [AgentDisk] = []
        for vm in vms {
            guard let volumes = try? await self.store.volumes(of: vm.id) else {
                return .unknown("the volumes of VM \(vm.name) cannot be read")
            }
            disks += specs.disks(of: volumes)
        }
        let neighbours: [Host]
        do {
            neighbours = try await self.store.list(
                Host.self,
                ListQuery(equals: [("zone_id", host.zoneId), ("hypervisor", Self.realHypervisor), ("state", "Up")])
            ).items.filter { $0.id != host.id && $0.agentAddress != nil }
        } catch {
            return .unknown("the hosts of zone \(host.zoneId) cannot be read: \(error.message)")
        }
        var failures: [String] = []
        for neighbour in neighbours {
            self.addresses.withLock { $0[neighbour.id] = neighbour.agentAddress }
            var body = AgentCommandBody(hostId: neighbour.id, disks: disks)
            body.checkedHostId = host.id
            do {
                let answer = try await self.send(
                    .checkOnHost,
                    body,
                    hostId: neighbour.id,
                    failure: "Unable to check host \(host.name) from host \(neighbour.name)"
                )
                guard let alive = answer.hostAlive else {
                    failures.append("host \(neighbour.name) gave no verdict: \(answer.details)")
                    continue
                }
                let finding = "\(answer.details) (checked from host \(neighbour.name))"
                return alive ? .alive(finding) : .dead(finding)
            } catch {
                failures.append(error.message)
            }
        }
        guard !failures.isEmpty else {
            return .unknown("no other host of zone \(host.zoneId) is Up on its primary storage to check it")
        }
        return .unknown(failures.joined(separator: "; "))
    }
}
