import CloudCore
import CloudModel
import CloudStore
import Foundation
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

    /// 431 unless `vm` has a NIC in `network`; returns it.
    static func nic(of vm: VirtualMachine, in network: Network, _ context: CommandContext) async throws -> Nic {
        guard let nic = try await context.server.store.nics(of: vm.id).first(where: { $0.networkId == network.id })
        else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Virtual machine \(vm.name) doesn't have a NIC in network \(network.name) of the IP address"
            )
        }
        return nic
    }

    /// Adds a firewall rule opening `rule`'s public ports unless one already covers them (`openfirewall`).
    static func openFirewall(for rule: NetworkRule, _ context: CommandContext) async throws {
        guard context.bool("openfirewall", default: true) else { return }
        var opening = rule
        opening.id = UUID().uuidString.lowercased()
        opening.purpose = .firewall
        opening.vmId = nil
        opening.privateStartPort = nil
        opening.privateEndPort = nil
        opening.name = nil
        opening.algorithm = nil
        do {
            try await NetworkRuleResponses.checkConflicts(opening, store: context.server.store)
        } catch {
            return
        }
        try await context.server.store.insert(opening)
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
        let ip = try await PublicIPCommands.ownedIP(context, "ipaddressid")
        let vm = try await VirtualMachineCommands.ownedVM(context, "virtualmachineid")
        guard ip.staticNatVmId == nil else {
            throw CloudError(
                .networkRuleConflict,
                csErrorCode: 4370,
                "Can't create a port forwarding rule on IP address \(ip.address): static NAT is enabled on it"
            )
        }
        let network = try await FirewallCommands.network(of: ip, context)
        _ = try await Self.nic(of: vm, in: network, context)
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
        let rule = NetworkRule(
            id: UUID().uuidString.lowercased(),
            purpose: .portForwarding,
            ipAddressId: ip.id,
            networkId: network.id,
            accountId: ip.accountId ?? vm.accountId,
            protocolName: ports.protocolName,
            startPort: publicStart,
            endPort: publicEnd,
            privateStartPort: privateStart,
            privateEndPort: privateEnd,
            cidrList: try RuleParameters.cidrs(context).joined(separator: ","),
            vmId: vm.id,
            created: Timestamp.now
        )
        try await NetworkRuleResponses.checkConflicts(rule, store: context.server.store)
        try await Self.openFirewall(for: rule, context)
        return try await FirewallCommands.insert(rule, as: "portforwardingrule", context)
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
            extra: [("virtualmachineid", "vm_id")]
        )
    }
}
