import CloudCore
import CloudModel
import CloudStore
import Foundation

/// createZone, createPod and addCluster (root admin only): the inventory tree hosts are added to.
enum InfrastructureAdminCommands {
    static var all: [CommandDescriptor] { [createZone, createPod, addCluster] }

    static let admins: Set<Role> = [.rootAdmin]

    static let createZone = CommandDescriptor(
        "createZone",
        "Creates a Zone.",
        roles: admins,
        events: .records(CommandEvent(.zoneCreate, "creating zone", .zone)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the Zone"),
            ParameterDescriptor("dns1", .string, required: true, "the first DNS for the Zone"),
            ParameterDescriptor("internaldns1", .string, required: true, "the first internal DNS for the Zone"),
            ParameterDescriptor("networktype", .string, required: true, "network type of the zone, Basic or Advanced"),
            ParameterDescriptor("allocationstate", .string, "Allocation state of this Zone (Enabled or Disabled)"),
            ParameterDescriptor("dns2", .string, "the second DNS for the Zone"),
            ParameterDescriptor("internaldns2", .string, "the second internal DNS for the Zone"),
            ParameterDescriptor("guestcidraddress", .string, "the guest CIDR address for the Zone"),
            ParameterDescriptor("domain", .string, "Network domain name for the networks in the zone"),
        ]
    ) { context in
        let name = try context.required("name")
        let networkType = try context.required("networktype")
        guard let type = ["Basic", "Advanced"].first(where: { $0.lowercased() == networkType.lowercased() }) else {
            throw CloudError.invalidParameter(context.command, "networktype", networkType)
        }
        let state = try Self.allocationState(context)
        let existing = try await context.server.store.list(Zone.self, ListQuery(equals: [("name", name)]))
        guard existing.total == 0 else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "A zone with that name already exists. Please specify a unique zone name."
            )
        }
        let zone = Zone(id: UUID().uuidString.lowercased(), name: name, networkType: type, allocationState: state)
        try await context.server.store.insert(zone)
        return .object(name: "zone", EntityResponses.zone(zone))
    }

    static let createPod = CommandDescriptor(
        "createPod",
        "Creates a new Pod.",
        roles: admins,
        events: .records(CommandEvent(.podCreate, "creating pod", .pod)),
        parameters: [
            ParameterDescriptor("zoneid", .uuid, required: true, "the Zone ID in which the Pod will be created"),
            ParameterDescriptor("name", .string, required: true, "the name of the Pod"),
            ParameterDescriptor("gateway", .string, required: true, "the gateway for the Pod"),
            ParameterDescriptor("netmask", .string, required: true, "the netmask for the Pod"),
            ParameterDescriptor("startip", .string, "the starting IP address for the Pod"),
            ParameterDescriptor("endip", .string, "the ending IP address for the Pod"),
            ParameterDescriptor(
                "allocationstate",
                .string,
                "Allocation state of this Pod for allocation of new resources"
            ),
        ]
    ) { context in
        let zone = try await context.entity(Zone.self, "zoneid")
        let name = try context.required("name")
        for parameter in ["gateway", "netmask"] {
            let value = try context.required(parameter)
            guard Self.isIPv4(value) else { throw CloudError.invalidParameter(context.command, parameter, value) }
        }
        let existing = try await context.server.store.list(
            Pod.self,
            ListQuery(equals: [("zone_id", zone.id), ("name", name)])
        )
        guard existing.total == 0 else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "A pod with name: \(name) already exists in zone \(zone.id). Please specify a different pod name. "
            )
        }
        let pod = Pod(
            id: UUID().uuidString.lowercased(),
            name: name,
            zoneId: zone.id,
            gateway: try context.required("gateway"),
            netmask: try context.required("netmask")
        )
        try await context.server.store.insert(pod)
        return .object(name: "pod", EntityResponses.pod(pod, zone: zone))
    }

    static let addCluster = CommandDescriptor(
        "addCluster",
        "Adds a new cluster",
        roles: admins,
        events: .unrecorded("adds an inventory row; no event recorded for it yet"),
        parameters: [
            ParameterDescriptor("zoneid", .uuid, required: true, "the Zone ID for the cluster"),
            ParameterDescriptor("podid", .uuid, required: true, "the Pod ID for the host"),
            ParameterDescriptor("clustername", .string, required: true, "the cluster name"),
            ParameterDescriptor("clustertype", .string, required: true, "type of the cluster: CloudManaged"),
            ParameterDescriptor("hypervisor", .string, required: true, "hypervisor type of the cluster"),
            ParameterDescriptor("allocationstate", .string, "Allocation state of this cluster"),
        ]
    ) { context in
        let zone = try await context.entity(Zone.self, "zoneid")
        let pod = try await context.entity(Pod.self, "podid")
        guard pod.zoneId == zone.id else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Pod \(pod.id) doesn't belong to the zone \(zone.id)"
            )
        }
        let clusterType = try context.required("clustertype")
        guard clusterType.lowercased() == "cloudmanaged" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to resolve \(clusterType) to a supported type: ZooStack manages CloudManaged clusters"
            )
        }
        let hypervisor = try context.required("hypervisor")
        guard hypervisor.lowercased() == "simulator" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to add cluster of hypervisor \(hypervisor): ZooStack has only Simulator hosts"
            )
        }
        let name = try context.required("clustername")
        let existing = try await context.server.store.list(
            Cluster.self,
            ListQuery(equals: [("pod_id", pod.id), ("name", name)])
        )
        guard existing.total == 0 else {
            throw CloudError(.paramError, csErrorCode: 4350, "Cluster: \(name) already exists")
        }
        let cluster = Cluster(
            id: UUID().uuidString.lowercased(),
            name: name,
            podId: pod.id,
            zoneId: zone.id,
            hypervisor: "Simulator"
        )
        try await context.server.store.insert(cluster)
        return .list(item: "cluster", total: 1, items: [EntityResponses.cluster(cluster)])
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in (part.count <= 3) && (UInt8(part) != nil) }
    }

    static func allocationState(_ context: CommandContext) throws(CloudError) -> String {
        guard let state = context.string("allocationstate") else { return "Enabled" }
        guard let known = ["Enabled", "Disabled"].first(where: { $0.lowercased() == state.lowercased() }) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to resolve Allocation State '\(state)' to a supported state"
            )
        }
        return known
    }
}
