import CloudCore
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
        events: .records(CommandEvent(.networkUpdate, "updating network", .network)),
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
            throw CloudError(
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
        events: .records(CommandEvent(.networkDelete, "deleting network", .network)),
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
                throw CloudError(
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
        events: .records(CommandEvent(.networkRestart, "restarting network", .network)),
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
