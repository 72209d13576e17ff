import CloudCore
import CloudModel

/// listVlanIpRanges, createVlanIpRange and deleteVlanIpRange (root admin only): a zone's public IP ranges
/// (``PublicIPRangeService``).
enum VlanIpRangeCommands {
    static var all: [CommandDescriptor] { [list, create, delete] }

    static func render(_ range: PublicIPRangeService.Range) -> APIValue {
        .object([
            ("id", .string(range.id)), ("forvirtualnetwork", .bool(true)), ("zoneid", .string(range.zoneId)),
            ("vlan", .string(range.vlan == "untagged" ? "vlan://untagged" : "vlan://\(range.vlan)")),
            ("gateway", .string(range.gateway)), ("netmask", .string(range.netmask)),
            ("startip", .string(range.startIp)), ("endip", .string(range.endIp)), ("forsystemvms", .bool(false)),
            ("physicalnetworkid", .string(PhysicalNetworkViews.physicalNetworkId(ofZone: range.zoneId))),
        ])
    }

    static let list = CommandDescriptor(
        "listVlanIpRanges",
        "Lists all VLAN IP ranges.",
        roles: [.rootAdmin],
        parameters: [
            ParameterDescriptor("id", .uuid, "the ID of the VLAN IP range"),
            ParameterDescriptor("zoneid", .uuid, "the Zone ID of the VLAN IP range"),
            ParameterDescriptor("vlan", .string, "the ID or VID of the VLAN. Default is an \"untagged\" VLAN."),
            ParameterDescriptor(
                "forvirtualnetwork",
                .boolean,
                "true if VLAN is of Virtual type, false if Direct"
            ),
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        let page = try await context.core.publicIPRanges.list(
            context.access,
            context.listRequest,
            zoneId: context.string("zoneid"),
            vlan: context.string("vlan")
        )
        let items = context.string("forvirtualnetwork")?.lowercased() == "false" ? [] : page.items.map(Self.render)
        return .list(item: "vlaniprange", total: items.isEmpty ? 0 : page.total, items: items)
    }

    static let create = CommandDescriptor(
        "createVlanIpRange",
        "Creates a VLAN IP range.",
        roles: [.rootAdmin],
        events: .records(CommandEvent(.vlanIPRangeCreate, "creating vlan ip range")),
        parameters: [
            ParameterDescriptor("zoneid", .uuid, required: true, "the Zone ID of the VLAN IP range"),
            ParameterDescriptor("startip", .string, required: true, "the beginning IP address in the VLAN IP range"),
            ParameterDescriptor("endip", .string, "the ending IP address in the VLAN IP range"),
            ParameterDescriptor("gateway", .string, required: true, "the gateway of the VLAN IP range"),
            ParameterDescriptor("netmask", .string, required: true, "the netmask of the VLAN IP range"),
            ParameterDescriptor(
                "vlan",
                .string,
                "the ID or VID of the VLAN. If not specified, will be defaulted to the vlan of the network or if vlan of the network is null - to Untagged"
            ),
            ParameterDescriptor("forvirtualnetwork", .boolean, "true if VLAN is of Virtual type, false if Direct"),
        ]
    ) { context in
        let range = try await context.core.publicIPRanges.create(
            context.access,
            zoneId: try context.required("zoneid"),
            startIp: try context.required("startip"),
            endIp: context.string("endip"),
            gateway: try context.required("gateway"),
            netmask: try context.required("netmask"),
            vlan: context.string("vlan")
        )
        return .object(name: "vlan", Self.render(range))
    }

    static let delete = CommandDescriptor(
        "deleteVlanIpRange",
        "Deletes a VLAN IP range.",
        roles: [.rootAdmin],
        events: .records(CommandEvent(.vlanIPRangeDelete, "deleting vlan ip range")),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the id of the VLAN IP range")]
    ) { context in
        try await context.core.publicIPRanges.delete(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }
}
