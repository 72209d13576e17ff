import CloudCore
import CloudModel
import CloudStore
import Foundation
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

    /// The account's `default` group, created on first use (CloudStack creates it with the account).
    @discardableResult
    static func ensureDefault(accountId: String, store: CloudStore) async throws -> SecurityGroup {
        let query = ListQuery(equals: [("account_id", accountId), ("name", "default")])
        if let group = try await store.list(SecurityGroup.self, query).items.first { return group }
        let group = SecurityGroup(
            id: UUID().uuidString.lowercased(),
            name: "default",
            description: "Default Security Group",
            accountId: accountId,
            created: Timestamp.now
        )
        do {
            try await store.insert(group)
        } catch {
            // Another request created it at the same time.
            guard error.kind == .duplicate, let group = try await store.list(SecurityGroup.self, query).items.first
            else {
                throw error
            }
            return group
        }
        return group
    }

    static func render(_ groups: [SecurityGroup], store: CloudStore) async throws -> [APIValue] {
        guard !groups.isEmpty else { return [] }
        var ruleQuery = ListQuery(idIn: groups.map(\.id))
        ruleQuery.inColumn = "security_group_id"
        let rules = Dictionary(
            grouping: try await store.list(SecurityGroupRule.self, ruleQuery).items,
            by: \.securityGroupId
        )
        let members = Dictionary(
            grouping: try await store.members(.securityGroup, groupIds: groups.map(\.id)),
            by: \.groupId
        )
        let owners = try await OwnerNames.load(groups.map(\.accountId), store: store)
        return groups.map { group in
            let groupRules = rules[group.id] ?? []
            return .object(
                [("id", .string(group.id)), ("name", .string(group.name)), ("description", .string(group.description))]
                    + owners.fields(group.accountId) + [
                        ("ingressrule", .array(groupRules.filter { $0.type == "ingress" }.map(Self.rule))),
                        ("egressrule", .array(groupRules.filter { $0.type == "egress" }.map(Self.rule))),
                        ("virtualmachinecount", .int(members[group.id]?.count ?? 0)),
                        ("virtualmachineids", .array((members[group.id] ?? []).map { .string($0.vmId) })),
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
        let group: SecurityGroup
        if context.string(idParameter) != nil {
            group = try await context.entity(SecurityGroup.self, idParameter)
        } else if let name = context.string("securitygroupname") ?? (idParameter == "id" ? context.string("name") : nil)
        {
            let owner = try await context.targetAccount()
            if name == "default" { try await Self.ensureDefault(accountId: owner.id, store: context.server.store) }
            guard
                let found = try await context.server.store.list(
                    SecurityGroup.self,
                    ListQuery(equals: [("account_id", owner.id), ("name", name)])
                ).items.first
            else {
                throw CloudError(.paramError, csErrorCode: 4350, "Unable to find security group \(name)")
            }
            group = found
        } else {
            throw CloudError.missingParameter(context.command, idParameter)
        }
        guard try await context.mayAccess(accountId: group.accountId) else {
            throw CommandContext.permissionDenied(
                "Account \(context.caller.account.name) does not have permission to operate on security group \(group.id)"
            )
        }
        return group
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
        let owner = try await context.targetAccount()
        let name = try context.required("name")
        let store = context.server.store
        try await Self.ensureDefault(accountId: owner.id, store: store)
        let group = SecurityGroup(
            id: UUID().uuidString.lowercased(),
            name: name,
            description: context.string("description") ?? name,
            accountId: owner.id,
            created: Timestamp.now
        )
        do {
            try await store.insert(group)
        } catch let error as StoreError where error.kind == .duplicate {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to create security group, a group with name \(name) already exists."
            )
        }
        return .object(name: "securitygroup", try await Self.render([group], store: store)[0])
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
        let store = context.server.store
        try await Self.ensureDefault(accountId: context.caller.account.id, store: store)
        var filters: [(column: String, value: String)] = []
        if let name = context.string("securitygroupname") { filters.append(("name", name)) }
        var query = try await context.scopedListQuery(filters)
        if let vmId = context.string("virtualmachineid") {
            query.idIn = try await store.members(.securityGroup, vmIds: [vmId]).map(\.groupId)
        }
        let page = try await store.list(SecurityGroup.self, query)
        return .list(item: "securitygroup", total: page.total, items: try await Self.render(page.items, store: store))
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
        let group = try await Self.ownedGroup(context, idParameter: "id")
        guard group.name != "default" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The network group default is a default security group, cannot remove"
            )
        }
        let store = context.server.store
        let members = try await store.members(.securityGroup, groupIds: [group.id])
        guard members.isEmpty else {
            throw CloudError(
                .resourceInUse,
                csErrorCode: 4375,
                "Cannot delete group when there are VMs in it: \(members.count) virtual machine(s) belong to \(group.name)"
            )
        }
        try await store.deleteSecurityGroupRules(securityGroupId: group.id)
        try await store.delete(SecurityGroup.self, id: group.id)
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
            var peers: [(String?, String?)] = []
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
            let store = context.server.store
            var ruleQuery = ListQuery(equals: [("security_group_id", group.id), ("type", type)])
            ruleQuery.pageSize = nil
            let existing = try await store.list(SecurityGroupRule.self, ruleQuery).items
            var rules: [SecurityGroupRule] = []
            for (cidr, peer) in cidrs.map({ ($0 as String?, (String?.none, String?.none)) }) + peers.map({ (nil, $0) })
            {
                let rule = SecurityGroupRule(
                    id: UUID().uuidString.lowercased(),
                    securityGroupId: group.id,
                    type: type,
                    protocolName: ports.protocolName,
                    startPort: start,
                    endPort: end,
                    cidr: cidr,
                    peerAccount: peer.0,
                    peerGroup: peer.1
                )
                let duplicate = existing.contains {
                    $0.protocolName == rule.protocolName && $0.startPort == rule.startPort && $0.endPort == rule.endPort
                        && $0.cidr == rule.cidr && $0.peerGroup == rule.peerGroup && $0.peerAccount == rule.peerAccount
                }
                if !duplicate { rules.append(rule) }
            }
            guard !rules.isEmpty else {
                throw CloudError(
                    .networkRuleConflict,
                    csErrorCode: 4370,
                    "The same rule already exists in security group \(group.name)"
                )
            }
            for rule in rules { try await store.insert(rule) }
            return try await context.submitJob(instanceType: "SecurityGroup", instanceId: group.id) {
                ("securitygroup", try await Self.render([group], store: store)[0])
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
            let rule = try await context.entity(SecurityGroupRule.self, "id")
            guard rule.type == type,
                let group = try await context.server.store.get(SecurityGroup.self, id: rule.securityGroupId)
            else { throw CloudError.invalidParameter(context.command, "id", rule.id) }
            guard try await context.mayAccess(accountId: group.accountId) else {
                throw CommandContext.permissionDenied(
                    "Account \(context.caller.account.name) does not have permission to operate on security group \(group.id)"
                )
            }
            return try await context.submitJob(instanceType: "SecurityGroup", instanceId: group.id) {
                try await context.server.store.delete(SecurityGroupRule.self, id: rule.id)
                return ("success", .bool(true))
            }
        }
    }
}
