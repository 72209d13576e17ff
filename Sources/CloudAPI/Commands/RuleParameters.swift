import CloudCore
import CloudModel
import Foundation

/// Parsing shared by firewall, port-forwarding, load-balancer, ACL and security-group rules.
enum RuleParameters {
    /// A protocol and port range as given (the core's ``RulePorts``).
    typealias Ports = RulePorts

    /// `protocol` (tcp, udp, icmp, all; lower-cased) with `startport`/`endport` (or the given names): ports are
    /// required for tcp/udp, 1...65535 and ordered; refused for icmp/all.
    static func ports(
        _ context: CommandContext,
        protocolParameter: String = "protocol",
        start startName: String = "startport",
        end endName: String = "endport",
        allowed: Set<String> = ["tcp", "udp", "icmp", "all"]
    ) throws(CloudError) -> Ports {
        let given = try context.required(protocolParameter).lowercased()
        guard allowed.contains(given) || Int(given).map({ (0...255).contains($0) }) == true else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Invalid protocol \(given); supported: \(allowed.sorted().joined(separator: ", "))"
            )
        }
        let start = try Self.port(context, startName)
        let end = try Self.port(context, endName) ?? start
        if given == "tcp" || given == "udp" {
            guard let start else { throw CloudError.missingParameter(context.command, startName) }
            guard let end, start <= end else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Start port can't be bigger than end port"
                )
            }
            return Ports(protocolName: given, start: start, end: end)
        }
        if start != nil || context.string(endName) != nil, given != "icmp" {
            throw CloudError(.paramError, csErrorCode: 4350, "Ports can be specified only for tcp and udp rules")
        }
        return Ports(protocolName: given, start: given == "icmp" ? start : nil, end: given == "icmp" ? end : nil)
    }

    /// A port parameter in 1...65535 (nil when absent).
    static func port(_ context: CommandContext, _ name: String) throws(CloudError) -> Int? {
        guard let text = context.string(name) else { return nil }
        guard let value = Int(text), (1...65535).contains(value) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Invalid port \(text) for parameter \(name): ports are 1-65535"
            )
        }
        return value
    }

    /// `cidrlist` (comma separated), each a valid CIDR, default `0.0.0.0/0`.
    static func cidrs(
        _ context: CommandContext,
        _ name: String = "cidrlist",
        default fallback: String? = "0.0.0.0/0"
    )
        throws(CloudError) -> [String]
    {
        guard let text = context.string(name) else { return fallback.map { [$0] } ?? [] }
        let cidrs = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        for cidr in cidrs where IPv4Subnet(cidr: cidr) == nil {
            throw CloudError(.paramError, csErrorCode: 4350, "Invalid CIDR \(cidr) in \(name)")
        }
        return cidrs
    }
}
