import CloudCore
import CloudModel
import Foundation
import Orchestrator

/// Affinity groups: createAffinityGroup, listAffinityGroups, deleteAffinityGroup, listAffinityGroupTypes,
/// updateVMAffinityGroup. The planner keeps a VM off the hosts of its anti-affinity groups' other VMs, and on
/// the host of its affinity groups' VMs.
enum AffinityGroupCommands {
    static var all: [CommandDescriptor] { [create, list, delete, types, updateVM] }

    /// AffinityGroupResponse objects, loading the groups' members and owners once.
    static func render(_ groups: [AffinityGroup], core: CloudServices) async throws -> [APIValue] {
        guard !groups.isEmpty else { return [] }
        let members = try await core.affinityGroups.members(of: groups)
        let owners = try await OwnerNames.load(groups.map(\.accountId), core: core)
        return groups.map { group in
            .object(
                [
                    ("id", .string(group.id)), ("name", .string(group.name)),
                    ("description", .string(group.description)), ("type", .string(group.type)),
                ] + owners.fields(group.accountId) + [
                    ("virtualmachineIds", .array((members[group.id] ?? []).map { .string($0) }))
                ]
            )
        }
    }

    /// A comma-separated list parameter's values, trimmed, without empty ones.
    static func list(_ context: CommandContext, _ name: String) -> [String] {
        context.string(name)?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        } ?? []
    }

    static let create = CommandDescriptor(
        "createAffinityGroup",
        "Creates an affinity/anti-affinity group",
        isAsync: true,
        events: .records(CommandEvent(.agCreate, "creating affinity group", .affinityGroup)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "name of the affinity group"),
            ParameterDescriptor(
                "type",
                .string,
                required: true,
                "Type of the affinity group from the available affinity/anti-affinity group types"
            ),
            ParameterDescriptor("description", .string, "optional description of the affinity group"),
            ParameterDescriptor("account", .string, "an account for the affinity group. Must be used with domainId."),
            ParameterDescriptor("domainid", .uuid, "domainId of the account owning the affinity group"),
        ]
    ) { context in
        let group = try await context.core.affinityGroups.create(
            context.access,
            owner: context.owner,
            name: try context.required("name"),
            type: try context.required("type"),
            description: context.string("description")
        )
        let core = context.core
        return try await context.submitJob(instanceType: "AffinityGroup", instanceId: group.id, returnsId: true) {
            ("affinitygroup", try await Self.render([group], core: core)[0])
        }
    }

    static let list = CommandDescriptor(
        "listAffinityGroups",
        "Lists affinity groups",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("type", .string, "lists affinity groups by type"),
            ParameterDescriptor("virtualmachineid", .uuid, "lists affinity groups by virtual machine ID"),
        ]
    ) { context in
        let page = try await context.core.affinityGroups.list(
            context.access,
            context.listRequest,
            type: context.string("type"),
            vmId: context.string("virtualmachineid")
        )
        let items = try await Self.render(page.items, core: context.core)
        return .list(item: "affinitygroup", total: page.total, items: items)
    }

    static let delete = CommandDescriptor(
        "deleteAffinityGroup",
        "Deletes affinity group",
        isAsync: true,
        events: .records(CommandEvent(.agDelete, "deleting affinity group", .affinityGroup)),
        parameters: [
            ParameterDescriptor("id", .uuid, "The ID of the affinity group. Mutually exclusive with name parameter"),
            ParameterDescriptor(
                "name",
                .string,
                "The name of the affinity group. Mutually exclusive with ID parameter"
            ),
            ParameterDescriptor(
                "account",
                .string,
                "the account of the affinity group. Must be specified with domain ID"
            ),
            ParameterDescriptor("domainid", .uuid, "the domain ID of account owning the affinity group"),
        ]
    ) { context in
        let groups = context.core.affinityGroups
        let group = try await groups.prepareDelete(
            context.access,
            id: context.string("id"),
            name: context.string("name"),
            owner: context.owner
        )
        return try await context.submitJob(instanceType: "AffinityGroup", instanceId: group.id) {
            try await groups.delete(id: group.id)
            return ("success", .bool(true))
        }
    }

    static let types = CommandDescriptor(
        "listAffinityGroupTypes",
        "Lists affinity group types available",
        parameters: [
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { _ in
        .list(
            item: "affinityGroupType",
            total: AffinityGroup.types.count,
            items: AffinityGroup.types.map { .object([("type", .string($0))]) }
        )
    }

    static let updateVM = CommandDescriptor(
        "updateVMAffinityGroup",
        "Updates the affinity/anti-affinity group associations of a virtual machine. The VM has to be stopped and restarted for the new properties to take effect.",
        isAsync: true,
        events: .records(CommandEvent(.vmAGUpdate, "updating affinity groups of Vm", .vm)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "The ID of the virtual machine"),
            ParameterDescriptor(
                "affinitygroupids",
                .list,
                "comma separated list of affinity groups id that are going to be applied to the virtual machine."
            ),
            ParameterDescriptor(
                "affinitygroupnames",
                .list,
                "comma separated list of affinity groups names that are going to be applied to the virtual machine."
            ),
        ]
    ) { context in
        let groups = context.core.affinityGroups
        let (vm, wanted) = try await groups.prepareUpdate(
            context.access,
            vmId: try context.required("id"),
            ids: Self.list(context, "affinitygroupids"),
            names: Self.list(context, "affinitygroupnames")
        )
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await groups.assign(wanted, to: vm.id)
            return try await VirtualMachineCommands.result(vm, context)
        }
    }
}
