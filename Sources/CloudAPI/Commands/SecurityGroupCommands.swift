import CloudCore
import CloudModel
import Orchestrator

/// Security groups: createSecurityGroup, listSecurityGroups, deleteSecurityGroup, authorize/revoke
/// SecurityGroupIngress/Egress. Every account has a `default` group, created when first needed.
enum SecurityGroupCommands {
    static var all: [CommandDescriptor] {
        [
            create, list, delete,
            authorize(
                "authorizeSecurityGroupIngress",
                type: "ingress",
                event: CommandEvent(.sgAuthIngress, "authorizing ingress to security group", .securityGroup)
            ),
            authorize(
                "authorizeSecurityGroupEgress",
                type: "egress",
                event: CommandEvent(.sgAuthEgress, "authorizing egress to security group", .securityGroup)
            ),
            revoke(
                "revokeSecurityGroupIngress",
                type: "ingress",
                event: CommandEvent(.sgRevokeIngress, "revoking ingress rule", .rule)
            ),
            revoke(
                "revokeSecurityGroupEgress",
                type: "egress",
                event: CommandEvent(.sgRevokeEgress, "revoking egress rule", .rule)
            ),
        ]
    }

    /// SecurityGroupResponse objects, loading the groups' rules, members and owners once.
    /// - Parameter rules: the rules to show instead of every rule of the groups (an authorize command's answer).
    static func render(
        _ groups: [SecurityGroup],
        core: CloudServices,
        rules: [SecurityGroupRule]? = nil
    ) async throws -> [APIValue] {
        guard !groups.isEmpty else { return [] }
        let details = try await core.securityGroups.details(of: groups)
        let owners = try await OwnerNames.load(groups.map(\.accountId), core: core)
        return groups.map { group in
            let groupRules = rules ?? details.rules[group.id] ?? []
            let members = details.members[group.id] ?? []
            return .object(
                [("id", .string(group.id)), ("name", .string(group.name)), ("description", .string(group.description))]
                    + owners.fields(group.accountId) + [
                        ("ingressrule", .array(groupRules.filter { $0.type == "ingress" }.map(Self.rule))),
                        ("egressrule", .array(groupRules.filter { $0.type == "egress" }.map(Self.rule))),
                        ("virtualmachinecount", .int(members.count)),
                        ("virtualmachineids", .array(members.map { .string($0) })),
                        ("tags", .array([])),
                    ]
            )
        }
    }

    static func rule(_ rule: SecurityGroupRule) -> APIValue {
        var fields: [(String, APIValue)] = [("ruleid", .string(rule.id)), ("protocol", .string(rule.protocolName))]
        if rule.protocolName == "icmp" {
            fields += [("icmptype", .int(rule.startPort ?? -1)), ("icmpcode", .int(rule.endPort ?? -1))]
        } else {
            if let start = rule.startPort { fields.append(("startport", .int(start))) }
            if let end = rule.endPort { fields.append(("endport", .int(end))) }
        }
        if let cidr = rule.cidr { fields.append(("cidr", .string(cidr))) }
        if let account = rule.peerAccount { fields.append(("account", .string(account))) }
        if let group = rule.peerGroup { fields.append(("securitygroupname", .string(group))) }
        fields.append(("tags", .array([])))
        return .object(fields)
    }

    /// The group named by `securitygroupid` or `securitygroupname` (of the target account), checked for access.
    static func ownedGroup(
        _ context: CommandContext,
        idParameter: String = "securitygroupid"
    ) async throws -> SecurityGroup {
        try await context.core.securityGroups.group(
            context.access,
            id: context.string(idParameter),
            name: context.string("securitygroupname") ?? (idParameter == "id" ? context.string("name") : nil),
            owner: context.owner,
            idParameter: idParameter
        )
    }

    static let ownerParameters: [ParameterDescriptor] = [
        ParameterDescriptor(
            "account",
            .string,
            "an optional account for the security group. Must be used with domainId."
        ),
        ParameterDescriptor("domainid", .uuid, "an optional domainId for the security group."),
    ]

    static let create = CommandDescriptor(
        "createSecurityGroup",
        "Creates a security group",
        events: .records(CommandEvent(.sgCreate, "creating security group", .securityGroup)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "name of the security group"),
            ParameterDescriptor("description", .string, "the description of the security group"),
        ] + ownerParameters
    ) { context in
        let group = try await context.core.securityGroups.create(
            context.access,
            owner: context.owner,
            name: try context.required("name"),
            description: context.string("description")
        )
        return .object(name: "securitygroup", try await Self.render([group], core: context.core)[0])
    }

    static let list = CommandDescriptor(
        "listSecurityGroups",
        "Lists security groups",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("securitygroupname", .string, "lists security groups by name"),
            ParameterDescriptor("virtualmachineid", .uuid, "lists security groups by virtual machine id"),
            ParameterDescriptor("tags", .map, "List resources by tags (key/value pairs)"),
        ]
    ) { context in
        let page = try await context.core.securityGroups.list(
            context.access,
            context.listRequest,
            name: context.string("securitygroupname"),
            vmId: context.string("virtualmachineid")
        )
        let items = try await Self.render(page.items, core: context.core)
        return .list(item: "securitygroup", total: page.total, items: items)
    }

    static let delete = CommandDescriptor(
        "deleteSecurityGroup",
        "Deletes security group",
        events: .records(CommandEvent(.sgDelete, "deleting security group", .securityGroup)),
        parameters: [
            ParameterDescriptor("id", .uuid, "The ID of the security group. Mutually exclusive with name parameter"),
            ParameterDescriptor(
                "name",
                .string,
                "The name of the security group. Mutually exclusive with id parameter"
            ),
        ] + ownerParameters
    ) { context in
        try await context.core.securityGroups.delete(
            context.access,
            id: context.string("id"),
            name: context.string("name"),
            owner: context.owner
        )
        return .flat([("success", .bool(true))])
    }

    static func authorize(_ name: String, type: String, event: CommandEvent) -> CommandDescriptor {
        CommandDescriptor(
            name,
            "Authorizes a particular \(type) rule for this security group",
            isAsync: true,
            events: .records(event),
            parameters: [
                ParameterDescriptor("securitygroupid", .uuid, "The ID of the security group."),
                ParameterDescriptor("securitygroupname", .string, "The name of the security group."),
                ParameterDescriptor("protocol", .string, "TCP is default. UDP is the other supported protocol"),
                ParameterDescriptor("startport", .integer, "start port for this \(type) rule"),
                ParameterDescriptor("endport", .integer, "end port for this \(type) rule"),
                ParameterDescriptor("cidrlist", .list, "the cidr list associated"),
                ParameterDescriptor("icmptype", .integer, "type of the icmp message being sent"),
                ParameterDescriptor("icmpcode", .integer, "error code for this icmp message"),
                ParameterDescriptor("usersecuritygrouplist", .map, "user to security group mapping"),
            ] + ownerParameters
        ) { context in
            let group = try await Self.ownedGroup(context)
            var parameters = context
            if context.string("protocol") == nil {
                parameters.parameters = APIParameters(context.parameters.pairs + [("protocol", "tcp")])
            }
            let ports = try RuleParameters.ports(parameters)
            var peers: [(account: String?, group: String)] = []
            let peerMap = context.parameters.indexedMap("usersecuritygrouplist")
            for entry in peerMap {
                guard let groupName = entry["group"] else {
                    throw CloudError.invalidParameter(context.command, "usersecuritygrouplist", "")
                }
                peers.append((entry["account"], groupName))
            }
            let cidrs = try RuleParameters.cidrs(context, default: peers.isEmpty ? "0.0.0.0/0" : nil)
            let start = ports.protocolName == "icmp" ? context.int("icmptype") ?? -1 : ports.start
            let end = ports.protocolName == "icmp" ? context.int("icmpcode") ?? -1 : ports.end
            let request = SecurityGroupRuleRequest(
                type: type,
                protocolName: ports.protocolName,
                startPort: start,
                endPort: end,
                cidrs: cidrs,
                peers: peers
            )
            let core = context.core
            let added = try await core.securityGroups.authorize(group, request)
            // CloudStack answers with the group and only the rules just added
            // (createSecurityGroupResponseFromSecurityGroupRule).
            return try await context.submitJob(instanceType: "SecurityGroup", instanceId: group.id) {
                try await core.securityGroups.enforce(groupIds: [group.id])
                return ("securitygroup", try await Self.render([group], core: core, rules: added)[0])
            }
        }
    }

    static func revoke(_ name: String, type: String, event: CommandEvent) -> CommandDescriptor {
        CommandDescriptor(
            name,
            "Deletes a particular \(type) rule from this security group",
            isAsync: true,
            events: .records(event),
            parameters: [ParameterDescriptor("id", .uuid, required: true, "The ID of the \(type) rule")]
        ) { context in
            let groups = context.core.securityGroups
            let (rule, group) = try await groups.rule(context.access, id: try context.required("id"), type: type)
            return try await context.submitJob(instanceType: "SecurityGroup", instanceId: group.id) {
                try await groups.revoke(ruleId: rule.id)
                try await groups.enforce(groupIds: [group.id])
                return ("success", .bool(true))
            }
        }
    }
}
