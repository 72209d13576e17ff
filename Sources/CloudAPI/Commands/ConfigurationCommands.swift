import CloudCore
import CloudModel
import Orchestrator

/// listConfigurations, updateConfiguration and resetConfiguration: the global settings of ``GlobalSettings``.
enum ConfigurationCommands {
    static var all: [CommandDescriptor] { [list, update, reset] }

    static let list = CommandDescriptor(
        "listConfigurations",
        "Lists all configurations.",
        roles: [.rootAdmin],
        parameters: [
            ParameterDescriptor("name", .string, "lists configuration by name"),
            ParameterDescriptor("category", .string, "lists configurations by category"),
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        let page = try await context.core.settings.list(
            context.access,
            context.listRequest,
            name: context.string("name"),
            category: context.string("category")
        )
        return .list(item: "configuration", total: page.total, items: page.items.map(Self.render))
    }

    static let update = CommandDescriptor(
        "updateConfiguration",
        "Updates a configuration.",
        roles: [.rootAdmin],
        coordinated: true,
        events: .records(CommandEvent(.configurationValueEdit, "updating configuration")),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the configuration"),
            ParameterDescriptor("value", .string, "the value of the configuration"),
        ]
    ) { context in
        let setting = try await context.core.settings.update(
            name: try context.required("name"),
            value: context.string("value")
        )
        return .object(name: "configuration", Self.render(setting))
    }

    static let reset = CommandDescriptor(
        "resetConfiguration",
        "Resets a configuration. The configuration will be set to default value for global setting.",
        roles: [.rootAdmin],
        coordinated: true,
        events: .records(CommandEvent(.configurationValueEdit, "resetting configuration")),
        parameters: [ParameterDescriptor("name", .string, required: true, "the name of the configuration")]
    ) { context in
        let setting = try await context.core.settings.reset(name: try context.required("name"))
        return .object(name: "configuration", Self.render(setting))
    }

    /// CloudStack's ConfigurationResponse of a setting's current value.
    static func render(_ setting: SettingsService.Setting) -> APIValue {
        Self.render(setting.definition, value: setting.value)
    }

    /// CloudStack's ConfigurationResponse.
    static func render(_ setting: SettingDefinition, value: String) -> APIValue {
        var members: [(String, APIValue)] = [
            ("category", .string(setting.category)), ("name", .string(setting.name)), ("value", .string(value)),
            ("defaultvalue", .string(setting.defaultValue)), ("description", .string(setting.description)),
            ("scope", .string(setting.scope)), ("isdynamic", .bool(setting.isDynamic)),
            ("component", .string(setting.component)), ("type", .string(setting.type.name)),
        ]
        if let options = setting.options { members.append(("options", .string(options))) }
        return .object(members)
    }
}
