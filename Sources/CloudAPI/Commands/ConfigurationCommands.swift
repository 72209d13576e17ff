import CloudCore
import CloudModel
import CloudStore
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
        let query = try context.listQuery()
        let snapshot = try await context.server.configuration.snapshot()
        let name = context.string("name")?.lowercased()
        let category = context.string("category")?.lowercased()
        let keyword = context.string("keyword")?.lowercased()
        let matches = GlobalSettings.all.filter { setting in
            if let name, !setting.name.lowercased().contains(name) { return false }
            if let category, setting.category.lowercased() != category { return false }
            if let keyword {
                let fields = [setting.name, setting.category, setting.component, setting.description]
                if !fields.contains(where: { $0.lowercased().contains(keyword) }) { return false }
            }
            return true
        }
        let size = query.pageSize ?? max(matches.count, 1)
        let page = matches.paged(query.page, size: size)
        return .list(
            item: "configuration",
            total: matches.count,
            items: page.map { Self.render($0, value: snapshot.value($0.name) ?? $0.defaultValue) }
        )
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
        let name = try context.required("name")
        guard let definition = GlobalSettings.byName[name] else {
            throw CloudError(.paramError, csErrorCode: 4350, "Config parameter with name \(name) doesn't exist")
        }
        guard let value = context.string("value") else {
            let current = try await context.server.configuration.snapshot().value(name) ?? definition.defaultValue
            return .object(name: "configuration", Self.render(definition, value: current))
        }
        let stored = try await context.server.configuration.update(name: name, value: value)
        try await context.server.cluster?.publishConfiguration(name: name, value: stored)
        return .object(name: "configuration", Self.render(definition, value: stored))
    }

    static let reset = CommandDescriptor(
        "resetConfiguration",
        "Resets a configuration. The configuration will be set to default value for global setting.",
        roles: [.rootAdmin],
        coordinated: true,
        events: .records(CommandEvent(.configurationValueEdit, "resetting configuration")),
        parameters: [ParameterDescriptor("name", .string, required: true, "the name of the configuration")]
    ) { context in
        let name = try context.required("name")
        let value = try await context.server.configuration.reset(name: name)
        try await context.server.cluster?.publishConfiguration(name: name, value: nil)
        guard let definition = GlobalSettings.byName[name] else {
            throw CloudError(.paramError, csErrorCode: 4350, "Config parameter with name \(name) doesn't exist")
        }
        return .object(name: "configuration", Self.render(definition, value: value))
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
