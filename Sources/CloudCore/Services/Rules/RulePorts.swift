/// A rule's protocol and port range as requested (CloudStack's `protocol`, `startport`, `endport`): ports for
/// tcp/udp, the ICMP type/code range for icmp, none for all.
public struct RulePorts: Sendable, Hashable {
    /// `tcp`, `udp`, `icmp`, `all` or a protocol number, lower-cased.
    public var protocolName: String
    /// The first port.
    public var start: Int?
    /// The last port.
    public var end: Int?

    /// Creates a protocol and port range.
    public init(protocolName: String, start: Int?, end: Int?) {
        self.protocolName = protocolName
        self.start = start
        self.end = end
    }
}
