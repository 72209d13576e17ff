import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Guest networks: listNetworkOfferings, createNetwork, listNetworks, updateNetwork, deleteNetwork,
/// restartNetwork.
enum NetworkCommands {
    static var all: [CommandDescriptor] {
        [listNetworkOfferings, createNetwork, listNetworks, updateNetwork, deleteNetwork, restartNetwork]
            + NicCommands.all
    }

    /// The default CIDR of an isolated network created without one (CloudStack's `guest.network.cidr`).
    static let defaultIsolatedGateway = ("10.1.1.1", "255.255.255.0")

    /// Loads the network named by `parameter` that the caller may use: a shared zone network, or one owned by
    /// an account in the caller's reach.
    static func usableNetwork(_ context: CommandContext, _ parameter: String = "id") async throws -> Network {
        let network = try await context.entity(Network.self, parameter)
        try await Self.checkAccess(context, network)
        return network
    }

    /// 531 unless the caller may use `network`.
    static func checkAccess(_ context: CommandContext, _ network: Network) async throws {
        guard let owner = network.accountId else { return }
        guard try await context.mayAccess(accountId: owner) else {
            throw CommandContext.permissionDenied(
                "Account \(context.caller.account.name) does not have permission to access network \(network.id)"
            )
        }
    }

    /// 531 unless the caller may change `network` (shared networks: the root admin only).
    static func checkOwnership(_ context: CommandContext, _ network: Network) async throws {
        if network.accountId == nil && context.caller.role != .rootAdmin {
            throw CommandContext.permissionDenied(
                "Account \(context.caller.account.name) does not have permission to operate on network \(network.id)"
            )
        }
        try await Self.checkAccess(context, network)
    }

    static let listNetworkOfferings = CommandDescriptor(
        "listNetworkOfferings",
        "Lists all available network offerings.",
        parameters: ListParameters.all + [
            ParameterDescriptor("guestiptype", .string, "list network offerings by guest type: shared or isolated"),
            ParameterDescriptor(
                "forvpc",
                .boolean,
                "the network offering can be used only for network creation inside the VPC"
            ),
            ParameterDescriptor("state", .string, "list network offerings by state"),
            ParameterDescriptor(
                "zoneid",
                .uuid,
                "list network offerings available for network creation in specific zone"
            ),
            ParameterDescriptor("isdefault", .boolean, "true if need to list only default network offerings"),
            ParameterDescriptor("supportedservices", .list, "list network offerings supporting certain services"),
        ]
    ) { context in
        var query = try context.listQuery()
        let pageSize = query.pageSize
        let page = query.page
        query.pageSize = nil
        query.page = 1
        var offerings = try await context.server.store.list(NetworkOffering.self, query).items
        if let type = context.string("guestiptype") {
            offerings = offerings.filter { $0.guestType.lowercased() == type.lowercased() }
        }
        if let forVpc = context.string("forvpc") {
            offerings = offerings.filter { $0.forVpc == (forVpc.lowercased() == "true") }
        }
        if let state = context.string("state") {
            offerings = offerings.filter { $0.state.lowercased() == state.lowercased() }
        }
        if let services = context.string("supportedservices") {
            let wanted = services.split(separator: ",").map { $0.lowercased() }
            offerings = offerings.filter { offering in
                wanted.allSatisfy { service in offering.serviceList.contains { $0.lowercased() == service } }
            }
        }
        let shown = offerings.paged(page, size: pageSize)
        return .list(item: "networkoffering", total: offerings.count, items: shown.map(NetworkResponses.offering))
    }

    static let createNetwork = CommandDescriptor(
        "createNetwork",
        "Creates a network",
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the network"),
            ParameterDescriptor("displaytext", .string, "the display text of the network"),
            ParameterDescriptor("networkofferingid", .uuid, required: true, "the network offering ID"),
            ParameterDescriptor("zoneid", .uuid, required: true, "the zone ID for the network"),
            ParameterDescriptor("gateway", .string, "the gateway of the network"),
            ParameterDescriptor("netmask", .string, "the netmask of the network"),
            ParameterDescriptor("startip", .string, "the beginning IP address in the network IP range"),
            ParameterDescriptor("endip", .string, "the ending IP address in the network IP range"),
            ParameterDescriptor("networkdomain", .string, "network domain"),
            ParameterDescriptor("vpcid", .uuid, "the VPC network belongs to"),
            ParameterDescriptor("aclid", .uuid, "Network ACL ID associated for the network"),
            ParameterDescriptor("account", .string, "account that will own the network"),
            ParameterDescriptor("domainid", .uuid, "domain ID of the account owning a network"),
            ParameterDescriptor("projectid", .uuid, "an optional project for the network"),
            ParameterDescriptor("vlan", .string, "the ID or VID of the network"),
            ParameterDescriptor("acltype", .string, "Access control type; supported values are account and domain"),
        ]
    ) { context in
        let offering = try await context.entity(NetworkOffering.self, "networkofferingid")
        let zone = try await context.entity(Zone.self, "zoneid")
        let owner = try await context.targetAccount()
        guard offering.state == "Enabled" else {
            throw CloudAPIError(.paramError, csErrorCode: 4350, "Network offering \(offering.name) is not enabled")
        }
        let shared = offering.guestType == "Shared"
        if shared && context.caller.role != .rootAdmin {
            throw CommandContext.permissionDenied("Only Admins can create shared networks")
        }
        var vpc: VPC?
        if context.string("vpcid") != nil {
            let found = try await VPCCommands.ownedVPC(context, "vpcid")
            guard offering.forVpc else {
                throw CloudAPIError(
                    .paramError,
                    csErrorCode: 4350,
                    "Network offering \(offering.name) can't be used for VPC networks"
                )
            }
            vpc = found
        } else if offering.forVpc {
            throw CloudAPIError(
                .paramError,
                csErrorCode: 4350,
                "Network offering \(offering.name) can be used for VPC networks only; specify vpcid"
            )
        }
        let (gateway, netmask): (String, String)
        switch (context.string("gateway"), context.string("netmask")) {
        case (let g?, let m?): (gateway, netmask) = (g, m)
        case (nil, nil) where !shared && vpc == nil: (gateway, netmask) = Self.defaultIsolatedGateway
        case (nil, nil):
            throw CloudAPIError(
                .paramError,
                csErrorCode: 4350,
                shared
                    ? "gateway and netmask are required when creating a shared network"
                    : "gateway and netmask are required when creating a VPC tier"
            )
        case (_?, nil): throw CloudAPIError.missingParameter(context.command, "netmask")
        case (nil, _?): throw CloudAPIError.missingParameter(context.command, "gateway")
        }
        guard IPv4Subnet.address(gateway) != nil else {
            throw CloudAPIError.invalidParameter(context.command, "gateway", gateway)
        }
        guard let subnet = IPv4Subnet(gateway: gateway, netmask: netmask) else {
            throw CloudAPIError.invalidParameter(context.command, "netmask", netmask)
        }
        let gatewayValue = IPv4Subnet.address(gateway) ?? 0
        guard subnet.contains(gatewayValue), gatewayValue != subnet.network, gatewayValue != subnet.lastHost + 1 else {
            throw CloudAPIError(
                .paramError,
                csErrorCode: 4350,
                "The gateway \(gateway) is not a host address of \(subnet)"
            )
        }
        var start = subnet.firstHost
        var end = subnet.lastHost
        for (parameter, bound) in [("startip", 0), ("endip", 1)] {
            guard let text = context.string(parameter) else { continue }
            guard let value = IPv4Subnet.address(text), subnet.contains(value), value >= subnet.firstHost,
                value <= subnet.lastHost
            else { throw CloudAPIError.invalidParameter(context.command, parameter, text) }
            if bound == 0 { start = value } else { end = value }
        }
        guard start <= end else {
            throw CloudAPIError(.paramError, csErrorCode: 4350, "startip must not be greater than endip")
        }
        // The gateway is never handed to a NIC: when it sits at an end of the range, the range shrinks past it.
        if start == gatewayValue { start += 1 }
        if end == gatewayValue { end -= 1 }
        guard start <= end else {
            throw CloudAPIError(
                .paramError,
                csErrorCode: 4350,
                "The IP range of \(subnet) holds no address but the gateway"
            )
        }
        let store = context.server.store
        // Shared networks of a zone and the tiers of a VPC must not overlap (isolated networks may reuse CIDRs).
        if shared || vpc != nil {
            var query = ListQuery(equals: [("zone_id", zone.id)])
            if let vpc {
                query.equals.append(("vpc_id", vpc.id))
            } else {
                query.equals.append(("guest_type", "Shared"))
            }
            for other in try await store.list(Network.self, query).items {
                guard let otherSubnet = IPv4Subnet(gateway: other.gateway, netmask: other.netmask),
                    otherSubnet.overlaps(subnet)
                else { continue }
                throw CloudAPIError(
                    .paramError,
                    csErrorCode: 4350,
                    "The CIDR \(subnet) overlaps the CIDR \(otherSubnet) of network \(other.name)"
                )
            }
        }
        if let vpc, let vpcSubnet = IPv4Subnet(cidr: vpc.cidr),
            !(vpcSubnet.contains(subnet.network) && subnet.prefix >= vpcSubnet.prefix)
        {
            throw CloudAPIError(
                .paramError,
                csErrorCode: 4350,
                "The CIDR \(subnet) of the tier is not within the CIDR \(vpc.cidr) of VPC \(vpc.name)"
            )
        }
        let aclId = try await VPCCommands.aclId(context, vpc: vpc)
        let sharedForAll = shared && context.string("account") == nil
        let network = Network(
            id: UUID().uuidString.lowercased(),
            name: try context.required("name"),
            zoneId: zone.id,
            gateway: gateway,
            netmask: subnet.netmask,
            startIp: IPv4Subnet.text(start),
            endIp: IPv4Subnet.text(end),
            accountId: sharedForAll ? nil : owner.id,
            networkOfferingId: offering.id,
            displayText: context.string("displaytext"),
            guestType: offering.guestType,
            state: shared ? "Setup" : "Implemented",
            vpcId: vpc?.id,
            aclId: aclId,
            networkDomain: context.string("networkdomain") ?? "cs\(owner.id.prefix(4)).cloud.internal",
            created: Timestamp.now
        )
        // Guest networks an account owns count against its `network` limit; shared networks do not.
        try await context.withinLimits(of: network.accountId, shared ? [:] : [.network: 1]) {
            try await store.insert(network)
        }
        if offering.provides("SourceNat") && vpc == nil {
            // The source NAT address of an isolated network, taken when the network is created (CloudStack takes
            // it when the network is first implemented).
            guard
                try await store.allocatePublicIP(
                    zoneId: zone.id,
                    accountId: owner.id,
                    networkId: network.id,
                    vpcId: nil,
                    sourceNat: true
                ) != nil
            else {
                try await store.deleteNetwork(id: network.id)
                throw CloudAPIError(
                    .insufficientCapacity,
                    csErrorCode: 4325,
                    "Insufficient address capacity: no free public IP address in zone \(zone.name) for source NAT"
                )
            }
        }
        return .object(name: "network", try await NetworkResponses.render([network], store: store)[0])
    }

    static let listNetworks = CommandDescriptor(
        "listNetworks",
        "Lists all available networks.",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("zoneid", .uuid, "the zone ID of the network"),
            ParameterDescriptor("type", .string, "the type of the network: Isolated or Shared"),
            ParameterDescriptor("vpcid", .uuid, "list networks by VPC"),
            ParameterDescriptor("networkofferingid", .uuid, "list networks by network offering ID"),
            ParameterDescriptor("canusefordeploy", .boolean, "list networks available for VM deployment"),
            ParameterDescriptor("traffictype", .string, "type of the traffic"),
            ParameterDescriptor("issystem", .boolean, "true if network is system, false otherwise"),
            ParameterDescriptor("tags", .map, "List resources by tags (key/value pairs)"),
        ]
    ) { context in
        var filters: [(column: String, value: String)] = []
        for (parameter, column) in [
            ("zoneid", "zone_id"), ("vpcid", "vpc_id"), ("networkofferingid", "network_offering_id"),
        ] {
            if let value = context.string(parameter) { filters.append((column, value)) }
        }
        if let type = context.string("type") {
            filters.append(
                (
                    "guest_type",
                    type.lowercased() == "shared" ? "Shared" : type.lowercased() == "isolated" ? "Isolated" : type
                )
            )
        }
        if context.bool("issystem") || (context.string("traffictype").map { $0.lowercased() != "guest" } ?? false) {
            return .list(item: "network", total: 0, items: [])
        }
        let store = context.server.store
        var owned = try await context.scopedListQuery(filters)
        let (page, size) = (owned.page, owned.pageSize)
        owned.page = 1
        owned.pageSize = nil
        owned.tags = context.tagPairs
        owned.tagResourceType = "Network"
        var networks = try await store.list(Network.self, owned).items
        // Zone-wide shared networks are everyone's, unless one account's networks were asked for.
        if context.string("account") == nil {
            var sharedQuery = try context.listQuery(filters)
            sharedQuery.page = 1
            sharedQuery.pageSize = nil
            sharedQuery.isNull = ["account_id"]
            sharedQuery.tags = owned.tags
            sharedQuery.tagResourceType = "Network"
            let known = Set(networks.map(\.id))
            networks =
                try await store.list(Network.self, sharedQuery).items.filter { !known.contains($0.id) } + networks
        }
        let shown = networks.paged(page, size: size)
        return .list(
            item: "network",
            total: networks.count,
            items: try await NetworkResponses.render(shown, store: store)
        )
    }

    static let updateNetwork = CommandDescriptor(
        "updateNetwork",
        "Updates a network",
        isAsync: true,
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the network"),
            ParameterDescriptor("name", .string, "the new name for the network"),
            ParameterDescriptor("displaytext", .string, "the new display text for the network"),
            ParameterDescriptor("networkdomain", .string, "network domain"),
            ParameterDescriptor("networkofferingid", .uuid, "network offering ID (changing it is not supported)"),
        ]
    ) { context in
        var network = try await Self.usableNetwork(context)
        try await Self.checkOwnership(context, network)
        if let offeringId = context.string("networkofferingid"), offeringId != network.networkOfferingId {
            throw CloudAPIError(
                .paramError,
                csErrorCode: 4350,
                "Changing the network offering of network \(network.name) is not supported"
            )
        }
        if let name = context.string("name") { network.name = name }
        if let text = context.string("displaytext") { network.displayText = text }
        if let domain = context.string("networkdomain") { network.networkDomain = domain }
        let updated = network
        return try await context.submitJob(instanceType: "Network", instanceId: network.id) {
            try await context.server.store.updateNetwork(updated)
            return ("network", try await NetworkResponses.render([updated], store: context.server.store)[0])
        }
    }

    static let deleteNetwork = CommandDescriptor(
        "deleteNetwork",
        "Deletes a network",
        isAsync: true,
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the network"),
            ParameterDescriptor("forced", .boolean, "Force delete a network (root admin)"),
        ]
    ) { context in
        let network = try await Self.usableNetwork(context)
        try await Self.checkOwnership(context, network)
        return try await context.submitJob(instanceType: "Network", instanceId: network.id) {
            let store = context.server.store
            let nics = try await store.nicCounts(networkIds: [network.id])[network.id] ?? 0
            guard nics == 0 else {
                throw CloudAPIError(
                    .resourceInUse,
                    csErrorCode: 4375,
                    "Unable to delete network \(network.name): \(nics) NIC(s) of virtual machines are still on it; expunge the VMs or remove their NICs first"
                )
            }
            try await store.deleteNetwork(id: network.id)
            return ("success", .bool(true))
        }
    }

    static let restartNetwork = CommandDescriptor(
        "restartNetwork",
        "Restarts the network; includes 1) restarting network elements - virtual routers, DHCP servers 2) reapplying all public IPs 3) reapplying loadBalancing/portForwarding rules",
        isAsync: true,
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "The ID of the network to restart."),
            ParameterDescriptor("cleanup", .boolean, "If cleanup old network elements"),
            ParameterDescriptor("makeredundant", .boolean, "Turn the network into a network with redundant routers."),
        ]
    ) { context in
        let network = try await Self.usableNetwork(context)
        try await Self.checkOwnership(context, network)
        return try await context.submitJob(instanceType: "Network", instanceId: network.id) {
            // The simulator has no routers to restart: the network's rules are already in force.
            var restarted = network
            if restarted.state == "Allocated" { restarted.state = "Implemented" }
            try await context.server.store.updateNetwork(restarted)
            return ("success", .bool(true))
        }
    }
}
