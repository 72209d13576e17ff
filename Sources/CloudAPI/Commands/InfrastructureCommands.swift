import CloudModel
import CloudStore

/// listZones, listPods, listClusters, listHosts, listCapacity.
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
                let responses = try await HostResponses.load(context.server.store)
                return .list(item: "host", total: page.total, items: page.items.map(responses.render))
            },
            CommandDescriptor(
                "listCapacity",
                "Lists all the system wide capacities",
                roles: admins,
                parameters: [
                    ParameterDescriptor("zoneid", .uuid, "the zone"), ParameterDescriptor("type", .integer, "type"),
                ]
            ) { context in
                let capacities = try await Self.capacities(context)
                return .list(item: "capacity", total: capacities.count, items: capacities)
            },
        ]
    }

    /// Memory (0) and CPU (1) capacity per zone, summed over its hosts.
    static func capacities(_ context: CommandContext) async throws -> [APIValue] {
        let zones = try await context.server.store.list(Zone.self, ListQuery()).items
            .filter { context.string("zoneid") == nil || $0.id == context.string("zoneid") }
        var result: [APIValue] = []
        for zone in zones {
            let hosts = try await context.server.store.list(Host.self, ListQuery(equals: [("zone_id", zone.id)])).items
            let memTotal = hosts.reduce(0) { $0 + Int(Double($1.memory) * $1.memOverprovisioning) }
            let memUsed = hosts.reduce(0) { $0 + $1.memUsed }
            let cpuTotal = hosts.reduce(0) { $0 + Int(Double($1.cpuTotal) * $1.cpuOverprovisioning) }
            let cpuUsed = hosts.reduce(0) { $0 + $1.cpuUsed }
            for (type, total, used) in [(0, memTotal, memUsed), (1, cpuTotal, cpuUsed)] {
                if let wanted = context.int("type"), wanted != type { continue }
                result.append(
                    .object([
                        ("type", .int(type)), ("zoneid", .string(zone.id)), ("zonename", .string(zone.name)),
                        ("capacitytotal", .int(total)), ("capacityused", .int(used)),
                        ("capacityallocated", .int(used)),
                        (
                            "percentused",
                            .string(String(EntityResponses.percent(Double(used), of: Double(total)).dropLast()))
                        ),
                    ])
                )
            }
        }
        return result
    }
}
