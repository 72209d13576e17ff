import CloudCore
import CloudModel
import Orchestrator

/// Port forwarding: createPortForwardingRule, listPortForwardingRules, deletePortForwardingRule.
enum PortForwardingCommands {
    static var all: [CommandDescriptor] {
        [
            create, list,
            FirewallCommands.delete(
                "deletePortForwardingRule",
                purpose: .portForwarding,
                event: CommandEvent(.netRuleDelete, "deleting port forwarding rule", .rule)
            ),
        ]
    }

    static let create = CommandDescriptor(
        "createPortForwardingRule",
        "Creates a port forwarding rule",
        isAsync: true,
        events: .records(CommandEvent(.netRuleAdd, "creating port forwarding rule", .rule)),
        parameters: [
            ParameterDescriptor("ipaddressid", .uuid, required: true, "the IP address id of the port forwarding rule"),
            ParameterDescriptor(
                "privateport",
                .integer,
                required: true,
                "the starting port of port forwarding rule's private port range"
            ),
            ParameterDescriptor(
                "privateendport",
                .integer,
                "the ending port of port forwarding rule's private port range"
            ),
            ParameterDescriptor(
                "publicport",
                .integer,
                required: true,
                "the starting port of port forwarding rule's public port range"
            ),
            ParameterDescriptor(
                "publicendport",
                .integer,
                "the ending port of port forwarding rule's private port range"
            ),
            ParameterDescriptor(
                "protocol",
                .string,
                required: true,
                "the protocol for the port forwarding rule. Valid values are TCP or UDP."
            ),
            ParameterDescriptor(
                "virtualmachineid",
                .uuid,
                required: true,
                "the ID of the virtual machine for the port forwarding rule"
            ),
            ParameterDescriptor(
                "networkid",
                .uuid,
                "the network of the virtual machine the port forwarding rule will be created for"
            ),
            ParameterDescriptor("vmguestip", .string, "VM guest nic secondary IP address for the port forwarding rule"),
            ParameterDescriptor("cidrlist", .list, "the source CIDR list to allow traffic from"),
            ParameterDescriptor(
                "openfirewall",
                .boolean,
                "if true, firewall rule for source/end public port is automatically created"
            ),
            ParameterDescriptor(
                "fordisplay",
                .boolean,
                "an optional field, whether to the display the rule to the end user or not"
            ),
        ]
    ) { context in
        let target = try await context.core.portForwarding.target(
            context.access,
            ipId: try context.required("ipaddressid"),
            vmId: try context.required("virtualmachineid"),
            networkId: context.string("networkid")
        )
        let ports = try RuleParameters.ports(
            context,
            start: "publicport",
            end: "publicendport",
            allowed: ["tcp", "udp"]
        )
        let privatePorts = try RuleParameters.ports(
            context,
            start: "privateport",
            end: "privateendport",
            allowed: ["tcp", "udp"]
        )
        guard let publicStart = ports.start, let publicEnd = ports.end, let privateStart = privatePorts.start,
            let privateEnd = privatePorts.end
        else { throw CloudError.missingParameter(context.command, "publicport") }
        guard publicEnd - publicStart == privateEnd - privateStart else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Private port range \(privateStart)-\(privateEnd) and public port range \(publicStart)-\(publicEnd) differ in size"
            )
        }
        let rule = try await context.core.portForwarding.create(
            target,
            protocolName: ports.protocolName,
            publicPorts: publicStart...publicEnd,
            privatePorts: privateStart...privateEnd,
            cidrs: try RuleParameters.cidrs(context),
            openFirewall: context.bool("openfirewall", default: true)
        )
        return try await FirewallCommands.submit(rule, as: "portforwardingrule", context)
    }

    static let list = CommandDescriptor(
        "listPortForwardingRules",
        "Lists all port forwarding rules for an IP address.",
        parameters: FirewallCommands.listParameters + [
            ParameterDescriptor("virtualmachineid", .uuid, "list port forwarding rules of the virtual machine")
        ]
    ) { context in
        try await FirewallCommands.listRules(
            context,
            purpose: .portForwarding,
            traffic: nil,
            item: "portforwardingrule",
            vmIdParameter: "virtualmachineid"
        )
    }
}
