import CloudCore
import CloudModel

/// listPhysicalNetworks, listTrafficTypes, listNetworkServiceProviders and listSupportedNetworkServices: read-only
/// views of each zone's networking (``PhysicalNetworkViews``).
enum PhysicalNetworkCommands {
    static var all: [CommandDescriptor] { [physicalNetworks, trafficTypes, providers, supportedServices] }

    static let paging: [ParameterDescriptor] = [
        ParameterDescriptor("keyword", .string, "List by keyword"),
        ParameterDescriptor("page", .integer, "the page to return"),
        ParameterDescriptor("pagesize", .integer, "the number of items per page"),
    ]

    static let physicalNetworks = CommandDescriptor(
        "listPhysicalNetworks",
        "Lists physical networks",
        roles: [.rootAdmin],
        parameters: paging + [
            ParameterDescriptor("id", .uuid, "list physical network by id"),
            ParameterDescriptor("zoneid", .uuid, "the Zone ID for the physical network"),
            ParameterDescriptor("name", .string, "search by name"),
        ]
    ) { context in
        let page = try await context.core.physicalNetworks.physicalNetworks(
            context.access,
            context.listRequest,
            zoneId: context.string("zoneid")
        )
        let items: [APIValue] = page.items.map { network in
            .object([
                ("id", .string(network.id)), ("name", .string(network.name)),
                ("broadcastdomainrange", .string("ZONE")), ("zoneid", .string(network.zone.id)),
                ("zonename", .string(network.zone.name)), ("state", .string("Enabled")),
                ("isolationmethods", .string("VLAN")),
            ])
        }
        return .list(item: "physicalnetwork", total: page.total, items: items)
    }

    static let trafficTypes = CommandDescriptor(
        "listTrafficTypes",
        "Lists traffic types of a given physical network.",
        roles: [.rootAdmin],
        parameters: paging + [
            ParameterDescriptor("physicalnetworkid", .uuid, required: true, "the Physical Network ID")
        ]
    ) { context in
        let page = try await context.core.physicalNetworks.trafficTypes(
            context.access,
            context.listRequest,
            physicalNetworkId: try context.required("physicalnetworkid")
        )
        let items: [APIValue] = page.items.map { type in
            .object([
                ("id", .string(type.id)), ("traffictype", .string(type.name)),
                ("physicalnetworkid", .string(type.physicalNetworkId)),
            ])
        }
        return .list(item: "traffictype", total: page.total, items: items)
    }

    static let providers = CommandDescriptor(
        "listNetworkServiceProviders",
        "Lists network serviceproviders for a given physical network.",
        roles: [.rootAdmin],
        parameters: paging + [
            ParameterDescriptor("physicalnetworkid", .uuid, "the Physical Network ID"),
            ParameterDescriptor("name", .string, "list providers by name"),
            ParameterDescriptor("state", .string, "list providers by state"),
        ]
    ) { context in
        let page = try await context.core.physicalNetworks.providers(
            context.access,
            context.listRequest,
            physicalNetworkId: context.string("physicalnetworkid"),
            name: context.string("name"),
            state: context.string("state")
        )
        let items: [APIValue] = page.items.map { provider in
            .object([
                ("name", .string(provider.name)), ("physicalnetworkid", .string(provider.physicalNetworkId)),
                ("destinationphysicalnetworkid", .string("0")), ("state", .string(provider.state)),
                ("id", .string(provider.id)), ("servicelist", .array(provider.services.map { .string($0) })),
                ("canenableindividualservice", .bool(provider.name != "VirtualRouter")),
            ])
        }
        return .list(item: "networkserviceprovider", total: page.total, items: items)
    }

    static let supportedServices = CommandDescriptor(
        "listSupportedNetworkServices",
        "Lists all network services provided by CloudStack or for the given Provider.",
        parameters: paging + [
            ParameterDescriptor("provider", .string, "network service provider name"),
            ParameterDescriptor("service", .string, "network service name to list providers and capabilities of"),
        ]
    ) { context in
        let page = try context.core.physicalNetworks.supportedServices(
            context.access,
            context.listRequest,
            provider: context.string("provider"),
            service: context.string("service")
        )
        let items: [APIValue] = page.items.map { entry in
            .object([
                ("name", .string(entry.service)),
                ("provider", .array(entry.providers.map { .object([("name", .string($0))]) })),
                ("capability", .array([])),
            ])
        }
        return .list(item: "networkservice", total: page.total, items: items)
    }
}
