import CloudCore
import CloudModel

/// updateFirewallRule, updateEgressFirewallRule, updatePortForwardingRule and updateLoadBalancerRule
/// (``FirewallService/prepareUpdate(_:id:purpose:trafficType:_:)``): async jobs answering with the rule.
enum RuleUpdateCommands {
    static var all: [CommandDescriptor] {
        [
            Self.command(
                "updateFirewallRule",
                "Updates firewall rule ",
                purpose: .firewall,
                trafficType: "Ingress",
                item: "firewallrule",
                event: CommandEvent(.firewallUpdate, "updating firewall rule", .rule)
            ),
            Self.command(
                "updateEgressFirewallRule",
                "Updates egress firewall rule ",
                purpose: .firewall,
                trafficType: "Egress",
                item: "firewallrule",
                event: CommandEvent(.firewallEgressUpdate, "updating egress firewall rule", .rule)
            ),
            Self.command(
                "updatePortForwardingRule",
                "Updates a port forwarding rule. Only the private port and the virtual machine can be updated.",
                purpose: .portForwarding,
                item: "portforwardingrule",
                event: CommandEvent(.netRuleModify, "updating port forwarding rule", .rule)
            ),
            Self.command(
                "updateLoadBalancerRule",
                "Updates load balancer",
                purpose: .loadBalancing,
                item: "loadbalancer",
                event: CommandEvent(.lbUpdate, "updating load balancer rule", .loadBalancer),
                extra: [
                    ParameterDescriptor("name", .string, "the name of the load balancer rule"),
                    ParameterDescriptor("description", .string, "the description of the load balancer rule"),
                    ParameterDescriptor(
                        "algorithm",
                        .string,
                        "load balancer algorithm (source, roundrobin, leastconn)"
                    ),
                    ParameterDescriptor("protocol", .string, "The protocol for the LB"),
                ]
            ),
        ]
    }

    static func command(
        _ name: String,
        _ description: String,
        purpose: NetworkRule.Purpose,
        trafficType: String? = nil,
        item: String,
        event: CommandEvent,
        extra: [ParameterDescriptor] = []
    ) -> CommandDescriptor {
        CommandDescriptor(
            name,
            description,
            isAsync: true,
            events: .records(event),
            parameters: [
                ParameterDescriptor("id", .uuid, required: true, "the ID of the rule"),
                ParameterDescriptor(
                    "customid",
                    .string,
                    "an optional field, in case you want to set a custom id to the resource. Allowed to Root Admins only"
                ),
                ParameterDescriptor(
                    "fordisplay",
                    .boolean,
                    "an optional field, whether to the display the rule to the end user or not"
                ),
            ] + extra
        ) { context in
            let update = FirewallService.RuleUpdate(
                forDisplay: context.string("fordisplay").map { $0.lowercased() == "true" },
                name: context.string("name"),
                description: context.string("description"),
                algorithm: context.string("algorithm")?.lowercased()
            )
            let firewall = context.core.firewall
            let rule = try await firewall.prepareUpdate(
                context.access,
                id: try context.required("id"),
                purpose: purpose,
                trafficType: trafficType,
                update
            )
            return try await context.submitJob(instanceType: "FirewallRule", instanceId: rule.id) {
                let updated = try await firewall.apply(update, to: rule)
                return (item, try await NetworkRuleResponses.render([updated], core: context.core)[0])
            }
        }
    }
}
