import CloudCore
import CloudModel

/// listZones, listPods, listClusters, listHosts, and listCapacity (in ``CapacityCommands``).
enum InfrastructureCommands {
    static let admins: Set<Role> = [.rootAdmin]

    static var all: [CommandDescriptor] {
        [
            CommandDescriptor(
                "listZones",
                "Lists zones",
                parameters: ListParameters.all + [ParameterDescriptor("available", .boolean, "available zones only")]
            ) { context in
                let page = try await context.core.infrastructure.zones(context.access, context.listRequest)
                return .list(item: "zone", total: page.total, items: page.items.map(EntityResponses.zone))
            },
            CommandDescriptor(
                "listPods",
                "Lists all pods",
                roles: admins,
                parameters: ListParameters.all + [ParameterDescriptor("zoneid", .uuid, "the zone")]
            ) { context in
                let (page, zones) = try await context.core.infrastructure.pods(
                    context.access,
                    context.listRequest,
                    zoneId: context.string("zoneid")
                )
                let items = page.items.map { EntityResponses.pod($0, zone: zones[$0.zoneId]) }
                return .list(item: "pod", total: page.total, items: items)
            },
            CommandDescriptor(
                "listClusters",
                "Lists clusters",
                roles: admins,
                parameters: ListParameters.all + [
                    ParameterDescriptor("zoneid", .uuid, "the zone"), ParameterDescriptor("podid", .uuid, "the pod"),
                ]
            ) { context in
                let page = try await context.core.infrastructure.clusters(
                    context.access,
                    context.listRequest,
                    zoneId: context.string("zoneid"),
                    podId: context.string("podid")
                )
                return .list(item: "cluster", total: page.total, items: page.items.map(EntityResponses.cluster))
            },
            CommandDescriptor(
                "listHosts",
                "Lists hosts",
                roles: admins,
                parameters: ListParameters.all + [
                    ParameterDescriptor("zoneid", .uuid, "the zone"), ParameterDescriptor("podid", .uuid, "the pod"),
                    ParameterDescriptor("clusterid", .uuid, "the cluster"),
                    ParameterDescriptor("state", .string, "the host state"),
                    ParameterDescriptor("type", .string, "the host type"),
                    ParameterDescriptor("resourcestate", .string, "the resource state"),
                ]
            ) { context in
                let page = try await context.core.infrastructure.hosts(
                    context.access,
                    context.listRequest,
                    InfrastructureService.HostFilter(
                        zoneId: context.string("zoneid"),
                        podId: context.string("podid"),
                        clusterId: context.string("clusterid"),
                        state: context.string("state"),
                        resourceState: context.string("resourcestate"),
                        type: context.string("type")
                    )
                )
                let responses = try await HostResponses.load(
                    core: context.core,
                    cluster: context.core.cluster,
                    hostIds: page.items.map(\.id)
                )
                return .list(item: "host", total: page.total, items: page.items.map(responses.render))
            },
            CapacityCommands.listCapacity,
        ]
    }
}
