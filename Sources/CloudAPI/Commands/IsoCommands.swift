import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// ISO images (templates of format ISO): registerIso, listIsos, attachIso, detachIso and deleteIso.
enum IsoCommands {
    static var all: [CommandDescriptor] {
        [registerIso, listIsos, attachIso, detachIso, deleteIso] + TemplateCreationCommands.all
    }

    /// The VM detail holding the attached ISO's id.
    static let isoDetail = "isoid"

    /// Renders ISOs: the template response plus `bootable`, tagged as ISO.
    static func render(_ isos: [Template], _ context: CommandContext) async throws -> [APIValue] {
        let store = context.server.store
        let tags = try await store.tags(of: isos.map(\.id), resourceType: "ISO")
        let rendered = try await TemplateCommands.render(isos, context)
        return zip(isos, rendered).map { iso, value in
            guard case .object(let fields) = value else { return value }
            return .object(
                fields.filter { !["tags", "templatetype", "passwordenabled", "hypervisor"].contains($0.0) } + [
                    ("bootable", .bool(true)),
                    ("tags", .array((tags[iso.id] ?? []).map { TagCommands.render($0, account: nil) })),
                ]
            )
        }
    }

    /// Loads the ISO named by `parameter` that the caller may use (its own, public, or shared with it).
    static func usableIso(_ context: CommandContext, _ parameter: String) async throws -> Template {
        let iso = try await context.entity(Template.self, parameter)
        guard iso.format == "ISO" else {
            throw CloudError(.paramError, csErrorCode: 4350, "Please specify a valid ISO file.")
        }
        if !iso.isPublic, !(try await context.mayAccess(accountId: iso.accountId)) {
            let shared = try await context.server.store.templatesShared(with: context.caller.account.id)
            guard shared.contains(iso.id) else {
                throw CommandContext.permissionDenied(
                    "Account \(context.caller.account.name) does not have permission to operate on iso \(iso.id)"
                )
            }
        }
        return iso
    }

    static let registerIso = CommandDescriptor(
        "registerIso",
        "Registers an existing ISO into the CloudStack Cloud.",
        events: .records(CommandEvent(.isoCreate, "registering iso", .iso)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the ISO"),
            ParameterDescriptor("displaytext", .string, "the display text of the ISO, defaults to the 'name'"),
            ParameterDescriptor("url", .string, required: true, "the URL to where the ISO is currently being hosted"),
            ParameterDescriptor("zoneid", .uuid, required: true, "the ID of the zone you wish to register the ISO to."),
            ParameterDescriptor(
                "bootable",
                .boolean,
                "true if this ISO is bootable. If not passed explicitly its assumed to be true"
            ),
            ParameterDescriptor(
                "ispublic",
                .boolean,
                "true if you want to register the ISO to be publicly available to all users"
            ),
            ParameterDescriptor("isfeatured", .boolean, "true if you want this ISO to be featured"),
            ParameterDescriptor("isextractable", .boolean, "true if the ISO or its derivatives are extractable"),
            ParameterDescriptor("ostypeid", .uuid, "the ID of the OS type that best represents the OS of this ISO"),
            ParameterDescriptor("account", .string, "an optional account name"),
            ParameterDescriptor("domainid", .uuid, "an optional domainId"),
        ]
    ) { context in
        let owner = try await context.targetAccount()
        let zone = try await context.entity(Zone.self, "zoneid")
        let name = try context.required("name")
        let url = try context.required("url")
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(),
            ["http", "https", "ftp", "nfs"].contains(scheme), parsed.host != nil
        else { throw CloudError(.paramError, csErrorCode: 4350, "Unsupported url format: \(url)") }
        guard url.lowercased().hasSuffix(".iso") || url.lowercased().hasSuffix(".iso.gz") else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Please specify a valid URL. URL:\(url) is an invalid for the format iso"
            )
        }
        let store = context.server.store
        guard try await store.list(ImageStore.self, ListQuery(equals: [("zone_id", zone.id)])).total > 0 else {
            throw CloudError(.internalError, csErrorCode: 4250, "Unable to find image store to download ISO \(name)")
        }
        let iso = Template(
            id: UUID().uuidString.lowercased(),
            name: name,
            displayText: context.string("displaytext") ?? name,
            format: "ISO",
            hypervisor: "None",
            osTypeName: "Other (64-bit)",
            url: url,
            isPublic: context.bool("ispublic"),
            isFeatured: context.caller.isAdmin && context.bool("isfeatured"),
            accountId: owner.id,
            zoneId: zone.id,
            status: "Not Downloaded",
            isReady: false,
            size: 512 << 20,
            created: Timestamp.now
        )
        // ISOs count as templates (CloudStack's `template` resource type).
        try await context.withinLimits(of: iso.accountId, [.template: 1]) { try await store.insert(iso) }
        context.server.templateDownloads.start(iso.id)
        return .list(item: "iso", total: 1, items: try await Self.render([iso], context))
    }

    static let listIsos = CommandDescriptor(
        "listIsos",
        "Lists all available ISO files.",
        parameters: ListParameters.all + [
            ParameterDescriptor(
                "isofilter",
                .string,
                "featured, self, selfexecutable, sharedexecutable, executable, community or all (default selfexecutable)"
            ),
            ParameterDescriptor("zoneid", .uuid, "the ID of the zone"),
            ParameterDescriptor("bootable", .boolean, "true if the ISO is bootable, false otherwise"),
            ParameterDescriptor("isready", .boolean, "true if this ISO is ready to be deployed"),
            ParameterDescriptor("ispublic", .boolean, "true if the ISO is publicly available to all users"),
            ParameterDescriptor("tags", .map, "List resources by tags (key/value pairs)"),
        ]
    ) { context in
        let filter = (context.string("isofilter") ?? "selfexecutable").lowercased()
        let matches = try await TemplateCommands.matcher(filter, parameter: "isofilter", context)
        let query = try context.listQuery()
        var all = query
        all.page = 1
        all.pageSize = nil
        all.tags = context.tagPairs
        all.tagResourceType = "ISO"
        all.equals.append(("format", "ISO"))
        if let zone = context.string("zoneid") { all.equals.append(("zone_id", zone)) }
        let isReady = context.string("isready").map { _ in context.bool("isready") }
        let isPublic = context.string("ispublic").map { _ in context.bool("ispublic") }
        let isos = try await context.server.store.list(Template.self, all).items.filter { iso in
            matches(iso) && isReady.map { iso.isReady == $0 } ?? true && isPublic.map { iso.isPublic == $0 } ?? true
        }
        let size = query.pageSize ?? max(isos.count, 1)
        let page = isos.paged(query.page, size: size)
        return .list(item: "iso", total: isos.count, items: try await Self.render(page, context))
    }

    static let attachIso = CommandDescriptor(
        "attachIso",
        "Attaches an ISO to a virtual machine.",
        isAsync: true,
        events: .records(CommandEvent(.isoAttach, "attaching iso", .iso)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the ISO file"),
            ParameterDescriptor("virtualmachineid", .uuid, required: true, "the ID of the virtual machine"),
            ParameterDescriptor("forced", .boolean, "If true, ejects existing ISO before attaching on VMware."),
        ]
    ) { context in
        let iso = try await Self.usableIso(context, "id")
        let vm = try await VolumeCommands.accessibleVirtualMachine(context, "virtualmachineid")
        guard iso.isReady else {
            throw CloudError(.paramError, csErrorCode: 4350, "Unable to attach ISO \(iso.id): it is not ready yet")
        }
        guard vm.state == .running || vm.state == .stopped else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Please specify a VM that is either Stopped or Running."
            )
        }
        guard iso.zoneId == vm.zoneId else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Please specify an ISO that is available in the zone of the VM."
            )
        }
        let store = context.server.store
        if try await store.details(of: vm.id)[Self.isoDetail] != nil {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "An ISO is already attached to the VM, please detach the current ISO before attaching another one"
            )
        }
        return try await Self.setIso(iso.id, on: vm, context)
    }

    /// The job of attachIso/detachIso: records the VM's ISO (nil: none) and answers with the VM.
    static func setIso(_ isoId: String?, on vm: VirtualMachine, _ context: CommandContext) async throws -> CommandResult
    {
        let store = context.server.store
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await store.setDetails(of: vm.id, [Self.isoDetail: isoId])
            let current = try await store.get(VirtualMachine.self, id: vm.id) ?? vm
            return (
                "virtualmachine",
                try await VirtualMachineResponses.render(current, store: store, caller: context.caller)
            )
        }
    }

    static let detachIso = CommandDescriptor(
        "detachIso",
        "Detaches any ISO file (if any) currently attached to a virtual machine.",
        isAsync: true,
        events: .records(CommandEvent(.isoDetach, "detaching iso from Vm", .vmOfNic)),
        parameters: [
            ParameterDescriptor("virtualmachineid", .uuid, required: true, "The ID of the virtual machine"),
            ParameterDescriptor("forced", .boolean, "If true, ejects the ISO before detaching on VMware."),
        ]
    ) { context in
        let vm = try await VolumeCommands.accessibleVirtualMachine(context, "virtualmachineid")
        let store = context.server.store
        guard try await store.details(of: vm.id)[Self.isoDetail] != nil else {
            throw CloudError(.paramError, csErrorCode: 4350, "The specified VM has no ISO attached to it.")
        }
        guard vm.state == .running || vm.state == .stopped else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Please specify a VM that is either Stopped or Running."
            )
        }
        return try await Self.setIso(nil, on: vm, context)
    }

    static let deleteIso = CommandDescriptor(
        "deleteIso",
        "Deletes an ISO file.",
        isAsync: true,
        events: .records(CommandEvent(.isoDelete, "deleting iso", .iso)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the ID of the ISO file"),
            ParameterDescriptor("zoneid", .uuid, "the ID of the zone of the ISO file."),
        ]
    ) { context in
        let iso = try await TemplateCommands.ownedTemplate(context)
        guard iso.format == "ISO" else {
            throw CloudError(.paramError, csErrorCode: 4350, "Please specify a valid ISO file.")
        }
        if let zoneId = context.string("zoneid"), zoneId != iso.zoneId {
            throw CloudError.invalidParameter(context.command, "zoneid", zoneId)
        }
        let store = context.server.store
        if try await store.virtualMachines(withDetail: Self.isoDetail, value: iso.id) > 0 {
            throw CloudError(
                .resourceInUse,
                csErrorCode: 4375,
                "Unable to delete iso \(iso.id): it is attached to virtual machines; detach it first"
            )
        }
        return try await context.submitJob(instanceType: "Iso", instanceId: iso.id) {
            try await store.deleteTemplate(id: iso.id)
            try await store.deleteTags(resourceIds: [iso.id], resourceType: "ISO", keys: [])
            return ("success", .bool(true))
        }
    }
}
