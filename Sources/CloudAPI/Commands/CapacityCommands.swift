import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// listCapacity: memory (0), CPU (1), primary storage used (2) and allocated (3), and secondary storage (6), per
/// zone, or per pod (`podid`) or cluster (`clusterid`) as CloudStack's capacity levels.
enum CapacityCommands {
    /// CloudStack's capacity types (com.cloud.capacity.Capacity) and their `name`s.
    static let names: [Int: String] = [
        0: "MEMORY", 1: "CPU", 2: "STORAGE", 3: "STORAGE_ALLOCATED", 6: "SECONDARY_STORAGE",
    ]

    /// One row before rendering.
    struct Row {
        var type: Int
        var total: Int
        var used: Int
        var zone: Zone
        var pod: Pod?
        var cluster: Cluster?

        var percent: Double { self.total > 0 ? Double(self.used) / Double(self.total) * 100 : 0 }
    }

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
        var rows = try await Self.rows(context)
        if let type = context.int("type") { rows = rows.filter { $0.type == type } }
        if context.string("sortby")?.lowercased() == "usage" { rows.sort { $0.percent > $1.percent } }
        let query = try context.listQuery()
        let size = query.pageSize ?? max(rows.count, 1)
        let page = rows.paged(query.page, size: size)
        return .list(item: "capacity", total: rows.count, items: page.map(Self.render))
    }

    static func rows(_ context: CommandContext) async throws -> [Row] {
        let store = context.server.store
        let names = try await HostResponses.load(store)
        let hosts = try await store.list(CloudModel.Host.self).items
        let pools = try await store.list(StoragePool.self).items
        let imageStores = try await store.list(ImageStore.self).items
        let usage = try await StorageUsage.load(context.server)
        let zoneFilter = context.string("zoneid")
        let podFilter = context.string("podid")
        let clusterFilter = context.string("clusterid")
        // Units at the asked level, each with a test for hosts and pools belonging to it.
        var units: [(zone: Zone, pod: Pod?, cluster: Cluster?)] = []
        if let clusterFilter {
            if let cluster = names.clusters[clusterFilter], let zone = names.zones[cluster.zoneId] {
                units.append((zone, names.pods[cluster.podId], cluster))
            }
        } else if let podFilter {
            if let pod = names.pods[podFilter], let zone = names.zones[pod.zoneId] { units.append((zone, pod, nil)) }
        } else {
            units = names.zones.values.sorted { $0.name < $1.name }.map { ($0, nil, nil) }
        }
        var rows: [Row] = []
        for unit in units where zoneFilter == nil || unit.zone.id == zoneFilter {
            func inUnit(zoneId: String, clusterId: String) -> Bool {
                guard zoneId == unit.zone.id else { return false }
                if let cluster = unit.cluster { return clusterId == cluster.id }
                if let pod = unit.pod { return names.clusters[clusterId]?.podId == pod.id }
                return true
            }
            let unitHosts = hosts.filter { inUnit(zoneId: $0.zoneId, clusterId: $0.clusterId) }
            let unitPools = pools.filter { inUnit(zoneId: $0.zoneId, clusterId: $0.clusterId) }
            func row(_ type: Int, _ total: Int, _ used: Int) -> Row {
                Row(type: type, total: total, used: used, zone: unit.zone, pod: unit.pod, cluster: unit.cluster)
            }
            rows.append(
                row(
                    0,
                    unitHosts.map { Int(saturating: Double($0.memory) * $0.memOverprovisioning) }.saturatingSum(),
                    unitHosts.map(\.memUsed).saturatingSum()
                )
            )
            rows.append(
                row(
                    1,
                    unitHosts.map { Int(saturating: Double($0.cpuTotal) * $0.cpuOverprovisioning) }.saturatingSum(),
                    unitHosts.map(\.cpuUsed).saturatingSum()
                )
            )
            let poolTotal = unitPools.map(\.capacity).saturatingSum()
            let poolAllocated = unitPools.map { usage.allocated($0) }.saturatingSum()
            rows.append(row(2, poolTotal, poolAllocated))
            rows.append(row(3, Int(saturating: Double(poolTotal) * usage.storageFactor), poolAllocated))
            if unit.pod == nil && unit.cluster == nil {
                let stores = imageStores.filter { $0.zoneId == unit.zone.id }
                let used = stores.isEmpty ? 0 : usage.templateBytes[unit.zone.id] ?? 0
                rows.append(row(6, stores.map(\.capacity).saturatingSum(), used))
            }
        }
        return rows
    }

    /// CloudStack's CapacityResponse.
    static func render(_ row: Row) -> APIValue {
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
