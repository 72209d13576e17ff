import CloudModel
import CloudStore
import Foundation

/// Load balancer rules (CloudStack's `LoadBalancingRulesManager`): a public port balanced over member VMs.
public struct LoadBalancerService: Sendable {
    /// The algorithms a rule may use.
    public static let algorithms: Set<String> = ["roundrobin", "leastconn", "source"]

    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// What a new rule is checked against before its ports are read: the address, without static NAT, the
    /// algorithm, and the guest network (an address associated with the zone only joins `networkId`).
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - ipId: the public address.
    ///   - algorithm: the algorithm, lower-cased.
    ///   - networkId: the guest network of a zone-level address.
    /// - Throws: 431 for unknown ids or algorithms, 537 when static NAT is enabled on the address, 531 out of reach.
    public func target(
        _ access: Access,
        ipId: String,
        algorithm: String,
        networkId: String?
    ) async throws -> (ip: PublicIPAddress, network: Network) {
        let ip = try await self.services.publicIPs.ip(access, id: ipId, parameter: "publicipid")
        guard ip.staticNatVmId == nil else {
            throw CloudError(
                .networkRuleConflict,
                csErrorCode: 4370,
                "Can't create a load balancer rule on IP address \(ip.address): static NAT is enabled on it"
            )
        }
        guard Self.algorithms.contains(algorithm) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Invalid algorithm \(algorithm); supported: leastconn, roundrobin, source"
            )
        }
        return (ip, try await self.services.firewall.network(of: ip, access, networkId: networkId))
    }

    /// A new load balancer rule.
    public struct Rule: Sendable {
        /// Its name (also its description).
        public var name: String
        /// One of ``LoadBalancerService/algorithms``.
        public var algorithm: String
        /// `tcp`, `udp` or `tcp-proxy`.
        public var protocolName: String
        /// The address's port.
        public var publicPort: Int
        /// The members' port.
        public var privatePort: Int
        /// The source CIDRs.
        public var cidrs: [String]
        /// Whether to add the firewall rule opening the public port.
        public var openFirewall: Bool

        /// Creates a rule request.
        public init(
            name: String,
            algorithm: String,
            protocolName: String,
            publicPort: Int,
            privatePort: Int,
            cidrs: [String],
            openFirewall: Bool
        ) {
            self.name = name
            self.algorithm = algorithm
            self.protocolName = protocolName
            self.publicPort = publicPort
            self.privatePort = privatePort
            self.cidrs = cidrs
            self.openFirewall = openFirewall
        }
    }

    /// Stores a rule on an address (from ``target(_:ipId:algorithm:networkId:)``).
    /// - Returns: the rule.
    /// - Throws: 537 when it overlaps a rule of the address; ``StoreError``.
    public func create(
        _ access: Access,
        ip: PublicIPAddress,
        network: Network,
        _ request: Rule
    ) async throws -> NetworkRule {
        let rule = NetworkRule(
            id: UUID().uuidString.lowercased(),
            purpose: .loadBalancing,
            ipAddressId: ip.id,
            networkId: network.id,
            accountId: ip.accountId ?? access.caller.account.id,
            protocolName: request.protocolName,
            startPort: request.publicPort,
            endPort: request.publicPort,
            privateStartPort: request.privatePort,
            privateEndPort: request.privatePort,
            cidrList: request.cidrs.joined(separator: ","),
            name: request.name,
            algorithm: request.algorithm,
            created: self.services.clock.now
        )
        try await self.services.firewall.insertOpening(rule, openFirewall: request.openFirewall)
        return rule
    }

    /// The load balancer rules the caller may see, optionally those a VM is a member of.
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        ipAddressId: String?,
        networkId: String?,
        vmId: String?
    ) async throws -> ListPage<NetworkRule> {
        var filters: [(column: String, value: String)] = [("purpose", NetworkRule.Purpose.loadBalancing.rawValue)]
        for (value, column) in [(ipAddressId, "ip_address_id"), (networkId, "network_id")] {
            if let value { filters.append((column, value)) }
        }
        var query = try await access.scopedQuery(request, filters)
        if let vmId {
            query.idIn = try await self.store.members(.loadBalancer, vmIds: [vmId]).map(\.groupId)
        }
        query.tags = request.tags
        query.tagResourceType = "FirewallRule"
        return try await self.store.list(NetworkRule.self, query)
    }

    /// The rule and VMs of assignToLoadBalancerRule, checked: each VM the rule's account's, with a NIC in the
    /// rule's network.
    /// - Throws: 431 for unknown or no ids or VMs without a NIC there, 531 out of reach.
    public func prepareAssign(
        _ access: Access,
        ruleId: String,
        vmIds: [String]
    ) async throws -> (rule: NetworkRule, vms: [VirtualMachine]) {
        let rule = try await self.services.firewall.rule(access, id: ruleId, purpose: .loadBalancing)
        guard !vmIds.isEmpty else { throw CloudError.missingParameter(access.command, "virtualmachineids") }
        guard let network = try await self.store.get(Network.self, id: rule.networkId) else {
            throw CloudError(.internalError, "the rule's network is missing")
        }
        var vms: [VirtualMachine] = []
        for id in vmIds {
            guard let vm = try await self.store.get(VirtualMachine.self, id: id), vm.state != .expunging else {
                throw CloudError.invalidParameter(access.command, "virtualmachineids", id)
            }
            guard vm.accountId == rule.accountId else {
                throw Access.permissionDenied("Virtual machine \(vm.name) is not owned by the rule's account")
            }
            _ = try await self.services.firewall.nic(of: vm, in: network)
            vms.append(vm)
        }
        return (rule, vms)
    }

    /// Adds VMs to a rule's members.
    /// - Throws: ``StoreError``.
    public func assign(_ vms: [VirtualMachine], to rule: NetworkRule) async throws {
        try await self.store.addMembers(.loadBalancer, groupId: rule.id, vmIds: vms.map(\.id))
    }

    /// The rule of removeFromLoadBalancerRule, checked: every VM is a member.
    /// - Throws: 431 for an unknown rule, no ids or a VM that is not a member; 531 out of reach.
    public func prepareRemove(_ access: Access, ruleId: String, vmIds: [String]) async throws -> NetworkRule {
        let rule = try await self.services.firewall.rule(access, id: ruleId, purpose: .loadBalancing)
        guard !vmIds.isEmpty else { throw CloudError.missingParameter(access.command, "virtualmachineids") }
        let current = Set(try await self.store.members(.loadBalancer, groupIds: [rule.id]).map(\.vmId))
        if let missing = vmIds.first(where: { !current.contains($0) }) {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Virtual machine \(missing) is not assigned to load balancer rule \(rule.name ?? rule.id)"
            )
        }
        return rule
    }

    /// Removes VMs from a rule's members.
    /// - Throws: ``StoreError``.
    public func remove(_ vmIds: [String], from rule: NetworkRule) async throws {
        try await self.store.removeMembers(.loadBalancer, groupId: rule.id, vmIds: vmIds)
    }

    /// A rule's members (`applied`), or else the VMs of the rule's account on its network that could join.
    /// - Throws: 431 for an unknown rule, 531 out of reach.
    public func instances(_ access: Access, ruleId: String, applied: Bool) async throws -> [VirtualMachine] {
        let rule = try await self.services.firewall.rule(access, id: ruleId, purpose: .loadBalancing)
        let memberIds = try await self.store.members(.loadBalancer, groupIds: [rule.id]).map(\.vmId)
        if applied {
            return memberIds.isEmpty
                ? [] : try await self.store.list(VirtualMachine.self, ListQuery(idIn: memberIds)).items
        }
        var nicQuery = ListQuery(equals: [("network_id", rule.networkId)])
        nicQuery.pageSize = nil
        let onNetwork = try await self.store.list(Nic.self, nicQuery).items.map(\.vmId)
        return try await self.store.list(
            VirtualMachine.self,
            ListQuery(equals: [("account_id", rule.accountId)], idIn: onNetwork)
        ).items.filter { !memberIds.contains($0.id) && $0.state != .expunging && $0.state != .destroyed }
    }
}

extension CloudServices {
    /// Load balancer rules and their members.
    public var loadBalancers: LoadBalancerService { LoadBalancerService(services: self) }
}
