import CloudCore
import CloudModel

/// VM user data: getVirtualMachineUserData, and registered user data (registerUserData, listUserData,
/// deleteUserData, linkUserDataToTemplate, resetUserDataForVirtualMachine; ``UserDataService``). deployVirtualMachine
/// and updateVirtualMachine set it too.
enum UserDataCommands {
    static var all: [CommandDescriptor] { [get, register, list, delete, link, reset] }

    static let unrecorded = CommandDescriptor.EventRecording.unrecorded(
        "registered user data is a payload an account keeps, recorded as key pairs are: with no event"
    )

    static let ownerParameters: [ParameterDescriptor] = [
        ParameterDescriptor(
            "account",
            .string,
            "an optional account for the user data. Must be used with domainId."
        ),
        ParameterDescriptor(
            "domainid",
            .uuid,
            "an optional domainId for the user data. If the account parameter is used, domainId must also be used."
        ),
        ParameterDescriptor("projectid", .uuid, "an optional project for the user data"),
    ]

    /// The VM response's user data fields and the details they come from.
    static let vmDetails: [(String, String)] = [
        ("userdataid", UserDataService.idDetail), ("userdataname", UserDataService.nameDetail),
        ("userdatapolicy", UserDataService.policyDetail),
    ]

    /// The template response's fields of its linked user data.
    static func templateFields(_ linked: (link: TemplateUserData, userData: UserData)?) -> [(String, APIValue)] {
        guard let linked else { return [] }
        var fields: [(String, APIValue)] = [
            ("userdataid", .string(linked.userData.id)), ("userdataname", .string(linked.userData.name)),
            ("userdatapolicy", .string(linked.link.policy)),
        ]
        if !linked.userData.params.isEmpty { fields.append(("userdataparams", .string(linked.userData.params))) }
        return fields
    }

    /// UserDataResponse objects, loading their owners once.
    static func render(_ items: [UserData], core: CloudServices) async throws -> [APIValue] {
        guard !items.isEmpty else { return [] }
        let owners = try await OwnerNames.load(items.map(\.accountId), core: core)
        return items.map { item in
            let domain = owners.accounts[item.accountId].flatMap { owners.domains[$0.domainId] }
            var fields: [(String, APIValue)] = [
                ("id", .string(item.id)), ("name", .string(item.name)), ("userdata", .string(item.userData)),
            ]
            if !item.params.isEmpty { fields.append(("params", .string(item.params))) }
            return .object(
                fields + owners.fields(item.accountId) + [
                    ("domainpath", .string(domain?.displayPath ?? "ROOT")), ("hasannotations", .bool(false)),
                ]
            )
        }
    }

    static let get = CommandDescriptor(
        "getVirtualMachineUserData",
        "Returns user data associated with the VM",
        parameters: [ParameterDescriptor("virtualmachineid", .uuid, required: true, "The ID of the virtual machine")]
    ) { context in
        let (vm, userData) = try await context.core.userVMs.userData(
            context.access,
            vmId: try context.required("virtualmachineid")
        )
        var fields: [(String, APIValue)] = [("virtualmachineid", .string(vm.id))]
        if let userData { fields.append(("userdata", .string(userData))) }
        return .object(name: "virtualmachineuserdata", .object(fields))
    }

    static let register = CommandDescriptor(
        "registerUserData",
        "Register a new userdata.",
        events: unrecorded,
        parameters: [
            ParameterDescriptor("name", .string, required: true, "Name of the user data"),
            ParameterDescriptor("userdata", .string, required: true, "User data content"),
            ParameterDescriptor("params", .string, "comma separated list of variables declared in user data content"),
        ] + ownerParameters
    ) { context in
        let registered = try await context.core.userDataRegistry.register(
            context.access,
            owner: context.owner,
            name: try context.required("name"),
            userData: try context.required("userdata"),
            params: context.string("params")
        )
        return .object(name: "userdata", try await Self.render([registered], core: context.core)[0])
    }

    static let list = CommandDescriptor(
        "listUserData",
        "List registered userdatas",
        parameters: ListParameters.all + ListParameters.scope
    ) { context in
        let page = try await context.core.userDataRegistry.list(context.access, context.listRequest)
        let items = try await Self.render(page.items, core: context.core)
        return .list(item: "userdata", total: page.total, items: items)
    }

    static let delete = CommandDescriptor(
        "deleteUserData",
        "Deletes a userdata",
        events: unrecorded,
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the Userdata")] + ownerParameters
    ) { context in
        try await context.core.userDataRegistry.delete(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }

    static let link = CommandDescriptor(
        "linkUserDataToTemplate",
        "Link or unlink a userdata to a template.",
        events: unrecorded,
        parameters: [
            ParameterDescriptor("templateid", .uuid, "the ID of the template for the virtual machine"),
            ParameterDescriptor("isoid", .uuid, "the ID of the ISO for the virtual machine"),
            ParameterDescriptor(
                "userdataid",
                .uuid,
                "the ID of the userdata that has to be linked to template/ISO. If not provided existing userdata will be unlinked from the template/ISO"
            ),
            ParameterDescriptor(
                "userdatapolicy",
                .string,
                "an optional override policy of the userdata. Possible values are - ALLOWOVERRIDE, APPEND, DENYOVERRIDE. Default policy is ALLOWOVERRIDE"
            ),
        ]
    ) { context in
        let template = try await context.core.userDataRegistry.link(
            context.access,
            templateId: context.string("templateid"),
            isoId: context.string("isoid"),
            userDataId: context.string("userdataid"),
            policy: context.string("userdatapolicy")
        )
        let rendered = try await TemplateCommands.render([template], context)
        return .object(name: "template", rendered[0])
    }

    static let reset = CommandDescriptor(
        "resetUserDataForVirtualMachine",
        "Resets the UserData for virtual machine. The virtual machine must be in a \"Stopped\" state.",
        events: .unrecorded(
            "it changes only the user data a stopped VM gets at its next start, as updateVirtualMachine's userdata does"
        ),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "The ID of the virtual machine"),
            ParameterDescriptor("userdata", .string, "an optional binary data that can be sent to the virtual machine"),
            ParameterDescriptor("userdataid", .uuid, "the ID of the userdata"),
            ParameterDescriptor(
                "userdatadetails",
                .map,
                "used to specify the parameters values for the variables in userdata."
            ),
        ] + ownerParameters
    ) { context in
        let vm = try await context.core.userDataRegistry.reset(
            context.access,
            vmId: try context.required("id"),
            userData: context.string("userdata"),
            userDataId: context.string("userdataid")
        )
        let (name, rendered) = try await VirtualMachineCommands.result(vm, context)
        return .object(name: name, rendered)
    }
}
