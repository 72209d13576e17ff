import CloudCore
import CloudModel

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
        let list = try await context.core.networkACLs.createList(
            context.access,
            vpcId: try context.required("vpcid"),
            name: try context.required("name"),
            description: context.string("description")
        )
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
        let lists = try await context.core.networkACLs.lists(
            context.access,
            context.listRequest,
            vpcId: context.string("vpcid"),
            networkId: context.string("networkid")
        )
        return .list(item: "networkacllist", total: lists.count, items: lists.map(Self.render))
    }

    static let deleteList = CommandDescriptor(
        "deleteNetworkACLList",
        "Deletes a network ACL",
        isAsync: true,
        events: .records(CommandEvent(.networkACLDelete, "deleting network ACL list", .acl)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the network ACL")]
    ) { context in
        let acls = context.core.networkACLs
        let list = try await acls.owned(context.access, id: try context.required("id"), parameter: "id", system: false)
        return try await context.submitJob(instanceType: "NetworkAcl", instanceId: list.id) {
            try await acls.deleteList(list)
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
        let acls = context.core.networkACLs
        let (list, network) = try await acls.prepareReplace(
            context.access,
            aclId: try context.required("aclid"),
            networkId: context.string("networkid")
        )
        return try await context.submitJob(instanceType: "Network", instanceId: network.id) {
            try await acls.replace(list, on: network)
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
        let acls = context.core.networkACLs
        let list = try await acls.owned(
            context.access,
            id: try context.required("aclid"),
            parameter: "aclid",
            system: false
        )
        let ports = try RuleParameters.ports(context)
        let cidrs = try RuleParameters.cidrs(context)
        let item = try await acls.createItem(
            context.access,
            in: list,
            NetworkACLService.ItemRequest(
                number: context.int("number"),
                protocolName: ports.protocolName,
                startPort: ports.start,
                endPort: ports.end,
                cidrs: cidrs,
                action: context.string("action"),
                trafficType: context.string("traffictype")
            )
        )
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
        let items = try await context.core.networkACLs.items(
            context.access,
            aclId: context.string("aclid"),
            networkId: context.string("networkid"),
            NetworkACLService.ItemFilter(
                id: context.string("id"),
                trafficType: context.string("traffictype"),
                protocolName: context.string("protocol"),
                action: context.string("action")
            ),
            scope: context.listRequest
        )
        return .list(item: "networkacl", total: items.count, items: items.map(Self.render))
    }

    static let deleteItem = CommandDescriptor(
        "deleteNetworkACL",
        "Deletes a network ACL",
        isAsync: true,
        events: .records(CommandEvent(.networkACLItemDelete, "deleting network ACL item", .aclItem)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the network ACL")]
    ) { context in
        let acls = context.core.networkACLs
        let item = try await acls.deletableItem(context.access, id: try context.required("id"))
        return try await context.submitJob(instanceType: "NetworkAcl", instanceId: item.id) {
            try await acls.deleteItem(item)
            return ("success", .bool(true))
        }
    }
}
