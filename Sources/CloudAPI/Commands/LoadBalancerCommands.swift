import CloudCore
import CloudModel
import Orchestrator

/// Load balancing: createLoadBalancerRule, listLoadBalancerRules, deleteLoadBalancerRule, assignToLoadBalancerRule,
/// removeFromLoadBalancerRule, listLoadBalancerRuleInstances.
enum LoadBalancerCommands {
    static var all: [CommandDescriptor] {
        [
            create, list,
            FirewallCommands.delete(
                "deleteLoadBalancerRule",
                purpose: .loadBalancing,
                event: CommandEvent(.lbDelete, "deleting load balancer", .loadBalancer)
            ),
            assign, remove, instances,
        ]
    }

    static let create = CommandDescriptor(
        "createLoadBalancerRule",
        "Creates a load balancer rule",
        isAsync: true,
        events: .records(CommandEvent(.lbCreate, "creating load balancer", .loadBalancer)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "name of the load balancer rule"),
            ParameterDescriptor(
                "algorithm",
                .string,
                required: true,
                "load balancer algorithm (source, roundrobin, leastconn)"
            ),
            ParameterDescriptor(
                "privateport",
                .integer,
                required: true,
                "the private port of the private IP address/virtual machine where the network traffic will be load balanced to"
            ),
            ParameterDescriptor(
                "publicport",
                .integer,
                required: true,
                "the public port from where the network traffic will be load balanced from"
            ),
            ParameterDescriptor(
                "publicipid",
                .uuid,
                "public IP address ID from where the network traffic will be load balanced from"
            ),
            ParameterDescriptor("networkid", .uuid, "The guest network this rule will be created for"),
            ParameterDescriptor("zoneid", .uuid, "zone where the load balancer is going to be created"),
            ParameterDescriptor("protocol", .string, "The protocol for the LB such as tcp, udp or tcp-proxy."),
            ParameterDescriptor("description", .string, "the description of the load balancer rule"),
            ParameterDescriptor("cidrlist", .list, "the source CIDR list to allow traffic from"),
            ParameterDescriptor(
                "openfirewall",
                .boolean,
                "if true, firewall rule for source/end public port is automatically created"
            ),
            ParameterDescriptor("account", .string, "the account associated with the load balancer"),
            ParameterDescriptor("domainid", .uuid, "the domain ID associated with the load balancer"),
        ]
    ) { context in
        guard let ipId = context.string("publicipid") else {
            throw CloudError.missingParameter(context.command, "publicipid")
        }
        let loadBalancers = context.core.loadBalancers
        let (ip, network) = try await loadBalancers.target(
            context.access,
            ipId: ipId,
            algorithm: try context.required("algorithm").lowercased(),
            networkId: context.string("networkid")
        )
        let protocolName = (context.string("protocol") ?? "tcp").lowercased()
        guard ["tcp", "udp", "tcp-proxy"].contains(protocolName) else {
            throw CloudError.invalidParameter(context.command, "protocol", protocolName)
        }
        guard let publicPort = try RuleParameters.port(context, "publicport"),
            let privatePort = try RuleParameters.port(context, "privateport")
        else { throw CloudError.missingParameter(context.command, "publicport") }
        let rule = try await loadBalancers.create(
            context.access,
            ip: ip,
            network: network,
            LoadBalancerService.Rule(
                name: try context.required("name"),
                algorithm: try context.required("algorithm").lowercased(),
                protocolName: protocolName,
                publicPort: publicPort,
                privatePort: privatePort,
                cidrs: try RuleParameters.cidrs(context),
                openFirewall: context.bool("openfirewall", default: true)
            )
        )
        return try await FirewallCommands.submit(rule, as: "loadbalancer", context)
    }

    static let list = CommandDescriptor(
        "listLoadBalancerRules",
        "Lists load balancer rules.",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("publicipid", .uuid, "the public IP address ID of the load balancer rule"),
            ParameterDescriptor("networkid", .uuid, "list by network ID the rule belongs to"),
            ParameterDescriptor("virtualmachineid", .uuid, "the ID of the virtual machine of the load balancer rule"),
            ParameterDescriptor("zoneid", .uuid, "the availability zone ID"),
            ParameterDescriptor("tags", .map, "List resources by tags (key/value pairs)"),
        ]
    ) { context in
        let page = try await context.core.loadBalancers.list(
            context.access,
            context.listRequest,
            ipAddressId: context.string("publicipid"),
            networkId: context.string("networkid"),
            vmId: context.string("virtualmachineid")
        )
        return .list(
            item: "loadbalancerrule",
            total: page.total,
            items: try await NetworkRuleResponses.render(page.items, core: context.core)
        )
    }

    /// The `virtualmachineids` of a membership change.
    static func vmIds(_ context: CommandContext) -> [String] {
        context.string("virtualmachineids")?.split(separator: ",").map(String.init) ?? []
    }

    static let assign = CommandDescriptor(
        "assignToLoadBalancerRule",
        "Assigns virtual machine or a list of virtual machines to a load balancer rule.",
        isAsync: true,
        events: .records(CommandEvent(.lbAssignToRule, "assigning to load balancer", .loadBalancer)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the load balancer rule"),
            ParameterDescriptor(
                "virtualmachineids",
                .list,
                "the list of IDs of the virtual machine that are being assigned to the load balancer rule"
            ),
            ParameterDescriptor("vmidipmap", .map, "VM ID and IP map"),
        ]
    ) { context in
        let loadBalancers = context.core.loadBalancers
        let (rule, vms) = try await loadBalancers.prepareAssign(
            context.access,
            ruleId: try context.required("id"),
            vmIds: Self.vmIds(context)
        )
        return try await context.submitJob(instanceType: "FirewallRule", instanceId: rule.id) {
            try await loadBalancers.assign(vms, to: rule)
            return ("success", .bool(true))
        }
    }

    static let remove = CommandDescriptor(
        "removeFromLoadBalancerRule",
        "Removes a virtual machine or a list of virtual machines from a load balancer rule.",
        isAsync: true,
        events: .records(CommandEvent(.lbRemoveFromRule, "removing from load balancer", .loadBalancer)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "The ID of the load balancer rule"),
            ParameterDescriptor(
                "virtualmachineids",
                .list,
                "the list of IDs of the virtual machines that are being removed from the load balancer rule"
            ),
        ]
    ) { context in
        let loadBalancers = context.core.loadBalancers
        let ids = Self.vmIds(context)
        let rule = try await loadBalancers.prepareRemove(context.access, ruleId: try context.required("id"), vmIds: ids)
        return try await context.submitJob(instanceType: "FirewallRule", instanceId: rule.id) {
            try await loadBalancers.remove(ids, from: rule)
            return ("success", .bool(true))
        }
    }

    static let instances = CommandDescriptor(
        "listLoadBalancerRuleInstances",
        "List all virtual machine instances that are assigned to a load balancer rule.",
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the load balancer rule"),
            ParameterDescriptor(
                "applied",
                .boolean,
                "true if listing all virtual machines currently applied to the load balancer rule"
            ),
            ParameterDescriptor("lbvmips", .boolean, "true if load balancer rule VM IP information to be included"),
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        let vms = try await context.core.loadBalancers.instances(
            context.access,
            ruleId: try context.required("id"),
            applied: context.bool("applied", default: true)
        )
        // Until the VM family's renderer takes the core.
        let items = try await VirtualMachineResponses.render(vms, core: context.core, caller: context.caller)
        return .list(item: "loadbalancerruleinstance", total: items.count, items: items)
    }
}
