/// One allowing rule of a security group as a host applies it (CloudStack's `IpPortAndProto` of
/// `SecurityGroupRulesCmd`): group-to-group rules arrive resolved to their members' addresses.
public struct AgentFirewallRule: Codable, Hashable, Sendable {
    /// `tcp`, `udp`, `icmp` or `all`.
    public var protocolName: String
    /// The first port, or the ICMP type (nil or -1: any).
    public var startPort: Int?
    /// The last port, or the ICMP code (nil or -1: any).
    public var endPort: Int?
    /// The peer addresses: sources of an ingress rule, destinations of an egress rule.
    public var cidrs: [String]

    /// Makes a value.
    public init(protocolName: String, startPort: Int? = nil, endPort: Int? = nil, cidrs: [String]) {
        self.protocolName = protocolName
        self.startPort = startPort
        self.endPort = endPort
        self.cidrs = cidrs
    }
}

/// The security-group rules of one NIC: what may reach the guest (besides replies) and what it may send.
public struct AgentNicFirewall: Codable, Hashable, Sendable {
    /// Traffic to the guest that is allowed; everything else new is dropped.
    public var ingress: [AgentFirewallRule]
    /// Traffic from the guest that is allowed; empty allows everything (CloudStack's default egress policy of a
    /// group without egress rules).
    public var egress: [AgentFirewallRule]

    /// Makes a value.
    public init(ingress: [AgentFirewallRule], egress: [AgentFirewallRule]) {
        self.ingress = ingress
        self.egress = egress
    }
}
