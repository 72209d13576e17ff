import CloudCore
import CloudModel

/// VPCs: createVPC, listVPCs, deleteVPC, and the VPC offering commands (tiers are networks created with `vpcid`).
enum VPCCommands {
    static var all: [CommandDescriptor] {
        [createVPC, listVPCs, deleteVPC] + VPCOfferingCommands.all + NetworkACLCommands.all
    }

    /// Loads the VPC named by `parameter`, checked for access.
    static func ownedVPC(_ context: CommandContext, _ parameter: String = "id") async throws -> VPC {
        try await context.core.vpcs.owned(context.access, id: try context.required(parameter), parameter: parameter)
    }

    /// A page of VPCs with their owners, tiers and zones.
    static func render(_ vpcs: [VPC], core: CloudServices) async throws -> [APIValue] {
        guard !vpcs.isEmpty else { return [] }
        let relations = try await core.vpcs.relations(of: vpcs)
        let owners = OwnerNames(relations.owners)
        let allTiers = relations.tiers.values.flatMap { $0 }
        let renderedTiers = NetworkResponses.render(allTiers, relations.tierRelations)
        let byId = Dictionary(zip(allTiers.map(\.id), renderedTiers)) { first, _ in first }
        let zones = relations.zoneNames
        let tiers = relations.tiers
        let offerings = try await core.vpcOfferings.byId()
        return vpcs.map { vpc in
            .object(
                [
                    ("id", .string(vpc.id)), ("name", .string(vpc.name)), ("displaytext", .string(vpc.displayText)),
                    ("state", .string(vpc.state)), ("zoneid", .string(vpc.zoneId)),
                    ("zonename", .string(zones[vpc.zoneId] ?? "")), ("cidr", .string(vpc.cidr)),
                    ("vpcofferingid", .string(vpc.vpcOfferingId)),
                    ("vpcofferingname", .string(offerings[vpc.vpcOfferingId]?.name ?? "")),
                    ("networkdomain", .string(vpc.networkDomain)), ("restartrequired", .bool(false)),
                    ("regionlevelvpc", .bool(false)), ("distributedvpcrouter", .bool(false)),
                    ("redundantvpcrouter", .bool(offerings[vpc.vpcOfferingId]?.redundantRouter ?? false)),
                    ("fordisplay", .bool(true)),
                    ("created", .string(DateFormat.string(vpc.created))),
                ] + owners.fields(vpc.accountId) + [
                    ("network", .array((tiers[vpc.id] ?? []).compactMap { byId[$0.id] })),
                    (
                        "service",
                        .array(
                            ["Dhcp", "Dns", "UserData", "SourceNat", "StaticNat", "PortForwarding", "Lb", "NetworkACL"]
                                .map {
                                    NetworkResponses.service($0)
                                }
                        )
                    ),
                    ("tags", .array([])),
                ]
            )
        }
    }

    static let createVPC = CommandDescriptor(
        "createVPC",
        "Creates a VPC",
        isAsync: true,
        events: .records(CommandEvent(.vpcCreate, "creating VPC", .vpc)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the VPC"),
            ParameterDescriptor("displaytext", .string, "The display text of the VPC, defaults to its 'name'."),
            ParameterDescriptor(
                "cidr",
                .string,
                required: true,
                "the cidr of the VPC. All VPC guest networks' cidrs should be within this CIDR"
            ),
            ParameterDescriptor("vpcofferingid", .uuid, required: true, "the ID of the VPC offering"),
            ParameterDescriptor("zoneid", .uuid, required: true, "the ID of the availability zone"),
            ParameterDescriptor("networkdomain", .string, "VPC network domain"),
            ParameterDescriptor("account", .string, "the account associated with the VPC"),
            ParameterDescriptor("domainid", .uuid, "the domain ID associated with the VPC"),
            ParameterDescriptor("projectid", .uuid, "create VPC for the project"),
            ParameterDescriptor("start", .boolean, "start the VPC router (default true)"),
        ]
    ) { context in
        let vpcs = context.core.vpcs
        let (vpc, zone) = try await vpcs.create(
            context.access,
            VPCService.CreateRequest(
                name: try context.required("name"),
                displayText: context.string("displaytext"),
                cidr: try context.required("cidr"),
                vpcOfferingId: try context.required("vpcofferingid"),
                zoneId: try context.required("zoneid"),
                networkDomain: context.string("networkdomain"),
                owner: context.owner
            )
        )
        return try await context.submitJob(instanceType: "Vpc", instanceId: vpc.id, returnsId: true) {
            try await vpcs.allocateSourceNAT(vpc, zone: zone)
            return ("vpc", try await Self.render([vpc], core: context.core)[0])
        }
    }

    static let listVPCs = CommandDescriptor(
        "listVPCs",
        "Lists VPCs",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("zoneid", .uuid, "list by zone"),
            ParameterDescriptor("cidr", .string, "list by cidr of the VPC"),
            ParameterDescriptor("state", .string, "list VPCs by state"),
            ParameterDescriptor("vpcofferingid", .uuid, "list by ID of the VPC offering"),
            ParameterDescriptor("tags", .map, "List resources by tags (key/value pairs)"),
        ]
    ) { context in
        let page = try await context.core.vpcs.list(
            context.access,
            context.listRequest,
            VPCService.ListFilter(
                zoneId: context.string("zoneid"),
                cidr: context.string("cidr"),
                state: context.string("state"),
                vpcOfferingId: context.string("vpcofferingid")
            )
        )
        return .list(item: "vpc", total: page.total, items: try await Self.render(page.items, core: context.core))
    }

    static let deleteVPC = CommandDescriptor(
        "deleteVPC",
        "Deletes a VPC",
        isAsync: true,
        events: .records(CommandEvent(.vpcDelete, "deleting VPC", .vpc)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the VPC")]
    ) { context in
        let vpcs = context.core.vpcs
        let vpc = try await vpcs.owned(context.access, id: try context.required("id"))
        return try await context.submitJob(instanceType: "Vpc", instanceId: vpc.id) {
            try await vpcs.delete(vpc)
            return ("success", .bool(true))
        }
    }
}
