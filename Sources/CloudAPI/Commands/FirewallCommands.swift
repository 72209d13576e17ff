import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Ingress and egress firewall rules: createFirewallRule, listFirewallRules, deleteFirewallRule,
/// createEgressFirewallRule, listEgressFirewallRules, deleteEgressFirewallRule.
enum FirewallCommands {
    static var all: [CommandDescriptor] {
        [
            createFirewallRule, listFirewallRules,
            delete(
                "deleteFirewallRule",
                purpose: .firewall,
                event: CommandEvent(.firewallClose, "deleting firewall rule", .rule)
            ),
            createEgress, listEgress,
            delete(
                "deleteEgressFirewallRule",
                purpose: .firewall,
                event: CommandEvent(.firewallEgressClose, "deleting egress firewall rule", .rule)
            ),
        ]
            + PortForwardingCommands.all + LoadBalancerCommands.all
    }

    /// The guest network a rule on `ip` applies to: the address's, or (for an address associated with the zone
    /// only) `networkid`, which the address then joins.
    static func network(of ip: PublicIPAddress, _ context: CommandContext) async throws -> Network {
        if let networkId = ip.networkId, let network = try await context.server.store.get(Network.self, id: networkId) {
            return network
        }
        guard context.string("networkid") != nil else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "IP address \(ip.address) is not associated with a guest network; specify networkid"
            )
        }
        let network = try await NetworkCommands.usableNetwork(context, "networkid")
        try await context.server.store.associatePublicIP(id: ip.id, networkId: network.id)
        return network
    }

    /// The rule named by `id`, of `purpose`, that the caller may change.
    static func ownedRule(
        _ context: CommandContext,
        purpose: NetworkRule.Purpose,
        parameter: String = "id"
    )
        async throws -> NetworkRule
    {
        let rule = try await context.entity(NetworkRule.self, parameter)
        guard rule.purpose == purpose else { throw CloudError.invalidParameter(context.command, parameter, rule.id) }
        guard try await context.mayAccess(accountId: rule.accountId) else {
            throw CommandContext.permissionDenied(
                "Account \(context.caller.account.name) does not have permission to operate on rule \(rule.id)"
            )
        }
        return rule
    }

    /// Inserts a rule after the conflict check, then answers with an async job rendering it as `name`.
    static func insert(_ rule: NetworkRule, as name: String, _ context: CommandContext) async throws -> CommandResult {
        let store = context.server.store
        try await NetworkRuleResponses.checkConflicts(rule, store: store)
        try await store.insert(rule)
        return try await context.submitJob(instanceType: "FirewallRule", instanceId: rule.id, returnsId: true) {
            (name, try await NetworkRuleResponses.render([rule], store: store)[0])
        }
    }

    static let ruleParameters: [ParameterDescriptor] = [
        ParameterDescriptor(
            "protocol",
            .string,
            required: true,
            "the protocol for the firewall rule. Valid values are TCP/UDP/ICMP/ALL or valid protocol number"
        ),
        ParameterDescriptor("startport", .integer, "the starting port of firewall rule"),
        ParameterDescriptor("endport", .integer, "the ending port of firewall rule"),
        ParameterDescriptor("cidrlist", .list, "the CIDR list to forward traffic from"),
        ParameterDescriptor("icmptype", .integer, "type of the ICMP message being sent"),
        ParameterDescriptor("icmpcode", .integer, "error code for this ICMP message"),
        ParameterDescriptor("type", .string, "type of firewall rule: system/user"),
        ParameterDescriptor(
            "fordisplay",
            .boolean,
            "an optional field, whether to the display the rule to the end user or not"
        ),
    ]

    static let createFirewallRule = CommandDescriptor(
        "createFirewallRule",
        "Creates a firewall rule for a given IP address",
        isAsync: true,
        events: .records(CommandEvent(.firewallOpen, "creating firewall rule", .rule)),
        parameters: [
            ParameterDescriptor("ipaddressid", .uuid, required: true, "the IP address id of the firewall rule")
        ] + ruleParameters + [ParameterDescriptor("networkid", .uuid, "the network of a zone-level IP address")]
    ) { context in
        let ip = try await PublicIPCommands.ownedIP(context, "ipaddressid")
        if ip.vpcId != nil {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Firewall rules are not supported on VPC IP addresses; use network ACLs"
            )
        }
        let network = try await Self.network(of: ip, context)
        let ports = try RuleParameters.ports(context)
        let rule = NetworkRule(
            id: UUID().uuidString.lowercased(),
            purpose: .firewall,
            ipAddressId: ip.id,
            networkId: network.id,
            accountId: ip.accountId ?? context.caller.account.id,
            protocolName: ports.protocolName,
            startPort: ports.protocolName == "icmp" ? nil : ports.start,
            endPort: ports.protocolName == "icmp" ? nil : ports.end,
            cidrList: try RuleParameters.cidrs(context).joined(separator: ","),
            icmpType: ports.protocolName == "icmp" ? context.int("icmptype") ?? -1 : nil,
            icmpCode: ports.protocolName == "icmp" ? context.int("icmpcode") ?? -1 : nil,
            created: Timestamp.now
        )
        return try await Self.insert(rule, as: "firewallrule", context)
    }

    static let createEgress = CommandDescriptor(
        "createEgressFirewallRule",
        "Creates a egress firewall rule for a given network",
        isAsync: true,
        events: .records(CommandEvent(.firewallEgressOpen, "creating egress firewall rule", .rule)),
        parameters: [
            ParameterDescriptor("networkid", .uuid, required: true, "the network id of the port forwarding rule")
        ]
            + ruleParameters + [ParameterDescriptor("destcidrlist", .list, "the cidr list to forward traffic to")]
    ) { context in
        let network = try await NetworkCommands.usableNetwork(context, "networkid")
        guard network.guestType == "Isolated", network.vpcId == nil, let owner = network.accountId else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Egress firewall rules are supported on isolated networks outside VPCs only"
            )
        }
        let ports = try RuleParameters.ports(context)
        let subnet = IPv4Subnet(gateway: network.gateway, netmask: network.netmask)
        let sources = try RuleParameters.cidrs(context, default: subnet?.description ?? "0.0.0.0/0")
        for cidr in sources {
            guard let given = IPv4Subnet(cidr: cidr), let subnet, subnet.contains(given.network),
                given.prefix >= subnet.prefix
            else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Source CIDR \(cidr) of an egress rule must be within the network's CIDR \(subnet?.description ?? "")"
                )
            }
        }
        let store = context.server.store
        let rule = NetworkRule(
            id: UUID().uuidString.lowercased(),
            purpose: .firewall,
            trafficType: "Egress",
            ipAddressId: nil,
            networkId: network.id,
            accountId: owner,
            protocolName: ports.protocolName,
            startPort: ports.protocolName == "icmp" ? nil : ports.start,
            endPort: ports.protocolName == "icmp" ? nil : ports.end,
            cidrList: sources.joined(separator: ","),
            icmpType: ports.protocolName == "icmp" ? context.int("icmptype") ?? -1 : nil,
            icmpCode: ports.protocolName == "icmp" ? context.int("icmpcode") ?? -1 : nil,
            created: Timestamp.now
        )
        let existing = try await store.list(
            NetworkRule.self,
            ListQuery(equals: [("network_id", network.id), ("traffic_type", "Egress")])
        ).items
        if let other = existing.first(where: {
            $0.protocolName == rule.protocolName && $0.cidrList == rule.cidrList
                && (rule.startPort == nil ? $0.startPort == nil : rule.conflicts(with: $0))
        }) {
            throw CloudError(
                .networkRuleConflict,
                csErrorCode: 4370,
                "The egress rule conflicts with rule \(other.id) of network \(network.name)"
            )
        }
        try await store.insert(rule)
        return try await context.submitJob(instanceType: "FirewallRule", instanceId: rule.id, returnsId: true) {
            ("firewallrule", try await NetworkRuleResponses.render([rule], store: store)[0])
        }
    }

    /// Lists rules of `purpose` (and traffic type) owned by what the caller may see.
    static func listRules(
        _ context: CommandContext,
        purpose: NetworkRule.Purpose,
        traffic: String?,
        item: String,
        extra: [(String, String)] = []
    ) async throws -> CommandResult {
        var filters: [(column: String, value: String)] = [("purpose", purpose.rawValue)]
        if let traffic { filters.append(("traffic_type", traffic)) }
        for (parameter, column) in [("ipaddressid", "ip_address_id"), ("networkid", "network_id")] + extra {
            if let value = context.string(parameter) { filters.append((column, value)) }
        }
        var query = try await context.scopedListQuery(filters)
        query.tags = context.tagPairs
        query.tagResourceType = "FirewallRule"
        let page = try await context.server.store.list(NetworkRule.self, query)
        return .list(
            item: item,
            total: page.total,
            items: try await NetworkRuleResponses.render(page.items, store: context.server.store)
        )
    }

    static let listParameters: [ParameterDescriptor] =
        ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("ipaddressid", .uuid, "the ID of IP address of the firewall services"),
            ParameterDescriptor("networkid", .uuid, "list firewall rules for certain network"),
            ParameterDescriptor("tags", .map, "List resources by tags (key/value pairs)"),
        ]

    static let listFirewallRules = CommandDescriptor(
        "listFirewallRules",
        "Lists all firewall rules for an IP address.",
        parameters: listParameters
    ) { context in
        try await Self.listRules(context, purpose: .firewall, traffic: "Ingress", item: "firewallrule")
    }

    static let listEgress = CommandDescriptor(
        "listEgressFirewallRules",
        "Lists all egress firewall rules for network ID.",
        parameters: listParameters
    ) { context in
        try await Self.listRules(context, purpose: .firewall, traffic: "Egress", item: "firewallrule")
    }

    /// A delete command for rules of `purpose`.
    static func delete(_ name: String, purpose: NetworkRule.Purpose, event: CommandEvent) -> CommandDescriptor {
        CommandDescriptor(
            name,
            "Deletes a rule",
            isAsync: true,
            events: .records(event),
            parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the rule")]
        ) { context in
            let rule = try await Self.ownedRule(context, purpose: purpose)
            let egress = name == "deleteEgressFirewallRule"
            if purpose == .firewall && (rule.trafficType == "Egress") != egress {
                throw CloudError.invalidParameter(context.command, "id", rule.id)
            }
            return try await context.submitJob(instanceType: "FirewallRule", instanceId: rule.id) {
                try await context.server.store.deleteRules([rule.id])
                return ("success", .bool(true))
            }
        }
    }
}
