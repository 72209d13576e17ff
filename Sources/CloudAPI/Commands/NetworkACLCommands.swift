import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Network ACL lists of VPCs and their items: createNetworkACLList, listNetworkACLLists, deleteNetworkACLList,
/// replaceNetworkACLList, createNetworkACL, listNetworkACLs, deleteNetworkACL.
enum NetworkACLCommands {
    static var all: [CommandDescriptor] {
        [createList, listLists, deleteList, replaceList, createItem, listItems, deleteItem]
    }

    static func render(_ list: NetworkACLList) -> APIValue {
        var fields: [(String, APIValue)] = [
            ("id", .string(list.id)), ("name", .string(list.name)), ("description", .string(list.description)),
            ("fordisplay", .bool(true)),
        ]
        if let vpcId = list.vpcId { fields.append(("vpcid", .string(vpcId))) }
        return .object(fields)
    }

    static func render(_ item: NetworkACLItem) -> APIValue {
        var fields: [(String, APIValue)] = [
            ("id", .string(item.id)), ("aclid", .string(item.aclId)), ("number", .int(item.number)),
            ("protocol", .string(item.protocolName)), ("cidrlist", .string(item.cidrList)),
            ("action", .string(item.action)), ("traffictype", .string(item.trafficType)), ("state", .string("Active")),
            ("fordisplay", .bool(true)), ("tags", .array([])),
        ]
        if let start = item.startPort { fields.append(("startport", .string(String(start)))) }
        if let end = item.endPort { fields.append(("endport", .string(String(end)))) }
        return .object(fields)
    }

    /// The ACL list named by `parameter`, whose VPC the caller may access; system lists only when `system`.
    static func ownedList(_ context: CommandContext, _ parameter: String, system: Bool) async throws -> NetworkACLList {
        try await Self.checkList(context, try await context.entity(NetworkACLList.self, parameter), system: system)
    }

    /// Checks the caller may change `list` (see ``ownedList(_:_:system:)``).
    static func checkList(
        _ context: CommandContext,
        _ list: NetworkACLList,
        system: Bool
    ) async throws
        -> NetworkACLList
    {
        guard let vpcId = list.vpcId else {
            guard system else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Default network ACL list \(list.name) can't be changed"
                )
            }
            return list
        }
        guard let vpc = try await context.server.store.get(VPC.self, id: vpcId),
            try await context.mayAccess(accountId: vpc.accountId)
        else {
            throw CommandContext.permissionDenied(
                "Account \(context.caller.account.name) does not have permission to access ACL list \(list.id)"
            )
        }
        return list
    }

    static let createList = CommandDescriptor(
        "createNetworkACLList",
        "Creates a network ACL. If no VPC is given, then it creates a global ACL that can be used by everyone.",
        isAsync: true,
        events: .records(CommandEvent(.networkACLCreate, "creating network ACL list", .acl)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "Name of the network ACL list"),
            ParameterDescriptor("description", .string, "Description of the network ACL list"),
            ParameterDescriptor("vpcid", .uuid, required: true, "ID of the VPC associated with this network ACL list"),
        ]
    ) { context in
        let vpc = try await VPCCommands.ownedVPC(context, "vpcid")
        let name = try context.required("name")
        let list = NetworkACLList(
            id: UUID().uuidString.lowercased(),
            name: name,
            description: context.string("description") ?? name,
            vpcId: vpc.id
        )
        try await context.server.store.insert(list)
        return try await context.submitJob(instanceType: "NetworkAcl", instanceId: list.id, returnsId: true) {
            ("networkacllist", Self.render(list))
        }
    }

    static let listLists = CommandDescriptor(
        "listNetworkACLLists",
        "Lists all network ACLs",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("vpcid", .uuid, "list network ACL lists by VPC ID"),
            ParameterDescriptor("networkid", .uuid, "list network ACL lists by network ID"),
        ]
    ) { context in
        let store = context.server.store
        let vpcs = try await store.list(VPC.self, try await context.scopedListQuery()).items
        var systemQuery = ListQuery()
        systemQuery.isNull = ["vpc_id"]
        var lists = try await store.list(NetworkACLList.self, systemQuery).items
        var query = ListQuery(idIn: vpcs.map(\.id))
        query.inColumn = "vpc_id"
        lists += try await store.list(NetworkACLList.self, query).items
        if let vpcId = context.string("vpcid") { lists = lists.filter { $0.vpcId == nil || $0.vpcId == vpcId } }
        if let networkId = context.string("networkid") {
            let network = try await NetworkCommands.usableNetwork(context, "networkid")
            lists = lists.filter { $0.id == network.aclId && networkId == network.id }
        }
        if let id = context.string("id") { lists = lists.filter { $0.id == id } }
        if let name = context.string("name") { lists = lists.filter { $0.name == name } }
        return .list(item: "networkacllist", total: lists.count, items: lists.map(Self.render))
    }

    static let deleteList = CommandDescriptor(
        "deleteNetworkACLList",
        "Deletes a network ACL",
        isAsync: true,
        events: .records(CommandEvent(.networkACLDelete, "deleting network ACL list", .acl)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the network ACL")]
    ) { context in
        let list = try await Self.ownedList(context, "id", system: false)
        return try await context.submitJob(instanceType: "NetworkAcl", instanceId: list.id) {
            let store = context.server.store
            let users = try await store.list(Network.self, ListQuery(equals: [("acl_id", list.id)])).items
            guard users.isEmpty else {
                throw CloudError(
                    .resourceInUse,
                    csErrorCode: 4375,
                    "Network ACL list \(list.name) is in use by network \(users[0].name); replace it first"
                )
            }
            for item in try await store.list(NetworkACLItem.self, ListQuery(equals: [("acl_id", list.id)])).items {
                try await store.delete(NetworkACLItem.self, id: item.id)
            }
            try await store.delete(NetworkACLList.self, id: list.id)
            return ("success", .bool(true))
        }
    }

    static let replaceList = CommandDescriptor(
        "replaceNetworkACLList",
        "Replaces ACL associated with a network",
        isAsync: true,
        events: .records(CommandEvent(.networkACLReplace, "replacing network ACL list", .acl)),
        parameters: [
            ParameterDescriptor("aclid", .uuid, required: true, "the ID of the network ACL"),
            ParameterDescriptor("networkid", .uuid, "the ID of the network"),
        ]
    ) { context in
        let list = try await Self.ownedList(context, "aclid", system: true)
        let network = try await NetworkCommands.usableNetwork(context, "networkid")
        guard let vpcId = network.vpcId, list.vpcId == nil || list.vpcId == vpcId else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Network ACL list \(list.name) can't be applied to network \(network.name): not a tier of its VPC"
            )
        }
        return try await context.submitJob(instanceType: "Network", instanceId: network.id) {
            try await context.server.store.setNetworkACL(networkId: network.id, aclId: list.id)
            return ("success", .bool(true))
        }
    }

    static let createItem = CommandDescriptor(
        "createNetworkACL",
        "Creates a ACL rule in the given network (the network has to belong to VPC)",
        isAsync: true,
        events: .records(CommandEvent(.networkACLItemCreate, "creating network ACL item", .aclItem)),
        parameters: [
            ParameterDescriptor("aclid", .uuid, required: true, "The network of the VM the ACL will be created for"),
            ParameterDescriptor("protocol", .string, required: true, "the protocol for the ACL rule"),
            ParameterDescriptor("startport", .integer, "the starting port of ACL"),
            ParameterDescriptor("endport", .integer, "the ending port of ACL"),
            ParameterDescriptor("cidrlist", .list, "the CIDR list to allow traffic from/to"),
            ParameterDescriptor("action", .string, "scl entry action, allow or deny"),
            ParameterDescriptor("traffictype", .string, "the traffic type for the ACL, can be ingress or egress"),
            ParameterDescriptor("number", .integer, "The network of the VM the ACL will be created for"),
            ParameterDescriptor("networkid", .uuid, "The network of the VM the ACL will be created for"),
            ParameterDescriptor("icmptype", .integer, "type of the ICMP message being sent"),
            ParameterDescriptor("icmpcode", .integer, "error code for this ICMP message"),
        ]
    ) { context in
        let list = try await Self.ownedList(context, "aclid", system: false)
        let ports = try RuleParameters.ports(context)
        let cidrs = try RuleParameters.cidrs(context)
        let action = (context.string("action") ?? "allow").lowercased()
        guard ["allow", "deny"].contains(action) else {
            throw CloudError.invalidParameter(context.command, "action", action)
        }
        let traffic = (context.string("traffictype") ?? "ingress").lowercased()
        guard ["ingress", "egress"].contains(traffic) else {
            throw CloudError.invalidParameter(context.command, "traffictype", traffic)
        }
        let store = context.server.store
        let existing = try await store.list(NetworkACLItem.self, ListQuery(equals: [("acl_id", list.id)])).items
        let number = context.int("number") ?? ((existing.map(\.number).max() ?? 0) + 1)
        guard !existing.contains(where: { $0.number == number }) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "ACL item with number \(number) already exists in ACL: \(list.name)"
            )
        }
        let item = NetworkACLItem(
            id: UUID().uuidString.lowercased(),
            aclId: list.id,
            number: number,
            protocolName: ports.protocolName,
            startPort: ports.start,
            endPort: ports.end,
            cidrList: cidrs.joined(separator: ","),
            action: action == "allow" ? "Allow" : "Deny",
            trafficType: traffic == "ingress" ? "Ingress" : "Egress"
        )
        try await store.insert(item)
        return try await context.submitJob(instanceType: "NetworkAcl", instanceId: item.id, returnsId: true) {
            ("networkacl", Self.render(item))
        }
    }

    static let listItems = CommandDescriptor(
        "listNetworkACLs",
        "Lists all network ACL items",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("aclid", .uuid, "list network ACL items by ACL ID"),
            ParameterDescriptor("networkid", .uuid, "list network ACL items by network ID"),
            ParameterDescriptor("traffictype", .string, "list network ACL items by traffic type - ingress or egress"),
            ParameterDescriptor("protocol", .string, "list network ACL items by protocol"),
            ParameterDescriptor("action", .string, "list network ACL items by action"),
        ]
    ) { context in
        let aclId: String
        if context.string("aclid") != nil {
            aclId = try await Self.ownedList(context, "aclid", system: true).id
        } else if context.string("networkid") != nil {
            guard let id = try await NetworkCommands.usableNetwork(context, "networkid").aclId else {
                return .list(item: "networkacl", total: 0, items: [])
            }
            aclId = id
        } else {
            throw CloudError.missingParameter(context.command, "aclid")
        }
        var items = try await context.server.store.list(NetworkACLItem.self, ListQuery(equals: [("acl_id", aclId)]))
            .items
        items.sort { $0.number < $1.number }
        if let traffic = context.string("traffictype") {
            items = items.filter { $0.trafficType.lowercased() == traffic.lowercased() }
        }
        if let proto = context.string("protocol") { items = items.filter { $0.protocolName == proto.lowercased() } }
        if let action = context.string("action") {
            items = items.filter { $0.action.lowercased() == action.lowercased() }
        }
        if let id = context.string("id") { items = items.filter { $0.id == id } }
        return .list(item: "networkacl", total: items.count, items: items.map(Self.render))
    }

    static let deleteItem = CommandDescriptor(
        "deleteNetworkACL",
        "Deletes a network ACL",
        isAsync: true,
        events: .records(CommandEvent(.networkACLItemDelete, "deleting network ACL item", .aclItem)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the network ACL")]
    ) { context in
        let item = try await context.entity(NetworkACLItem.self, "id")
        guard let list = try await context.server.store.get(NetworkACLList.self, id: item.aclId) else {
            throw CloudError.invalidParameter(context.command, "id", item.id)
        }
        _ = try await Self.checkList(context, list, system: false)
        return try await context.submitJob(instanceType: "NetworkAcl", instanceId: item.id) {
            try await context.server.store.delete(NetworkACLItem.self, id: item.id)
            return ("success", .bool(true))
        }
    }
}
