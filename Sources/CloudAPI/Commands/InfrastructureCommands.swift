import CloudModel
import CloudStore

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
                let page = try await context.server.store.list(Zone.self, try context.listQuery())
                return .list(item: "zone", total: page.total, items: page.items.map(EntityResponses.zone))
            },
            CommandDescriptor(
                "listPods",
                "Lists all pods",
                roles: admins,
                parameters: ListParameters.all + [ParameterDescriptor("zoneid", .uuid, "the zone")]
            ) { context in
                let filters = context.string("zoneid").map { [("zone_id", $0)] } ?? []
                let page = try await context.server.store.list(Pod.self, try context.listQuery(filters))
                var items: [APIValue] = []
                for pod in page.items {
                    items.append(
                        EntityResponses.pod(pod, zone: try await context.server.store.get(Zone.self, id: pod.zoneId))
                    )
                }
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
                var filters: [(column: String, value: String)] = []
                if let zone = context.string("zoneid") { filters.append(("zone_id", zone)) }
                if let pod = context.string("podid") { filters.append(("pod_id", pod)) }
                let page = try await context.server.store.list(Cluster.self, try context.listQuery(filters))
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
                var filters: [(column: String, value: String)] = []
                for (parameter, column) in [
                    ("zoneid", "zone_id"), ("podid", "pod_id"), ("clusterid", "cluster_id"), ("state", "state"),
                    ("resourcestate", "resource_state"),
                ] {
                    if let value = context.string(parameter) { filters.append((column, value)) }
                }
                if let type = context.string("type"), type != "Routing" {
                    return .list(item: "host", total: 0, items: [])
                }
                let page = try await context.server.store.list(Host.self, try context.listQuery(filters))
                let responses = try await HostResponses.load(context.server.store, cluster: context.server.cluster)
                return .list(item: "host", total: page.total, items: page.items.map(responses.render))
            },
            CapacityCommands.listCapacity,
        ]
    }
}
