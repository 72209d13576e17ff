import Agent
import CloudCore
import CloudModel
import CloudStore
import Orchestrator

extension VirtualMachineSpecs {
    /// A VM's NICs as its host sees them, by device id (the default NIC first), each with its security-group
    /// rules when its network has security groups.
    /// - Throws: ``StoreError``.
    func nics(vmId: String) async throws(StoreError) -> [AgentNic] {
        let nics = try await self.store.list(Nic.self, ListQuery(equals: [("vm_id", vmId)])).items
        let firewalls = SecurityGroupFirewalls(store: self.store)
        var agentNics: [AgentNic] = []
        for (index, nic) in nics.sorted(by: { ($0.isDefault ? 0 : 1, $0.id) < ($1.isDefault ? 0 : 1, $1.id) })
            .enumerated()
        {
            let firewall = try await firewalls.firewall(vmId: vmId, networkId: nic.networkId)
            agentNics.append(
                AgentNic(
                    id: nic.id,
                    deviceId: index,
                    mac: nic.macAddress,
                    ipAddress: nic.ipAddress,
                    netmask: nic.netmask,
                    gateway: nic.gateway,
                    networkId: nic.networkId,
                    isDefault: nic.isDefault,
                    firewall: firewall.map { Self.agentFirewall($0) }
                )
            )
        }
        return agentNics
    }

    /// The agent's form of a firewall.
    static func agentFirewall(_ firewall: SecurityGroupFirewall) -> AgentNicFirewall {
        func rules(_ rules: [SecurityGroupFirewall.Rule]) -> [AgentFirewallRule] {
            rules.map {
                AgentFirewallRule(
                    protocolName: $0.protocolName,
                    startPort: $0.startPort,
                    endPort: $0.endPort,
                    cidrs: $0.cidrs
                )
            }
        }
        return AgentNicFirewall(ingress: rules(firewall.ingress), egress: rules(firewall.egress))
    }
}

extension AgentDriver {
    public func applySecurityGroupRules(_ vm: VirtualMachine) async throws(OrchestratorError) {
        guard let hostId = vm.hostId, try await self.address(of: hostId) != nil else { return }
        var body = Self.body(hostId, vm)
        do {
            body.nics = try await VirtualMachineSpecs(store: self.store).nics(vmId: vm.id)
        } catch {
            throw OrchestratorError(.internalError, "Unable to read the NICs of VM \(vm.name): \(error.message)")
        }
        try await self.send(
            .securityGroupRules,
            body,
            hostId: hostId,
            failure: "Unable to apply the security-group rules of VM \(vm.name)"
        )
    }
}

extension AgentDriver {
    /// After `vm` started or stopped, the running VMs whose rules name its groups get their rules again (its
    /// address joined or left them), as CloudStack's `SecurityGroupManager` schedules on VM state changes. A host
    /// that fails keeps the former rules until the next change (CloudStack retries in the background).
    func refreshPeers(of vm: VirtualMachine) async {
        guard let groups = try? await self.store.members(.securityGroup, vmIds: [vm.id]).map(\.groupId),
            !groups.isEmpty,
            let dependents = try? await SecurityGroupFirewalls(store: self.store).dependents(ofGroups: groups)
        else { return }
        for other in dependents where other.id != vm.id { try? await self.applySecurityGroupRules(other) }
    }
}
