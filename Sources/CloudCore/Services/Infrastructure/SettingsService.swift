import CloudModel
import Orchestrator

/// listConfigurations, updateConfiguration and resetConfiguration over ``ConfigurationService``: the global
/// settings of `GlobalSettings`, published to every server of a cluster when they change.
public struct SettingsService: Sendable {
    let services: CloudServices

    /// A setting with its current value.
    public struct Setting: Sendable {
        /// The setting.
        public var definition: SettingDefinition
        /// Its value (the default when never set).
        public var value: String
    }

    /// The settings whose name contains `name`, of `category`, and with `keyword` in their name, category,
    /// component or description (all in any case), paged.
    /// - Throws: 431 for bad paging; the settings' errors.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        name: String?,
        category: String?
    ) async throws -> ListPage<Setting> {
        _ = try access.query(request)
        let snapshot = try await self.services.configuration.snapshot()
        let name = name?.lowercased()
        let category = category?.lowercased()
        let keyword = request.keyword?.lowercased()
        let matches = GlobalSettings.all.filter { setting in
            if let name, !setting.name.lowercased().contains(name) { return false }
            if let category, setting.category.lowercased() != category { return false }
            if let keyword {
                let fields = [setting.name, setting.category, setting.component, setting.description]
                if !fields.contains(where: { $0.lowercased().contains(keyword) }) { return false }
            }
            return true
        }
        let page = try access.pageInMemory(matches, request)
        return ListPage(
            total: page.total,
            items: page.items.map { Setting(definition: $0, value: snapshot.value($0.name) ?? $0.defaultValue) }
        )
    }

    /// Sets a setting and publishes it to the cluster; without a value, only reads it.
    /// - Throws: 431 for an unknown setting or a value it refuses.
    public func update(name: String, value: String?) async throws -> Setting {
        guard let definition = GlobalSettings.byName[name] else { throw Self.unknown(name) }
        guard let value else {
            let current = try await self.services.configuration.snapshot().value(name) ?? definition.defaultValue
            return Setting(definition: definition, value: current)
        }
        let stored = try await self.services.configuration.update(name: name, value: value)
        try await self.services.cluster?.publishConfiguration(name: name, value: stored)
        return Setting(definition: definition, value: stored)
    }

    /// Resets a setting to its default and publishes that to the cluster.
    /// - Throws: 431 for an unknown setting.
    public func reset(name: String) async throws -> Setting {
        let value = try await self.services.configuration.reset(name: name)
        try await self.services.cluster?.publishConfiguration(name: name, value: nil)
        guard let definition = GlobalSettings.byName[name] else { throw Self.unknown(name) }
        return Setting(definition: definition, value: value)
    }

    static func unknown(_ name: String) -> CloudError {
        CloudError(.paramError, csErrorCode: 4350, "Config parameter with name \(name) doesn't exist")
    }
}

extension CloudServices {
    /// The global settings as the API lists and changes them.
    public var settings: SettingsService { SettingsService(services: self) }
}
