import CloudModel
import CloudStore
import Orchestrator

/// The rules a host enforces on one NIC (the content of CloudStack's `SecurityGroupRulesCmd`): the union of the
/// rules of the VM's groups, with each group-to-group rule resolved to the addresses of that group's VMs.
public struct SecurityGroupFirewall: Sendable, Hashable {
    /// One allowing rule.
    public struct Rule: Sendable, Hashable {
        /// `tcp`, `udp`, `icmp`, `all` or a protocol number.
        public var protocolName: String
        /// The first port, or the ICMP type (-1: any).
        public var startPort: Int?
        /// The last port, or the ICMP code (-1: any).
        public var endPort: Int?
        /// The peers: a CIDR rule's CIDR, or the `/32` of each running VM of a peer group.
        public var cidrs: [String]
    }

    /// What may reach the NIC (beyond replies).
    public var ingress: [Rule]
    /// What it may send; empty means anything (CloudStack's default egress of a group without egress rules).
    public var egress: [Rule]
}

/// Computes VMs' firewalls from the security-group rows, and which VMs a rule change concerns.
public struct SecurityGroupFirewalls: Sendable {
    /// The store.
    public let store: CloudStore

    /// Creates a reader of `store`.
    public init(store: CloudStore) { self.store = store }

    /// The states in which a VM's addresses count as a peer group's members (CloudStack counts VMs whose NICs are
    /// up on a host).
    static let activeStates: Set<VirtualMachineState> = [.starting, .running, .migrating]

    /// The firewall of a VM's NIC on a network, nil when the network's offering has no `SecurityGroup` service
    /// (CloudStack filters only security-group networks). A VM in no group gets no ingress and any egress, as
    /// CloudStack's `default` group.
    /// - Throws: ``StoreError``.
    public func firewall(vmId: String, networkId: String) async throws(StoreError) -> SecurityGroupFirewall? {
        guard let network = try await self.store.get(Network.self, id: networkId),
            let offeringId = network.networkOfferingId,
            let offering = try await self.store.get(NetworkOffering.self, id: offeringId),
            offering.provides("SecurityGroup")
        else { return nil }
        let groupIds = try await self.store.members(.securityGroup, vmIds: [vmId]).map(\.groupId)
        var firewall = SecurityGroupFirewall(ingress: [], egress: [])
        for groupId in Set(groupIds).sorted() {
            guard let group = try await self.store.get(SecurityGroup.self, id: groupId) else { continue }
            var query = ListQuery(equals: [("security_group_id", groupId)])
            query.pageSize = nil
            for rule in try await self.store.list(SecurityGroupRule.self, query).items {
                var cidrs: [String] = []
                if let cidr = rule.cidr { cidrs.append(cidr) }
                if let peer = rule.peerGroup {
                    cidrs += try await self.addresses(ofGroup: peer, account: rule.peerAccount, beside: group)
                }
                guard !cidrs.isEmpty else { continue }
                let resolved = SecurityGroupFirewall.Rule(
                    protocolName: rule.protocolName,
                    startPort: rule.startPort,
                    endPort: rule.endPort,
                    cidrs: cidrs
                )
                if rule.type == "egress" {
                    firewall.egress.append(resolved)
                } else {
                    firewall.ingress.append(resolved)
                }
            }
        }
        return firewall
    }

    /// The VMs on hosts whose firewalls depend on these groups: their members and the members of every group
    /// with a rule naming one of them as peer.
    /// - Throws: ``StoreError``.
    public func dependents(ofGroups groupIds: [String]) async throws(StoreError) -> [VirtualMachine] {
        var affected = Set(groupIds)
        let names = Set(
            try await groupIds.asyncCompactMap { (id) async throws(StoreError) in
                try await self.store.get(SecurityGroup.self, id: id)?.name
            }
        )
        var query = ListQuery()
        query.pageSize = nil
        for rule in try await self.store.list(SecurityGroupRule.self, query).items {
            if let peer = rule.peerGroup, names.contains(peer) { affected.insert(rule.securityGroupId) }
        }
        let vmIds = Set(try await self.store.members(.securityGroup, groupIds: affected.sorted()).map(\.vmId))
        var vms: [VirtualMachine] = []
        for vmId in vmIds.sorted() {
            guard let vm = try await self.store.get(VirtualMachine.self, id: vmId), vm.state == .running,
                vm.hostId != nil
            else { continue }
            vms.append(vm)
        }
        return vms
    }

    /// The `/32`s of the active VMs of the group `name` of `account` (nil: the rule's own group's account).
    private func addresses(
        ofGroup name: String,
        account: String?,
        beside group: SecurityGroup
    ) async throws(StoreError) -> [String] {
        var accountId = group.accountId
        if let account {
            guard
                let found = try await self.store.list(Account.self, ListQuery(equals: [("name", account)])).items.first
            else { return [] }
            accountId = found.id
        }
        let query = ListQuery(equals: [("account_id", accountId), ("name", name)])
        guard let peer = try await self.store.list(SecurityGroup.self, query).items.first else { return [] }
        var cidrs: [String] = []
        for vmId in try await self.store.members(.securityGroup, groupIds: [peer.id]).map(\.vmId) {
            guard let vm = try await self.store.get(VirtualMachine.self, id: vmId),
                Self.activeStates.contains(vm.state)
            else { continue }
            let nics = try await self.store.list(Nic.self, ListQuery(equals: [("vm_id", vmId)])).items
            cidrs += nics.map(\.ipAddress).filter { !$0.isEmpty }.map { "\($0)/32" }
        }
        return cidrs
    }
}

extension Array {
    fileprivate func asyncCompactMap<T>(
        _ transform: (Element) async throws(StoreError) -> T?
    ) async throws(StoreError) -> [T] {
        var result: [T] = []
        for element in self { if let value = try await transform(element) { result.append(value) } }
        return result
    }
}

extension SecurityGroupService {
    /// Sends the rules of every running VM that depends on these groups to its host, after their rules changed
    /// (CloudStack's `SecurityGroupManager` schedules the same `SecurityGroupRulesCmd`s after authorize and
    /// revoke). A host that fails keeps the former rules until the next change; the API call still succeeds.
    /// - Throws: ``StoreError``.
    public func enforce(groupIds: [String]) async throws {
        for vm in try await SecurityGroupFirewalls(store: self.store).dependents(ofGroups: groupIds) {
            try? await self.services.driver.applySecurityGroupRules(vm)
        }
    }
}
