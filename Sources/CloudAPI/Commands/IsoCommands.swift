import CloudCore
import CloudModel

/// ISO images (templates of format ISO): registerIso, listIsos, attachIso, detachIso and deleteIso.
enum IsoCommands {
    static var all: [CommandDescriptor] {
        [registerIso, listIsos, attachIso, detachIso, deleteIso] + TemplateCreationCommands.all
    }

    /// The VM detail holding the attached ISO's id.
    static let isoDetail = IsoService.vmDetail

    /// Renders ISOs: the template response plus `bootable`, tagged as ISO.
    static func render(_ isos: [Template], _ context: CommandContext) async throws -> [APIValue] {
        let related = try await context.core.templates.relations(of: isos, tagType: "ISO")
        let rendered = TemplateCommands.render(isos, related)
        return zip(isos, rendered).map { iso, value in
            guard case .object(let fields) = value else { return value }
            return .object(
                fields.filter { !["tags", "templatetype", "passwordenabled", "hypervisor"].contains($0.0) } + [
                    ("bootable", .bool(true)),
                    ("tags", .array((related.tags[iso.id] ?? []).map { TagCommands.render($0, account: nil) })),
                ]
            )
        }
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
            ParameterDescriptor(
                "checksum",
                .string,
                "the checksum of the ISO: {ALGORITHM}hex (MD5, SHA-1, SHA-256, SHA-384, SHA-512) or MD5 hex"
            ),
        ]
    ) { context in
        var request = IsoService.RegisterRequest(
            owner: context.owner,
            zoneId: try context.required("zoneid"),
            name: try context.required("name"),
            displayText: context.string("displaytext"),
            url: try context.required("url"),
            isPublic: context.bool("ispublic"),
            isFeatured: context.bool("isfeatured"),
            checksum: context.string("checksum")
        )
        request.osTypeId = context.string("ostypeid")
        let iso = try await context.core.isos.register(context.access, request)
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
        let page = try await context.core.isos.list(
            context.access,
            context.listRequest,
            IsoService.ListFilters(
                filter: (context.string("isofilter") ?? "selfexecutable").lowercased(),
                zoneId: context.string("zoneid"),
                isReady: context.string("isready").map { _ in context.bool("isready") },
                isPublic: context.string("ispublic").map { _ in context.bool("ispublic") }
            )
        )
        return .list(item: "iso", total: page.total, items: try await Self.render(page.items, context))
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
        let (iso, vm) = try await context.core.isos.prepareAttach(
            context.access,
            id: try context.required("id"),
            virtualMachineId: try context.required("virtualmachineid")
        )
        return try await Self.setIso(iso.id, on: vm, context)
    }

    /// The job of attachIso/detachIso: records the VM's ISO (nil: none) and answers with the VM.
    static func setIso(_ isoId: String?, on vm: VirtualMachine, _ context: CommandContext) async throws -> CommandResult
    {
        let isos = context.core.isos
        return try await context.submitJob(instanceType: "VirtualMachine", instanceId: vm.id) {
            try await isos.setIso(isoId, on: vm.id)
            return try await VirtualMachineCommands.result(vm, context)
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
        let vm = try await context.core.isos.prepareDetach(
            context.access,
            virtualMachineId: try context.required("virtualmachineid")
        )
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
        let isos = context.core.isos
        let iso = try await isos.prepareDelete(
            context.access,
            id: try context.required("id"),
            zoneId: context.string("zoneid")
        )
        return try await context.submitJob(instanceType: "Iso", instanceId: iso.id) {
            try await isos.delete(iso)
            return ("success", .bool(true))
        }
    }
}
