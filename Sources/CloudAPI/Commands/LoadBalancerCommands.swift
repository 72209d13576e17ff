import CloudCore
import CloudModel
import CloudStore
import Foundation
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

    static let algorithms: Set<String> = ["roundrobin", "leastconn", "source"]

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
        guard context.string("publicipid") != nil else {
            throw CloudError.missingParameter(context.command, "publicipid")
        }
        let ip = try await PublicIPCommands.ownedIP(context, "publicipid")
        guard ip.staticNatVmId == nil else {
            throw CloudError(
                .networkRuleConflict,
                csErrorCode: 4370,
                "Can't create a load balancer rule on IP address \(ip.address): static NAT is enabled on it"
            )
        }
        let algorithm = try context.required("algorithm").lowercased()
        guard Self.algorithms.contains(algorithm) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Invalid algorithm \(algorithm); supported: leastconn, roundrobin, source"
            )
        }
        let network = try await FirewallCommands.network(of: ip, context)
        let protocolName = (context.string("protocol") ?? "tcp").lowercased()
        guard ["tcp", "udp", "tcp-proxy"].contains(protocolName) else {
            throw CloudError.invalidParameter(context.command, "protocol", protocolName)
        }
        guard let publicPort = try RuleParameters.port(context, "publicport"),
            let privatePort = try RuleParameters.port(context, "privateport")
        else { throw CloudError.missingParameter(context.command, "publicport") }
        let rule = NetworkRule(
            id: UUID().uuidString.lowercased(),
            purpose: .loadBalancing,
            ipAddressId: ip.id,
            networkId: network.id,
            accountId: ip.accountId ?? context.caller.account.id,
            protocolName: protocolName,
            startPort: publicPort,
            endPort: publicPort,
            privateStartPort: privatePort,
            privateEndPort: privatePort,
            cidrList: try RuleParameters.cidrs(context).joined(separator: ","),
            name: try context.required("name"),
            algorithm: algorithm,
            created: Timestamp.now
        )
        try await NetworkRuleResponses.checkConflicts(rule, store: context.server.store)
        try await PortForwardingCommands.openFirewall(for: rule, context)
        return try await FirewallCommands.insert(rule, as: "loadbalancer", context)
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
        var filters: [(column: String, value: String)] = [("purpose", NetworkRule.Purpose.loadBalancing.rawValue)]
        for (parameter, column) in [("publicipid", "ip_address_id"), ("networkid", "network_id")] {
            if let value = context.string(parameter) { filters.append((column, value)) }
        }
        var query = try await context.scopedListQuery(filters)
        if let vmId = context.string("virtualmachineid") {
            query.idIn = try await context.server.store.members(.loadBalancer, vmIds: [vmId]).map(\.groupId)
        }
        query.tags = context.tagPairs
        query.tagResourceType = "FirewallRule"
        let page = try await context.server.store.list(NetworkRule.self, query)
        return .list(
            item: "loadbalancerrule",
            total: page.total,
            items: try await NetworkRuleResponses.render(page.items, store: context.server.store)
        )
    }

    /// The rule and the VMs named by `virtualmachineids`, each the caller's with a NIC in the rule's network.
    static func members(_ context: CommandContext) async throws -> (NetworkRule, [VirtualMachine]) {
        let rule = try await FirewallCommands.ownedRule(context, purpose: .loadBalancing)
        let ids = context.string("virtualmachineids")?.split(separator: ",").map(String.init) ?? []
        guard !ids.isEmpty else { throw CloudError.missingParameter(context.command, "virtualmachineids") }
        let store = context.server.store
        guard let network = try await store.get(Network.self, id: rule.networkId) else {
            throw CloudError(.internalError, "the rule's network is missing")
        }
        var vms: [VirtualMachine] = []
        for id in ids {
            guard let vm = try await store.get(VirtualMachine.self, id: id), vm.state != .expunging else {
                throw CloudError.invalidParameter(context.command, "virtualmachineids", id)
            }
            guard vm.accountId == rule.accountId else {
                throw CommandContext.permissionDenied("Virtual machine \(vm.name) is not owned by the rule's account")
            }
            _ = try await PortForwardingCommands.nic(of: vm, in: network, context)
            vms.append(vm)
        }
        return (rule, vms)
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
        let (rule, vms) = try await Self.members(context)
        return try await context.submitJob(instanceType: "FirewallRule", instanceId: rule.id) {
            try await context.server.store.addMembers(.loadBalancer, groupId: rule.id, vmIds: vms.map(\.id))
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
        let rule = try await FirewallCommands.ownedRule(context, purpose: .loadBalancing)
        let ids = context.string("virtualmachineids")?.split(separator: ",").map(String.init) ?? []
        guard !ids.isEmpty else { throw CloudError.missingParameter(context.command, "virtualmachineids") }
        let current = Set(try await context.server.store.members(.loadBalancer, groupIds: [rule.id]).map(\.vmId))
        if let missing = ids.first(where: { !current.contains($0) }) {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Virtual machine \(missing) is not assigned to load balancer rule \(rule.name ?? rule.id)"
            )
        }
        return try await context.submitJob(instanceType: "FirewallRule", instanceId: rule.id) {
            try await context.server.store.removeMembers(.loadBalancer, groupId: rule.id, vmIds: ids)
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
        let rule = try await FirewallCommands.ownedRule(context, purpose: .loadBalancing)
        let store = context.server.store
        let memberIds = try await store.members(.loadBalancer, groupIds: [rule.id]).map(\.vmId)
        var vms: [VirtualMachine]
        if context.bool("applied", default: true) {
            vms = memberIds.isEmpty ? [] : try await store.list(VirtualMachine.self, ListQuery(idIn: memberIds)).items
        } else {
            // The account's VMs on the rule's network that are not members yet.
            var nicQuery = ListQuery(equals: [("network_id", rule.networkId)])
            nicQuery.pageSize = nil
            let onNetwork = try await store.list(Nic.self, nicQuery).items.map(\.vmId)
            vms = try await store.list(
                VirtualMachine.self,
                ListQuery(equals: [("account_id", rule.accountId)], idIn: onNetwork)
            ).items.filter { !memberIds.contains($0.id) && $0.state != .expunging && $0.state != .destroyed }
        }
        let items = try await VirtualMachineResponses.render(vms, store: store, caller: context.caller)
        return .list(item: "loadbalancerruleinstance", total: items.count, items: items)
    }
}
