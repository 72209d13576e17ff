import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// VPCs: listVPCOfferings, createVPC, listVPCs, deleteVPC (tiers are networks created with `vpcid`).
enum VPCCommands {
    static var all: [CommandDescriptor] {
        [listVPCOfferings, createVPC, listVPCs, deleteVPC] + NetworkACLCommands.all
    }

    /// The one VPC offering (CloudStack's `Default VPC offering`), with a fixed id.
    static let offeringId = "8a3b3a4e-0000-4000-8000-0000000000a1"

    static let offering: APIValue = .object([
        ("id", .string(offeringId)), ("name", .string("Default VPC offering")),
        ("displaytext", .string("Default VPC offering")), ("isdefault", .bool(true)), ("state", .string("Enabled")),
        ("distributedvpcrouter", .bool(false)), ("supportsregionLevelvpc", .bool(false)),
        (
            "service",
            .array(
                ["Dhcp", "Dns", "UserData", "SourceNat", "StaticNat", "PortForwarding", "Lb", "NetworkACL", "Vpn"].map {
                    NetworkResponses.service($0)
                }
            )
        ),
    ])

    /// Loads the VPC named by `parameter`, checked for access.
    static func ownedVPC(_ context: CommandContext, _ parameter: String = "id") async throws -> VPC {
        let vpc = try await context.entity(VPC.self, parameter)
        guard try await context.mayAccess(accountId: vpc.accountId) else {
            throw CommandContext.permissionDenied(
                "Account \(context.caller.account.name) does not have permission to access VPC \(vpc.id)"
            )
        }
        return vpc
    }

    /// The ACL list of a new tier: `aclid` (one of the VPC's lists or a system list), `default_deny` when absent;
    /// nil outside VPCs (431 when `aclid` is given without a VPC).
    static func aclId(_ context: CommandContext, vpc: VPC?) async throws -> String? {
        guard let vpc else {
            if let given = context.string("aclid") {
                throw CloudError(.paramError, csErrorCode: 4350, "ACL \(given) can be applied to VPC tiers only")
            }
            return nil
        }
        guard context.string("aclid") != nil else { return NetworkSeeder.defaultACLLists[1].id }
        let list = try await context.entity(NetworkACLList.self, "aclid")
        guard list.vpcId == nil || list.vpcId == vpc.id else {
            throw CloudError(.paramError, csErrorCode: 4350, "ACL list \(list.name) belongs to another VPC")
        }
        return list.id
    }

    static func render(_ vpcs: [VPC], store: CloudStore) async throws -> [APIValue] {
        guard !vpcs.isEmpty else { return [] }
        let owners = try await OwnerNames.load(vpcs.map(\.accountId), store: store)
        var tierQuery = ListQuery(idIn: vpcs.map(\.id))
        tierQuery.inColumn = "vpc_id"
        let tiers = Dictionary(grouping: try await store.list(Network.self, tierQuery).items) { $0.vpcId ?? "" }
        let renderedTiers = try await NetworkResponses.render(tiers.values.flatMap { $0 }, store: store)
        let byId = Dictionary(zip(tiers.values.flatMap { $0 }.map(\.id), renderedTiers)) { first, _ in first }
        let zones = Dictionary(try await store.list(Zone.self).items.map { ($0.id, $0.name) }) { first, _ in first }
        return vpcs.map { vpc in
            .object(
                [
                    ("id", .string(vpc.id)), ("name", .string(vpc.name)), ("displaytext", .string(vpc.displayText)),
                    ("state", .string(vpc.state)), ("zoneid", .string(vpc.zoneId)),
                    ("zonename", .string(zones[vpc.zoneId] ?? "")), ("cidr", .string(vpc.cidr)),
                    ("vpcofferingid", .string(vpc.vpcOfferingId)), ("vpcofferingname", .string("Default VPC offering")),
                    ("networkdomain", .string(vpc.networkDomain)), ("restartrequired", .bool(false)),
                    ("regionlevelvpc", .bool(false)), ("distributedvpcrouter", .bool(false)),
                    ("redundantvpcrouter", .bool(false)), ("fordisplay", .bool(true)),
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

    static let listVPCOfferings = CommandDescriptor(
        "listVPCOfferings",
        "Lists VPC offerings",
        parameters: ListParameters.all + [
            ParameterDescriptor("isdefault", .boolean, "true if need to list only default VPC offerings"),
            ParameterDescriptor("state", .string, "list VPC offerings by state"),
            ParameterDescriptor("zoneid", .uuid, "id of zone VPC offering is associated with"),
            ParameterDescriptor("supportedservices", .list, "list VPC offerings supporting certain services"),
        ]
    ) { context in
        if let id = context.string("id"), id != Self.offeringId {
            return .list(item: "vpcoffering", total: 0, items: [])
        }
        if let name = context.string("name"), name != "Default VPC offering" {
            return .list(item: "vpcoffering", total: 0, items: [])
        }
        return .list(item: "vpcoffering", total: 1, items: [Self.offering])
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
        let zone = try await context.entity(Zone.self, "zoneid")
        let owner = try await context.targetAccount()
        let offeringId = try context.required("vpcofferingid")
        guard offeringId == Self.offeringId else {
            throw CloudError.invalidParameter(context.command, "vpcofferingid", offeringId)
        }
        let cidr = try context.required("cidr")
        guard let subnet = IPv4Subnet(cidr: cidr), (8...28).contains(subnet.prefix) else {
            throw CloudError.invalidParameter(context.command, "cidr", cidr)
        }
        let name = try context.required("name")
        let vpc = VPC(
            id: UUID().uuidString.lowercased(),
            name: name,
            displayText: context.string("displaytext") ?? name,
            zoneId: zone.id,
            cidr: subnet.description,
            accountId: owner.id,
            vpcOfferingId: offeringId,
            networkDomain: context.string("networkdomain") ?? "cs\(owner.id.prefix(4)).cloud.internal",
            created: Timestamp.now
        )
        let store = context.server.store
        try await context.server.limits.withReservation(for: owner, [.vpc: 1]) { try await store.insert(vpc) }
        return try await context.submitJob(instanceType: "Vpc", instanceId: vpc.id, returnsId: true) {
            guard
                try await store.allocatePublicIP(
                    zoneId: zone.id,
                    accountId: owner.id,
                    networkId: nil,
                    vpcId: vpc.id,
                    sourceNat: true
                ) != nil
            else {
                try await store.deleteVPC(id: vpc.id)
                throw CloudError(
                    .insufficientCapacity,
                    csErrorCode: 4325,
                    "Insufficient address capacity: no free public IP address in zone \(zone.name) for source NAT"
                )
            }
            return ("vpc", try await Self.render([vpc], store: store)[0])
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
        var filters: [(column: String, value: String)] = []
        for (parameter, column) in [
            ("zoneid", "zone_id"), ("cidr", "cidr"), ("state", "state"), ("vpcofferingid", "vpc_offering_id"),
        ] {
            if let value = context.string(parameter) { filters.append((column, value)) }
        }
        var query = try await context.scopedListQuery(filters)
        query.tags = context.tagPairs
        query.tagResourceType = "Vpc"
        let page = try await context.server.store.list(VPC.self, query)
        return .list(
            item: "vpc",
            total: page.total,
            items: try await Self.render(page.items, store: context.server.store)
        )
    }

    static let deleteVPC = CommandDescriptor(
        "deleteVPC",
        "Deletes a VPC",
        isAsync: true,
        events: .records(CommandEvent(.vpcDelete, "deleting VPC", .vpc)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the VPC")]
    ) { context in
        let vpc = try await Self.ownedVPC(context)
        return try await context.submitJob(instanceType: "Vpc", instanceId: vpc.id) {
            let store = context.server.store
            let tiers = try await store.list(Network.self, ListQuery(equals: [("vpc_id", vpc.id)])).items
            guard tiers.isEmpty else {
                throw CloudError(
                    .resourceInUse,
                    csErrorCode: 4375,
                    "Unable to delete VPC \(vpc.name): it still has \(tiers.count) network tier(s); delete them first"
                )
            }
            try await store.deleteVPC(id: vpc.id)
            return ("success", .bool(true))
        }
    }
}
