import CloudCore
import CloudModel

/// IP forwarding (static NAT) rules: createIpForwardingRule, listIpForwardingRules, deleteIpForwardingRule.
/// Static NAT itself is enabled and disabled by ``PublicIPCommands``.
enum IpForwardingCommands {
    static var all: [CommandDescriptor] {
        [
            create, list,
            FirewallCommands.delete(
                "deleteIpForwardingRule",
                purpose: .staticNat,
                event: CommandEvent(.netRuleDelete, "deleting ip forwarding rule", .rule)
            ),
        ]
    }

    static let create = CommandDescriptor(
        "createIpForwardingRule",
        "Creates an IP forwarding rule",
        isAsync: true,
        events: .records(CommandEvent(.netRuleAdd, "creating static nat rule", .rule)),
        parameters: [
            ParameterDescriptor(
                "ipaddressid",
                .uuid,
                required: true,
                "the public IP address ID of the forwarding rule, already associated via associateIp"
            ),
            ParameterDescriptor("startport", .integer, required: true, "the start port for the rule"),
            ParameterDescriptor("endport", .integer, "the end port for the rule"),
            ParameterDescriptor(
                "protocol",
                .string,
                required: true,
                "the protocol for the rule. Valid values are TCP or UDP."
            ),
            ParameterDescriptor(
                "openfirewall",
                .boolean,
                "if true, firewall rule for source/end public port is automatically created"
            ),
            ParameterDescriptor("cidrlist", .list, "deprecated: refused; use createFirewallRule"),
        ]
    ) { context in
        // As CloudStack's CreateIpForwardingRuleCmd: the deprecated parameter is refused, not ignored.
        guard context.string("cidrlist") == nil else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Parameter cidrList is deprecated; if you need to open firewall rule for the specific CIDR, please refer to createFirewallRule command"
            )
        }
        let target = try await context.core.staticNat.target(
            context.access,
            ipId: try context.required("ipaddressid")
        )
        let ports = try RuleParameters.ports(context, allowed: ["tcp", "udp"])
        let rule = try await context.core.staticNat.create(
            target,
            ports: ports,
            openFirewall: context.bool("openfirewall", default: true)
        )
        return try await FirewallCommands.submit(rule, as: "ipforwardingrule", context)
    }

    static let list = CommandDescriptor(
        "listIpForwardingRules",
        "List the IP forwarding rules",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("ipaddressid", .uuid, "list the rule belonging to this public IP address"),
            ParameterDescriptor("virtualmachineid", .uuid, "Lists all rules applied to the specified VM."),
        ]
    ) { context in
        try await FirewallCommands.listRules(
            context,
            purpose: .staticNat,
            traffic: nil,
            item: "ipforwardingrule",
            vmIdParameter: "virtualmachineid"
        )
    }
}
