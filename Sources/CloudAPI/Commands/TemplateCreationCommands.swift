import CloudCore
import CloudModel
import CloudStore
import Foundation

/// createTemplate: a private template from a stopped VM's volume or from a snapshot, ready at once on the
/// simulator's secondary storage.
enum TemplateCreationCommands {
    static var all: [CommandDescriptor] { [createTemplate] }

    static let createTemplate = CommandDescriptor(
        "createTemplate",
        "Creates a template of a virtual machine. The virtual machine must be in a STOPPED state. A template created from this command is automatically designated as a private template visible to the account that created it.",
        isAsync: true,
        events: .records(CommandEvent(.templateCreate, "creating template", .template)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the template"),
            ParameterDescriptor("displaytext", .string, "The display text of the template, defaults to the 'name'."),
            ParameterDescriptor(
                "ostypeid",
                .uuid,
                required: true,
                "the ID of the OS Type that best represents the OS of this template."
            ),
            ParameterDescriptor("volumeid", .uuid, "the ID of the disk volume the template is being created from"),
            ParameterDescriptor("snapshotid", .uuid, "the ID of the snapshot the template is being created from"),
            ParameterDescriptor("virtualmachineid", .uuid, "Optional, VM ID (used with snapshots)"),
            ParameterDescriptor("ispublic", .boolean, "true if this template is a public template, false otherwise"),
            ParameterDescriptor(
                "isfeatured",
                .boolean,
                "true if this template is a featured template, false otherwise"
            ),
            ParameterDescriptor(
                "passwordenabled",
                .boolean,
                "true if the template supports the password reset feature"
            ),
            ParameterDescriptor("bits", .integer, "32 or 64 bit"),
            ParameterDescriptor("zoneid", .uuid, "the zone for the template"),
            ParameterDescriptor("account", .string, "the account for the template"),
            ParameterDescriptor("domainid", .uuid, "the domain for the template"),
        ]
    ) { context in
        let store = context.server.store
        let source: (zoneId: String, size: Int, accountId: String?)
        switch (context.string("volumeid"), context.string("snapshotid")) {
        case (.some, .some), (nil, nil):
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Failed to create private template record, need to specify snapshotId or volumeId"
            )
        case (.some, nil):
            let volume = try await VolumeCommands.accessibleVolume(context, "volumeid")
            guard let vmId = volume.vmId, let vm = try await store.get(VirtualMachine.self, id: vmId) else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Failed to create private template record, volume \(volume.id) is not attached to a VM"
                )
            }
            guard vm.state == .stopped else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "VM \(vm.name) must be stopped before creating a template from its volume \(volume.id)"
                )
            }
            source = (volume.zoneId, volume.size, volume.accountId)
        case (nil, .some):
            let snapshot = try await SnapshotCommands.accessibleSnapshot(context, "snapshotid")
            guard snapshot.state == "BackedUp" else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Snapshot \(snapshot.id) is not in BackedUp state yet and can't be used for template creation"
                )
            }
            source = (snapshot.zoneId, snapshot.size, snapshot.accountId)
        }
        let owner = context.string("account") == nil ? nil : try await context.targetAccount()
        let name = try context.required("name")
        let template = Template(
            id: UUID().uuidString.lowercased(),
            name: name,
            displayText: context.string("displaytext") ?? name,
            format: "QCOW2",
            hypervisor: "Simulator",
            osTypeName: "Other (64-bit)",
            url: "",
            isPublic: context.bool("ispublic"),
            isFeatured: context.caller.isAdmin && context.bool("isfeatured"),
            accountId: owner?.id ?? source.accountId ?? context.caller.account.id,
            zoneId: source.zoneId,
            status: "Creating",
            isReady: false,
            size: source.size,
            created: Timestamp.now
        )
        try await context.withinLimits(of: template.accountId, [.template: 1, .secondaryStorage: template.size]) {
            try await store.insert(template)
        }
        return try await context.submitJob(instanceType: "Template", instanceId: template.id, returnsId: true) {
            try await store.setTemplateStatus(id: template.id, status: "Download Complete", isReady: true)
            var ready = template
            ready.status = "Download Complete"
            ready.isReady = true
            return ("template", try await TemplateCommands.render([ready], context)[0])
        }
    }
}
