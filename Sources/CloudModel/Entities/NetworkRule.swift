/// A firewall, egress firewall, port-forwarding, load-balancing or static NAT (IP forwarding) rule (CloudStack's
/// `firewall_rules` table, one row per rule with its `purpose`).
public struct NetworkRule: Sendable, Hashable, Codable {
    /// The rule kinds.
    public enum Purpose: String, Sendable, Hashable, Codable {
        /// Ingress (or, with `trafficType` Egress, egress) firewall.
        case firewall = "Firewall"
        /// Port forwarding to a VM.
        case portForwarding = "PortForwarding"
        /// Load balancing across member VMs.
        case loadBalancing = "LoadBalancing"
        /// A port range of a static NAT address forwarded to its VM (createIpForwardingRule).
        case staticNat = "StaticNat"
    }

    /// UUID.
    public var id: String
    /// What the rule does.
    public var purpose: Purpose
    /// `Ingress` or `Egress`.
    public var trafficType: String
    /// The public IP (nil for egress rules).
    public var ipAddressId: String?
    /// The guest network.
    public var networkId: String
    /// Owner.
    public var accountId: String
    /// `tcp`, `udp`, `icmp` or `all`.
    public var protocolName: String
    /// First public port (nil for icmp/all).
    public var startPort: Int?
    /// Last public port.
    public var endPort: Int?
    /// First private port (port forwarding, load balancing).
    public var privateStartPort: Int?
    /// Last private port.
    public var privateEndPort: Int?
    /// Comma-separated CIDRs.
    public var cidrList: String
    /// ICMP type.
    public var icmpType: Int?
    /// ICMP code.
    public var icmpCode: Int?
    /// The target VM of a port-forwarding or static NAT rule.
    public var vmId: String?
    /// The name of a load balancer.
    public var name: String?
    /// The algorithm of a load balancer (`roundrobin`, `leastconn`, `source`).
    public var algorithm: String?
    /// `Active`.
    public var state: String
    /// Creation time.
    public var created: Double
    /// Whether the owner is shown the rule (`fordisplay`); nil for shown.
    public var forDisplay: Bool?
    /// A load balancer rule's description; nil for its name.
    public var ruleDescription: String?

    /// Creates a rule.
    public init(
        id: String,
        purpose: Purpose,
        trafficType: String = "Ingress",
        ipAddressId: String?,
        networkId: String,
        accountId: String,
        protocolName: String,
        startPort: Int?,
        endPort: Int?,
        privateStartPort: Int? = nil,
        privateEndPort: Int? = nil,
        cidrList: String = "0.0.0.0/0",
        icmpType: Int? = nil,
        icmpCode: Int? = nil,
        vmId: String? = nil,
        name: String? = nil,
        algorithm: String? = nil,
        state: String = "Active",
        created: Double
    ) {
        self.id = id
        self.purpose = purpose
        self.trafficType = trafficType
        self.ipAddressId = ipAddressId
        self.networkId = networkId
        self.accountId = accountId
        self.protocolName = protocolName
        self.startPort = startPort
        self.endPort = endPort
        self.privateStartPort = privateStartPort
        self.privateEndPort = privateEndPort
        self.cidrList = cidrList
        self.icmpType = icmpType
        self.icmpCode = icmpCode
        self.vmId = vmId
        self.name = name
        self.algorithm = algorithm
        self.state = state
        self.created = created
    }

    /// Whether the public port ranges of two rules on the same IP and protocol overlap.
    /// - Parameter other: the other rule.
    /// - Returns: true when both name ports on one IP and protocol and the ranges intersect.
    public func conflicts(with other: NetworkRule) -> Bool {
        guard self.ipAddressId == other.ipAddressId, self.protocolName == other.protocolName,
            let start = self.startPort, let end = self.endPort, let otherStart = other.startPort,
            let otherEnd = other.endPort
        else { return false }
        return start <= otherEnd && otherStart <= end
    }
}
