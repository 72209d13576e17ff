import CloudCore
import CloudModel
import Orchestrator

/// addHost, updateHost, prepareHostForMaintenance, cancelHostMaintenance and deleteHost (root admin only).
enum HostCommands {
    static var all: [CommandDescriptor] { [add, update, prepareForMaintenance, cancelMaintenance, delete] }

    static let admins: Set<Role> = [.rootAdmin]

    static func rendered(_ host: Host, _ context: CommandContext) async throws -> APIValue {
        try await HostResponses.load(core: context.core, cluster: context.core.cluster, hostIds: [host.id]).render(host)
    }

    static let add = CommandDescriptor(
        "addHost",
        "Adds a new host.",
        roles: admins,
        coordinated: true,
        events: .unrecorded("adds a host to the inventory; no event recorded for it yet"),
        parameters: [
            ParameterDescriptor("zoneid", .uuid, required: true, "the Zone ID for the host"),
            ParameterDescriptor("podid", .uuid, required: true, "the Pod ID for the host"),
            ParameterDescriptor("url", .string, required: true, "the host URL"),
            ParameterDescriptor("hypervisor", .string, required: true, "hypervisor type of the host"),
            ParameterDescriptor("clusterid", .uuid, "the cluster ID for the host"),
            ParameterDescriptor("clustername", .string, "the cluster name for the host"),
            ParameterDescriptor("username", .string, "the username for the host"),
            ParameterDescriptor("password", .string, "the password for the host"),
            ParameterDescriptor("hosttags", .list, "list of tags to be added to the host"),
            ParameterDescriptor(
                "allocationstate",
                .string,
                "Allocation state of this Host for allocation of new resources"
            ),
            ParameterDescriptor("cpunumber", .integer, "simulator only: CPU cores (default 4, or the URL's cpucore)"),
            ParameterDescriptor("cpuspeed", .integer, "simulator only: MHz per core (default 8000)"),
            ParameterDescriptor("memory", .integer, "simulator only: memory in MB (default 8192)"),
        ]
    ) { context in
        let host = try await context.core.infrastructure.addHost(
            context.access,
            InfrastructureService.NewHost(
                zoneId: try context.required("zoneid"),
                podId: try context.required("podid"),
                url: try context.required("url"),
                hypervisor: try context.required("hypervisor"),
                clusterId: context.string("clusterid"),
                clusterName: context.string("clustername"),
                hostTags: context.string("hosttags") ?? "",
                allocationState: context.string("allocationstate"),
                cpuNumber: context.int("cpunumber"),
                cpuSpeed: context.int("cpuspeed"),
                memoryMiB: context.int("memory")
            )
        )
        return .list(item: "host", total: 1, items: [try await Self.rendered(host, context)])
    }

    static let update = CommandDescriptor(
        "updateHost",
        "Updates a host.",
        roles: admins,
        events: .records(CommandEvent(.hostUpdate, "updating host", .host)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the host to update"),
            ParameterDescriptor("hosttags", .list, "list of tags to be added to the host"),
            ParameterDescriptor(
                "allocationstate",
                .string,
                "Change resource state of host, valid values are [Enable, Disable]"
            ),
        ]
    ) { context in
        let id = try context.required("id")
        let host = try await context.core.hosts.update(
            id: id,
            allocationState: context.string("allocationstate"),
            hostTags: context.parameters["hosttags"]
        )
        return .object(name: "host", try await Self.rendered(host, context))
    }

    static let prepareForMaintenance = CommandDescriptor(
        "prepareHostForMaintenance",
        "Prepares a host for maintenance.",
        isAsync: true,
        roles: admins,
        coordinated: true,
        events: .records(CommandEvent(.maintPrepare, "preparing host for maintenance", .host)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the host ID")]
    ) { context in
        let host = try await context.core.infrastructure.host(context.access, id: try context.required("id"))
        return try await context.submitJob(instanceType: "Host", instanceId: host.id) {
            let prepared = try await context.core.hosts.prepareForMaintenance(id: host.id)
            return ("host", try await Self.rendered(prepared, context))
        }
    }

    static let cancelMaintenance = CommandDescriptor(
        "cancelHostMaintenance",
        "Cancels host maintenance.",
        isAsync: true,
        roles: admins,
        coordinated: true,
        events: .records(CommandEvent(.maintCancel, "canceling maintenance for host", .host)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the host ID")]
    ) { context in
        let host = try await context.core.infrastructure.host(context.access, id: try context.required("id"))
        return try await context.submitJob(instanceType: "Host", instanceId: host.id) {
            let enabled = try await context.core.hosts.cancelMaintenance(id: host.id)
            return ("host", try await Self.rendered(enabled, context))
        }
    }

    static let delete = CommandDescriptor(
        "deleteHost",
        "Deletes a host.",
        roles: admins,
        coordinated: true,
        events: .unrecorded("removes a host from the inventory; no event recorded for it yet"),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the host ID"),
            ParameterDescriptor("forced", .boolean, "delete the host even if it is not in maintenance"),
            ParameterDescriptor("forcedestroylocalstorage", .boolean, "destroy local storage on the host"),
        ]
    ) { context in
        let host = try await context.core.infrastructure.host(context.access, id: try context.required("id"))
        try await context.core.hosts.delete(id: host.id, forced: context.bool("forced"))
        return .flat([("success", .bool(true))])
    }
}
