import CloudModel
import CloudStore
import Foundation

/// The filters of listFirewallRules, listEgressFirewallRules, listPortForwardingRules and listIpForwardingRules
/// besides paging and scope.
public struct NetworkRuleFilter: Sendable {
    /// The rules' kind.
    public var purpose: NetworkRule.Purpose
    /// `Ingress` or `Egress`; nil for both.
    public var trafficType: String?
    /// The public address.
    public var ipAddressId: String?
    /// The guest network.
    public var networkId: String?
    /// The target VM of port forwarding and static NAT rules.
    public var vmId: String?

    /// Creates a filter.
    public init(
        purpose: NetworkRule.Purpose,
        trafficType: String? = nil,
        ipAddressId: String? = nil,
        networkId: String? = nil,
        vmId: String? = nil
    ) {
        self.purpose = purpose
        self.trafficType = trafficType
        self.ipAddressId = ipAddressId
        self.networkId = networkId
        self.vmId = vmId
    }
}

/// What the response of a page of rules names besides the rules (their owners come from
/// ``CloudServices/owners(of:)``).
public struct NetworkRuleDetails: Sendable {
    /// The rules' public addresses by UUID.
    public var ips: [String: PublicIPAddress] = [:]
    /// The port forwarding and static NAT rules' VMs by UUID.
    public var vms: [String: VirtualMachine] = [:]
    /// The NICs of those VMs.
    public var nics: [Nic] = []
    /// The rules' tags by rule UUID.
    public var tags: [String: [ResourceTag]] = [:]
}

extension FirewallService {
    /// The rules the caller may see.
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        _ filter: NetworkRuleFilter
    ) async throws -> ListPage<NetworkRule> {
        var filters: [(column: String, value: String)] = [("purpose", filter.purpose.rawValue)]
        if let traffic = filter.trafficType { filters.append(("traffic_type", traffic)) }
        for (value, column) in [
            (filter.ipAddressId, "ip_address_id"), (filter.networkId, "network_id"), (filter.vmId, "vm_id"),
        ] {
            if let value { filters.append((column, value)) }
        }
        var query = try await access.scopedQuery(request, filters)
        query.tags = request.tags
        query.tagResourceType = "FirewallRule"
        return try await self.store.list(NetworkRule.self, query)
    }

    /// The addresses, VMs, NICs and tags a page of rules names.
    /// - Throws: ``StoreError``.
    public func details(of rules: [NetworkRule]) async throws -> NetworkRuleDetails {
        guard !rules.isEmpty else { return NetworkRuleDetails() }
        var details = NetworkRuleDetails()
        details.ips = Dictionary(
            try await self.store.list(
                PublicIPAddress.self,
                ListQuery(idIn: Array(Set(rules.compactMap(\.ipAddressId))))
            ).items.map { ($0.id, $0) }
        ) { first, _ in first }
        details.vms = Dictionary(
            try await self.store.list(VirtualMachine.self, ListQuery(idIn: Array(Set(rules.compactMap(\.vmId)))))
                .items.map { ($0.id, $0) }
        ) { first, _ in first }
        var nicQuery = ListQuery(idIn: Array(Set(rules.compactMap(\.vmId))))
        nicQuery.inColumn = "vm_id"
        details.nics = try await self.store.list(Nic.self, nicQuery).items
        details.tags = try await self.services.tags.of(rules.map(\.id), resourceType: "FirewallRule")
        return details
    }

    /// 537 when `rule` overlaps an existing rule of the same kind on its IP: firewall rules with firewall rules,
    /// port forwarding, load balancing and static NAT with each other; and, whatever the ports, when static NAT
    /// rules would share an address with port forwarding or load balancing (CloudStack's `detectRulesConflict`).
    /// - Throws: 537; ``StoreError``.
    public func checkConflicts(_ rule: NetworkRule) async throws {
        guard let ipId = rule.ipAddressId else { return }
        let existing = try await self.store.list(NetworkRule.self, ListQuery(equals: [("ip_address_id", ipId)])).items
        for other in existing where other.id != rule.id {
            let sameFamily = (rule.purpose == .firewall) == (other.purpose == .firewall)
            guard sameFamily else { continue }
            if rule.purpose != .firewall, (rule.purpose == .staticNat) != (other.purpose == .staticNat) {
                throw CloudError(
                    .networkRuleConflict,
                    csErrorCode: 4370,
                    other.purpose == .staticNat
                        ? "There is 1 to 1 Nat rule specified for the ip address id=\(ipId)"
                        : "There is already firewall rule specified for the ip address id=\(ipId)"
                )
            }
            let overlaps: Bool
            if rule.purpose == .firewall {
                overlaps =
                    rule.protocolName == other.protocolName && rule.cidrList == other.cidrList
                    && (rule.startPort == nil
                        ? other.startPort == nil && rule.protocolName != "icmp" : rule.conflicts(with: other))
            } else {
                overlaps = rule.conflicts(with: other)
            }
            if overlaps {
                throw CloudError(
                    .networkRuleConflict,
                    csErrorCode: 4370,
                    "The range specified, \(rule.startPort.map(String.init) ?? "")-\(rule.endPort.map(String.init) ?? ""), conflicts with rule \(other.id) which has \(other.startPort.map(String.init) ?? "")-\(other.endPort.map(String.init) ?? "")"
                )
            }
        }
    }

    /// Stores a rule after the conflict check.
    func insert(_ rule: NetworkRule) async throws {
        try await self.checkConflicts(rule)
        try await self.store.insert(rule)
    }

    /// Stores a port forwarding or load balancing rule: checks conflicts, adds the firewall rule opening its
    /// public ports when `openFirewall` (unless one already covers them), then stores it.
    func insertOpening(_ rule: NetworkRule, openFirewall: Bool) async throws {
        try await self.checkConflicts(rule)
        if openFirewall {
            var opening = rule
            opening.id = UUID().uuidString.lowercased()
            opening.purpose = .firewall
            opening.vmId = nil
            opening.privateStartPort = nil
            opening.privateEndPort = nil
            opening.name = nil
            opening.algorithm = nil
            if (try? await self.checkConflicts(opening)) != nil {
                try await self.store.insert(opening)
            }
        }
        try await self.insert(rule)
    }

    /// The NIC `vm` has in `network`.
    /// - Throws: 431 when it has none.
    func nic(of vm: VirtualMachine, in network: Network) async throws -> Nic {
        guard let nic = try await self.store.nics(of: vm.id).first(where: { $0.networkId == network.id }) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Virtual machine \(vm.name) doesn't have a NIC in network \(network.name) of the IP address"
            )
        }
        return nic
    }
}
