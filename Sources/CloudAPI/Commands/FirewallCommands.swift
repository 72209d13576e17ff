import CloudCore
import CloudModel
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
            + PortForwardingCommands.all + IpForwardingCommands.all + LoadBalancerCommands.all + RuleUpdateCommands.all
    }

    /// Answers with an async job rendering a stored rule as `name`.
    static func submit(_ rule: NetworkRule, as name: String, _ context: CommandContext) async throws -> CommandResult {
        try await context.submitJob(instanceType: "FirewallRule", instanceId: rule.id, returnsId: true) {
            (name, try await NetworkRuleResponses.render([rule], core: context.core)[0])
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
        let firewall = context.core.firewall
        let (ip, network) = try await firewall.ingressTarget(
            context.access,
            ipId: try context.required("ipaddressid"),
            networkId: context.string("networkid")
        )
        let ports = try RuleParameters.ports(context)
        let rule = try await firewall.openIngress(
            context.access,
            ip: ip,
            network: network,
            ports: ports,
            cidrs: try RuleParameters.cidrs(context),
            icmpType: context.int("icmptype"),
            icmpCode: context.int("icmpcode")
        )
        return try await Self.submit(rule, as: "firewallrule", context)
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
        let firewall = context.core.firewall
        let network = try await firewall.egressNetwork(context.access, id: try context.required("networkid"))
        let ports = try RuleParameters.ports(context)
        let sources = try RuleParameters.cidrs(context, default: FirewallService.egressSource(of: network))
        let rule = try await firewall.openEgress(
            network: network,
            ports: ports,
            sources: sources,
            icmpType: context.int("icmptype"),
            icmpCode: context.int("icmpcode")
        )
        return try await Self.submit(rule, as: "firewallrule", context)
    }

    /// Lists rules of `purpose` (and traffic type) owned by what the caller may see.
    static func listRules(
        _ context: CommandContext,
        purpose: NetworkRule.Purpose,
        traffic: String?,
        item: String,
        vmIdParameter: String? = nil
    ) async throws -> CommandResult {
        let filter = NetworkRuleFilter(
            purpose: purpose,
            trafficType: traffic,
            ipAddressId: context.string("ipaddressid"),
            networkId: context.string("networkid"),
            vmId: vmIdParameter.flatMap { context.string($0) }
        )
        let page = try await context.core.firewall.list(context.access, context.listRequest, filter)
        return .list(
            item: item,
            total: page.total,
            items: try await NetworkRuleResponses.render(page.items, core: context.core)
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
            let firewall = context.core.firewall
            let rule = try await firewall.prepareDelete(
                context.access,
                id: try context.required("id"),
                purpose: purpose,
                egress: name == "deleteEgressFirewallRule"
            )
            return try await context.submitJob(instanceType: "FirewallRule", instanceId: rule.id) {
                try await firewall.delete(rule)
                return ("success", .bool(true))
            }
        }
    }
}
