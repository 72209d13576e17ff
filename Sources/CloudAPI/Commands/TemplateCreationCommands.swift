import CloudCore
import CloudModel

/// createTemplate: a private template from a stopped VM's volume or from a snapshot: a qcow2 a real host writes
/// into the zone's image store, or a record ready at once on the simulator's secondary storage.
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
        let templates = context.core.templates
        let request = TemplateService.CreateRequest(
            name: try context.required("name"),
            displayText: context.string("displaytext"),
            volumeId: context.string("volumeid"),
            snapshotId: context.string("snapshotid"),
            isPublic: context.bool("ispublic"),
            isFeatured: context.bool("isfeatured"),
            owner: context.owner
        )
        let template = try await templates.createPrivate(context.access, request)
        return try await context.submitJob(instanceType: "Template", instanceId: template.id, returnsId: true) {
            let ready = try await templates.completeCreation(template, request)
            return ("template", try await TemplateCommands.render([ready], context)[0])
        }
    }
}
