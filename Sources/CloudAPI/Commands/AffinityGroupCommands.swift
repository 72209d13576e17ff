import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Affinity groups: createAffinityGroup, listAffinityGroups, deleteAffinityGroup, listAffinityGroupTypes,
/// updateVMAffinityGroup. The planner keeps a VM off the hosts of its anti-affinity groups' other VMs, and on
/// the host of its affinity groups' VMs.
enum AffinityGroupCommands {
    static var all: [CommandDescriptor] { [create, list, delete, types, updateVM] }

    static func render(_ groups: [AffinityGroup], store: CloudStore) async throws -> [APIValue] {
        guard !groups.isEmpty else { return [] }
        let members = Dictionary(
            grouping: try await store.members(.affinityGroup, groupIds: groups.map(\.id)),
            by: \.groupId
        )
        let owners = try await OwnerNames.load(groups.map(\.accountId), store: store)
        return groups.map { group in
            .object(
                [
                    ("id", .string(group.id)), ("name", .string(group.name)),
                    ("description", .string(group.description)), ("type", .string(group.type)),
                ] + owners.fields(group.accountId) + [
                    ("virtualmachineIds", .array((members[group.id] ?? []).map { .string($0.vmId) }))
                ]
            )
        }
    }

    static func ownedGroup(_ context: CommandContext) async throws -> AffinityGroup {
        let group: AffinityGroup
        if context.string("id") != nil {
            group = try await context.entity(AffinityGroup.self, "id")
        } else if let name = context.string("name") {
            let owner = try await context.targetAccount()
            guard
                let found = try await context.server.store.list(
                    AffinityGroup.self,
                    ListQuery(equals: [("account_id", owner.id), ("name", name)])
                ).items.first
            else { throw CloudError.invalidParameter(context.command, "name", name) }
            group = found
        } else {
            throw CloudError(.paramError, csErrorCode: 4350, "Either the affinity group's name or id is required")
        }
        guard try await context.mayAccess(accountId: group.accountId) else {
            throw CommandContext.permissionDenied(
                "Account \(context.caller.account.name) does not have permission to operate on affinity group \(group.id)"
            )
        }
        return group
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
        let owner = try await context.targetAccount()
        let type = try context.required("type")
        guard AffinityGroup.types.contains(type) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to create affinity group, invalid affinity group type: \(type)"
            )
        }
        let name = try context.required("name")
        let group = AffinityGroup(
            id: UUID().uuidString.lowercased(),
            name: name,
            description: context.string("description") ?? name,
            type: type,
            accountId: owner.id,
            created: Timestamp.now
        )
        let store = context.server.store
        do {
            try await store.insert(group)
        } catch let error as StoreError where error.kind == .duplicate {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to create affinity group, a group with name \(name) already exists."
            )
        }
        return try await context.submitJob(instanceType: "AffinityGroup", instanceId: group.id, returnsId: true) {
            ("affinitygroup", try await Self.render([group], store: store)[0])
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
        var filters: [(column: String, value: String)] = []
        if let type = context.string("type") { filters.append(("type", type)) }
        let store = context.server.store
        var query = try await context.scopedListQuery(filters)
        if let vmId = context.string("virtualmachineid") {
            query.idIn = try await store.members(.affinityGroup, vmIds: [vmId]).map(\.groupId)
        }
        let page = try await store.list(AffinityGroup.self, query)
        return .list(item: "affinitygroup", total: page.total, items: try await Self.render(page.items, store: store))
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
        let group = try await Self.ownedGroup(context)
        let store = context.server.store
        let members = try await store.members(.affinityGroup, groupIds: [group.id])
        guard members.isEmpty else {
            throw CloudError(
                .resourceInUse,
                csErrorCode: 4375,
                "Cannot delete affinity group \(group.name): \(members.count) virtual machine(s) are in it"
            )
        }
        return try await context.submitJob(instanceType: "AffinityGroup", instanceId: group.id) {
            try await store.delete(AffinityGroup.self, id: group.id)
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
        let vm = try await VirtualMachineCommands.ownedVM(context)
        guard vm.state == .stopped else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to update affinity groups of VM \(vm.name): the VM must be Stopped (it is \(vm.state.rawValue))"
            )
        }
        guard let owner = try await context.server.store.get(Account.self, id: vm.accountId),
            let zone = try await context.server.store.get(Zone.self, id: vm.zoneId)
        else { throw CloudError(.internalError, "the VM's account or zone is missing") }
        let wanted = try await DeployExtras.resolve(context, owner: owner, zone: zone).affinityGroups
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            let store = context.server.store
            for (groupId, _) in try await store.members(.affinityGroup, vmIds: [vm.id]) {
                try await store.removeMembers(.affinityGroup, groupId: groupId, vmIds: [vm.id])
            }
            for group in wanted { try await store.addMembers(.affinityGroup, groupId: group.id, vmIds: [vm.id]) }
            return try await VirtualMachineCommands.result(vm, context)
        }
    }
}
