import CloudModel
import CloudStore

// TEMPORARY first-fit stand-in (branch vmops): the planner-backed version from branch infra replaces this file.
extension VirtualMachineService {
    /// Hosts to try for `vm`, best first (planner order), excluding `excluding`, or just the explicit host.
    public func placementCandidates(
        for vm: VirtualMachine,
        excluding: Set<String>,
        explicitHostId: String?
    )
        async throws(OrchestratorError) -> [Host]
    {
        let hosts = try await self.run {
            try await self.store.list(Host.self, ListQuery(equals: [("zone_id", vm.zoneId)])).items
        }
        if let explicitHostId {
            return hosts.filter { $0.id == explicitHostId && !excluding.contains($0.id) }
        }
        return HostSelection.candidates(
            hosts.filter { !excluding.contains($0.id) },
            cpu: vm.cpuDemand,
            memory: vm.memoryDemand
        )
    }
}
