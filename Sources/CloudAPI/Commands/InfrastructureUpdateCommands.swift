import CloudCore
import CloudModel

/// updateZone, deleteZone, updatePod, deletePod, updateCluster and deleteCluster (root admin only;
/// ``InfrastructureService`` applies CloudStack's rules).
enum InfrastructureUpdateCommands {
    static var all: [CommandDescriptor] {
        [updateZone, deleteZone, updatePod, deletePod, updateCluster, deleteCluster]
    }

    static let admins: Set<Role> = [.rootAdmin]

    /// The DNS servers and network domain a createZone or updateZone gives.
    static func zoneNetwork(_ context: CommandContext) -> InfrastructureService.ZoneUpdate {
        InfrastructureService.ZoneUpdate(
            name: context.string("name"),
            allocationState: context.string("allocationstate"),
            dns1: context.string("dns1"),
            dns2: context.string("dns2"),
            internalDns1: context.string("internaldns1"),
            internalDns2: context.string("internaldns2"),
            domain: context.string("domain")
        )
    }

    static let updateZone = CommandDescriptor(
        "updateZone",
        "Updates a Zone.",
        roles: admins,
        events: .records(CommandEvent(.zoneEdit, "updating zone", .zone)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the Zone"),
            ParameterDescriptor("name", .string, "the name of the Zone"),
            ParameterDescriptor(
                "allocationstate",
                .string,
                "Allocation state of this cluster for allocation of new resources"
            ),
            ParameterDescriptor("dns1", .string, "the first DNS for the Zone"),
            ParameterDescriptor("dns2", .string, "the second DNS for the Zone"),
            ParameterDescriptor("internaldns1", .string, "the first internal DNS for the Zone"),
            ParameterDescriptor("internaldns2", .string, "the second internal DNS for the Zone"),
            ParameterDescriptor(
                "domain",
                .string,
                "Network domain name for the networks in the zone; empty string will update domain with NULL value"
            ),
        ]
    ) { context in
        let zone = try await context.core.infrastructure.updateZone(
            context.access,
            id: try context.required("id"),
            Self.zoneNetwork(context)
        )
        return .object(name: "zone", EntityResponses.zone(zone))
    }

    static let deleteZone = CommandDescriptor(
        "deleteZone",
        "Deletes a Zone.",
        roles: admins,
        events: .records(CommandEvent(.zoneDelete, "deleting zone", .zone)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the Zone")]
    ) { context in
        try await context.core.infrastructure.deleteZone(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }

    static let updatePod = CommandDescriptor(
        "updatePod",
        "Updates a Pod.",
        roles: admins,
        events: .records(CommandEvent(.podEdit, "updating pod", .pod)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the Pod"),
            ParameterDescriptor("name", .string, "the name of the Pod"),
            ParameterDescriptor("gateway", .string, "the gateway for the Pod"),
            ParameterDescriptor("netmask", .string, "the netmask of the Pod"),
        ]
    ) { context in
        let (pod, zone) = try await context.core.infrastructure.updatePod(
            context.access,
            id: try context.required("id"),
            name: context.string("name"),
            gateway: context.string("gateway"),
            netmask: context.string("netmask")
        )
        return .object(name: "pod", EntityResponses.pod(pod, zone: zone))
    }

    static let deletePod = CommandDescriptor(
        "deletePod",
        "Deletes a Pod.",
        roles: admins,
        events: .records(CommandEvent(.podDelete, "deleting pod", .pod)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the Pod")]
    ) { context in
        try await context.core.infrastructure.deletePod(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }

    static let updateCluster = CommandDescriptor(
        "updateCluster",
        "Updates an existing cluster",
        roles: admins,
        events: .unrecorded("renames an inventory row, as addCluster adds one: no event recorded for it yet"),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the Cluster"),
            ParameterDescriptor("clustername", .string, "the cluster name"),
        ]
    ) { context in
        let cluster = try await context.core.infrastructure.updateCluster(
            context.access,
            id: try context.required("id"),
            name: context.string("clustername")
        )
        return .object(name: "cluster", EntityResponses.cluster(cluster))
    }

    static let deleteCluster = CommandDescriptor(
        "deleteCluster",
        "Deletes a cluster.",
        roles: admins,
        events: .unrecorded("removes an inventory row, as addCluster adds one: no event recorded for it yet"),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the cluster ID")]
    ) { context in
        try await context.core.infrastructure.deleteCluster(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }
}
