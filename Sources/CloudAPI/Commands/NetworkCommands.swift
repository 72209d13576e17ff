import CloudCore
import CloudModel

/// Guest networks: listNetworkOfferings, createNetwork, listNetworks, updateNetwork, deleteNetwork,
/// restartNetwork.
enum NetworkCommands {
    static var all: [CommandDescriptor] {
        [listNetworkOfferings, createNetwork, listNetworks, updateNetwork, deleteNetwork, restartNetwork]
            + NicCommands.all
    }

    /// Loads the network named by `parameter` that the caller may use: a shared zone network, or one owned by
    /// an account in the caller's reach.
    static func usableNetwork(_ context: CommandContext, _ parameter: String = "id") async throws -> Network {
        try await context.core.networks.usable(
            context.access,
            id: try context.required(parameter),
            parameter: parameter
        )
    }

    /// 531 unless the caller may use `network`.
    static func checkAccess(_ context: CommandContext, _ network: Network) async throws {
        try await context.core.networks.checkAccess(context.access, network)
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
        let page = try await context.core.networks.offerings(
            context.access,
            context.listRequest,
            NetworkService.OfferingFilter(
                guestType: context.string("guestiptype"),
                forVpc: context.string("forvpc").map { $0.lowercased() == "true" },
                state: context.string("state"),
                supportedServices: context.string("supportedservices")?.split(separator: ",").map(String.init)
            )
        )
        return .list(item: "networkoffering", total: page.total, items: page.items.map(NetworkResponses.offering))
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
        let page = try await context.core.networks.list(
            context.access,
            context.listRequest,
            NetworkService.ListFilter(
                zoneId: context.string("zoneid"),
                vpcId: context.string("vpcid"),
                networkOfferingId: context.string("networkofferingid"),
                type: context.string("type"),
                isSystem: context.bool("issystem"),
                trafficType: context.string("traffictype")
            )
        )
        return .list(
            item: "network",
            total: page.total,
            items: try await NetworkResponses.render(page.items, core: context.core)
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
        let networks = context.core.networks
        let updated = try await networks.prepareUpdate(
            context.access,
            id: try context.required("id"),
            NetworkService.Update(
                name: context.string("name"),
                displayText: context.string("displaytext"),
                networkDomain: context.string("networkdomain"),
                networkOfferingId: context.string("networkofferingid")
            )
        )
        return try await context.submitJob(instanceType: "Network", instanceId: updated.id) {
            try await networks.save(updated)
            return ("network", try await NetworkResponses.render([updated], core: context.core)[0])
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
        let networks = context.core.networks
        let network = try await networks.owned(context.access, id: try context.required("id"))
        return try await context.submitJob(instanceType: "Network", instanceId: network.id) {
            try await networks.delete(network)
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
        let networks = context.core.networks
        let network = try await networks.owned(context.access, id: try context.required("id"))
        return try await context.submitJob(instanceType: "Network", instanceId: network.id) {
            try await networks.restart(network)
            return ("success", .bool(true))
        }
    }
}
