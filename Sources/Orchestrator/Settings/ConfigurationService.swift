import CloudModel
import CloudStore
import Logging
import Synchronization

/// The read side of the global settings: the stored overrides over ``GlobalSettings`` defaults, cached in memory
/// so the planner can read them on every decision for the cost of one lock.
///
/// `update(name:value:)` validates, stores and applies a change made here; `apply(name:value:)` is how this server
/// is told of a change made elsewhere (a ZooKeeper watch on `/config/KEY`), without touching the database.
/// Observers registered with `observe(_:)` hear of both.
public final class ConfigurationService: Sendable {
    /// The settings' values at one moment, with the placement settings derived from them.
    public struct Snapshot: Sendable {
        /// The stored overrides in force (name → value, normalised): only values `updateConfiguration` would
        /// accept.
        public let overrides: [String: String]
        /// Stored overrides that ``SettingDefinition/validate(_:)`` refuses (written behind the API's back): ignored,
        /// their settings keep their defaults.
        public let rejected: [String: String]
        /// The planner's settings, derived once per change.
        public let placement: PlacementSettings

        /// Creates a snapshot from overrides; a value of a known setting that fails its validation is left out
        /// (listed in ``rejected``), so nothing computed from a setting sees a value the API would refuse.
        /// - Parameter overrides: name → value.
        public init(overrides: [String: String]) {
            var accepted: [String: String] = [:]
            var rejected: [String: String] = [:]
            for (name, value) in overrides {
                if let definition = GlobalSettings.byName[name] {
                    if let normalized = definition.accepted(value) {
                        accepted[name] = normalized
                    } else {
                        rejected[name] = value
                    }
                } else {
                    accepted[name] = value
                }
            }
            self.overrides = accepted
            self.rejected = rejected
            var values: [String: String] = [:]
            for definition in GlobalSettings.placement {
                values[definition.name] = accepted[definition.name] ?? definition.defaultValue
            }
            self.placement = PlacementSettings(configuration: values)
        }

        /// A setting's value: its override, else its default (nil for an unknown name).
        /// - Parameter name: the setting.
        /// - Returns: the value.
        public func value(_ name: String) -> String? {
            self.overrides[name] ?? GlobalSettings.byName[name]?.defaultValue
        }

        /// A whole-number setting.
        /// - Parameter name: the setting.
        /// - Returns: the value, or nil when absent or not a number.
        public func int(_ name: String) -> Int? {
            self.value(name).flatMap { Int($0) }
        }

        /// A decimal setting.
        /// - Parameter name: the setting.
        /// - Returns: the value, or nil when absent or not a number.
        public func double(_ name: String) -> Double? {
            self.value(name).flatMap { Double($0) }
        }

        /// A boolean setting.
        /// - Parameter name: the setting.
        /// - Returns: the value, or nil when absent or not a boolean.
        public func bool(_ name: String) -> Bool? {
            self.value(name).flatMap { Bool($0.lowercased()) }
        }
    }

    /// What observers are told: the setting's name and its new value.
    public typealias Observer = @Sendable (_ name: String, _ value: String) -> Void

    private let store: CloudStore
    private let logger: Logger
    private let state: Mutex<Snapshot?>
    private let observers: Mutex<[Observer]>

    /// Creates the service; values load from the store on first use.
    /// - Parameters:
    ///   - store: the store holding the `configuration` table.
    ///   - logger: where ignored (invalid) stored or pushed values are reported.
    public init(store: CloudStore, logger: Logger = Logger(label: "zoostack.configuration")) {
        self.store = store
        self.logger = logger
        self.state = Mutex(nil)
        self.observers = Mutex([])
    }

    /// The current values, loading them from the store the first time.
    /// - Returns: the snapshot.
    /// - Throws: ``OrchestratorError`` when the store cannot be read.
    public func snapshot() async throws(OrchestratorError) -> Snapshot {
        if let snapshot = self.state.withLock({ $0 }) { return snapshot }
        return try await self.reload()
    }

    /// The values loaded so far, or the defaults before the first load (never waits).
    public var cached: Snapshot {
        self.state.withLock { $0 } ?? Snapshot(overrides: [:])
    }

    /// Reads every override from the store again.
    /// - Returns: the new snapshot.
    /// - Throws: ``OrchestratorError`` when the store cannot be read.
    @discardableResult
    public func reload() async throws(OrchestratorError) -> Snapshot {
        let overrides: [String: String]
        do {
            overrides = try await self.store.configurationValues()
        } catch {
            throw OrchestratorError(.internalError, "Internal error executing command")
        }
        let snapshot = Snapshot(overrides: overrides)
        for (name, value) in snapshot.rejected.sorted(by: { $0.key < $1.key }) {
            self.logger.error(
                "ignoring an invalid stored value of a setting; its default applies",
                metadata: [
                    "setting": "\(name)", "value": "\(value.prefix(64))",
                    "default": "\(GlobalSettings.byName[name]?.defaultValue ?? "")",
                ]
            )
            // The host rows carry the overprovisioning factors the capacity compare-and-set checks: they get the
            // default too, so no reservation is judged against the ignored value.
            try? await self.syncHosts(name: name, value: GlobalSettings.byName[name]?.defaultValue ?? "")
        }
        self.state.withLock { $0 = snapshot }
        return snapshot
    }

    /// Validates, stores and applies a new value (`updateConfiguration`).
    /// - Parameters:
    ///   - name: the setting.
    ///   - value: the new value.
    /// - Returns: the value stored (trimmed; options in their canonical case).
    /// - Throws: ``OrchestratorError`` 431 for an unknown setting or a bad value, with CloudStack's texts.
    @discardableResult
    public func update(name: String, value: String) async throws(OrchestratorError) -> String {
        guard let definition = GlobalSettings.byName[name] else {
            throw OrchestratorError(.invalidParameter, "Config parameter with name \(name) doesn't exist")
        }
        let normalized: String
        switch definition.validate(value) {
        case .success(let value): normalized = value
        case .failure(let error): throw OrchestratorError(.invalidParameter, error.text)
        }
        do {
            try await self.store.setConfiguration(name: name, value: normalized)
            try await self.syncHosts(name: name, value: normalized)
        } catch {
            throw OrchestratorError(.internalError, "Internal error executing command")
        }
        _ = try await self.snapshot()
        self.apply(name: name, value: normalized)
        return normalized
    }

    /// Removes a setting's override (`resetConfiguration`), so its default applies again.
    /// - Parameter name: the setting.
    /// - Returns: the default now in force.
    /// - Throws: ``OrchestratorError`` 431 for an unknown setting.
    @discardableResult
    public func reset(name: String) async throws(OrchestratorError) -> String {
        guard let definition = GlobalSettings.byName[name] else {
            throw OrchestratorError(.invalidParameter, "Config parameter with name \(name) doesn't exist")
        }
        do {
            try await self.store.deleteConfiguration(name: name)
            try await self.syncHosts(name: name, value: definition.defaultValue)
        } catch {
            throw OrchestratorError(.internalError, "Internal error executing command")
        }
        _ = try await self.snapshot()
        self.apply(name: name, value: nil)
        return definition.defaultValue
    }

    /// Takes a change made elsewhere (another management server's `updateConfiguration`, seen through a
    /// ZooKeeper watch): updates the cache and tells the observers; nil resets the setting to its default.
    ///
    /// The value is validated exactly as `updateConfiguration` validates it: an unknown setting or a value it
    /// would refuse (anyone who can write `/zoostack/config` could push one) is logged and ignored.
    /// - Parameters:
    ///   - name: the setting.
    ///   - value: its new value, or nil for the default.
    /// - Returns: whether the change was applied.
    @discardableResult
    public func apply(name: String, value: String?) -> Bool {
        guard let definition = GlobalSettings.byName[name] else {
            self.logger.error("ignoring a pushed value of an unknown setting", metadata: ["setting": "\(name)"])
            return false
        }
        var value = value
        if let given = value {
            switch definition.validate(given) {
            case .success(let normalized):
                value = normalized
            case .failure(let error):
                self.logger.error(
                    "ignoring an invalid pushed value of a setting",
                    metadata: ["setting": "\(name)", "value": "\(given.prefix(64))", "error": "\(error.text)"]
                )
                return false
            }
        }
        self.state.withLock { state in
            // Not loaded yet: the first snapshot reads the database, which already holds the change.
            guard let current = state else { return }
            var overrides = current.overrides
            overrides[name] = value
            state = Snapshot(overrides: overrides)
        }
        switch name {
        case PlacementSettings.Key.cpuOverprovisioningFactor, PlacementSettings.Key.memoryOverprovisioningFactor:
            // The writer updated every host row's factor; this server's host inventory must re-read them.
            self.store.hostChanges.changedAll()
        default:
            break
        }
        let current = value ?? GlobalSettings.byName[name]?.defaultValue ?? ""
        for observer in self.observers.withLock({ $0 }) {
            observer(name, current)
        }
        return true
    }

    /// Registers a function called after every change.
    /// - Parameter observer: called with the setting's name and new value.
    public func observe(_ observer: @escaping Observer) {
        self.observers.withLock { $0.append(observer) }
    }

    /// The overprovisioning factors also live on every host row, where the capacity compare-and-set checks them.
    private func syncHosts(name: String, value: String) async throws(StoreError) {
        switch name {
        case PlacementSettings.Key.cpuOverprovisioningFactor:
            try await self.store.setHostOverprovisioning(cpu: Double(value), memory: nil)
        case PlacementSettings.Key.memoryOverprovisioningFactor:
            try await self.store.setHostOverprovisioning(cpu: nil, memory: Double(value))
        default:
            break
        }
    }
}
