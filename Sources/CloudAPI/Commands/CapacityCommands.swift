import CloudCore
import CloudModel
import Foundation

/// listCapacity: memory (0), CPU (1), primary storage used (2) and allocated (3), and secondary storage (6), per
/// zone, or per pod (`podid`) or cluster (`clusterid`) as CloudStack's capacity levels.
enum CapacityCommands {
    /// CloudStack's capacity types (com.cloud.capacity.Capacity) and their `name`s.
    static let names: [Int: String] = [
        0: "MEMORY", 1: "CPU", 2: "STORAGE", 3: "STORAGE_ALLOCATED", 6: "SECONDARY_STORAGE",
    ]

    static let listCapacity = CommandDescriptor(
        "listCapacity",
        "Lists all the system wide capacities.",
        roles: [.rootAdmin],
        parameters: [
            ParameterDescriptor("zoneid", .uuid, "lists capacity by the Zone ID"),
            ParameterDescriptor("podid", .uuid, "lists capacity by the Pod ID"),
            ParameterDescriptor("clusterid", .uuid, "lists capacity by the Cluster ID"),
            ParameterDescriptor("type", .integer, "lists capacity by type"),
            ParameterDescriptor("sortby", .string, "Sort the results. Available values: Usage"),
            ParameterDescriptor("fetchlatest", .boolean, "recalculate capacities and fetch the latest"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        let page = try await context.core.capacity.list(
            context.access,
            context.listRequest,
            CapacityService.Request(
                zoneId: context.string("zoneid"),
                podId: context.string("podid"),
                clusterId: context.string("clusterid"),
                type: context.int("type"),
                sortByUsage: context.string("sortby")?.lowercased() == "usage"
            )
        )
        return .list(item: "capacity", total: page.total, items: page.items.map(Self.render))
    }

    /// CloudStack's CapacityResponse.
    static func render(_ row: CapacityService.Row) -> APIValue {
        var members: [(String, APIValue)] = [
            ("type", .int(row.type)), ("name", .string(Self.names[row.type] ?? "")),
            ("zoneid", .string(row.zone.id)), ("zonename", .string(row.zone.name)),
        ]
        if let pod = row.pod {
            members += [("podid", .string(pod.id)), ("podname", .string(pod.name))]
        }
        if let cluster = row.cluster {
            members += [("clusterid", .string(cluster.id)), ("clustername", .string(cluster.name))]
        }
        members += [
            ("capacitytotal", .int(row.total)), ("capacityused", .int(row.used)),
            ("capacityallocated", .int(row.used)),
            ("percentused", .string(String(format: "%.2f", row.percent))),
        ]
        return .object(members)
    }
}
