import CloudCore
import CloudModel

/// createZone, createPod and addCluster (root admin only): the inventory tree hosts are added to.
enum InfrastructureAdminCommands {
    static var all: [CommandDescriptor] { [createZone, createPod, addCluster] + InfrastructureUpdateCommands.all }

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
        let zone = try await context.core.infrastructure.createZone(
            context.access,
            name: try context.required("name"),
            networkType: try context.required("networktype"),
            allocationState: context.string("allocationstate"),
            network: InfrastructureUpdateCommands.zoneNetwork(context)
        )
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
        let (pod, zone) = try await context.core.infrastructure.createPod(
            context.access,
            zoneId: try context.required("zoneid"),
            name: try context.required("name"),
            gateway: try context.required("gateway"),
            netmask: try context.required("netmask")
        )
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
        let cluster = try await context.core.infrastructure.addCluster(
            context.access,
            zoneId: try context.required("zoneid"),
            podId: try context.required("podid"),
            name: try context.required("clustername"),
            clusterType: try context.required("clustertype"),
            hypervisor: try context.required("hypervisor")
        )
        return .list(item: "cluster", total: 1, items: [EntityResponses.cluster(cluster)])
    }
}
