import CloudModel
import CloudStore
import Foundation
import Logging

/// CloudStack's alert types (`AlertService.AlertType`): the number `listAlerts` reports as `type` and its name.
public struct AlertType: Sendable, Hashable {
    /// The number.
    public var type: Int
    /// The name (`ALERT.COMPUTE.HOST`).
    public var name: String

    /// Creates a type.
    public init(_ type: Int, _ name: String) {
        self.type = type
        self.name = name
    }

    /// Memory capacity (0).
    public static let memory = AlertType(0, "ALERT.MEMORY")
    /// CPU capacity (1).
    public static let cpu = AlertType(1, "ALERT.CPU")
    /// Primary storage capacity (2).
    public static let storage = AlertType(2, "ALERT.STORAGE")
    /// Allocated primary storage (3).
    public static let storageAllocated = AlertType(3, "ALERT.STORAGE.ALLOCATED")
    /// Public IP capacity (4).
    public static let publicIP = AlertType(4, "ALERT.NETWORK.PUBLICIP")
    /// A host went down (7).
    public static let host = AlertType(7, "ALERT.COMPUTE.HOST")
    /// A user VM (HA restart failure, 8).
    public static let userVM = AlertType(8, "ALERT.USERVM")
    /// The usage server (13).
    public static let usageServer = AlertType(13, "ALERT.USAGE")
    /// A management server left or joined the cluster (14).
    public static let managementNode = AlertType(14, "ALERT.MANAGEMENT")
    /// A user VM migration (17).
    public static let userVMMigrate = AlertType(17, "ALERT.USERVM.MIGRATE")
    /// Resource count update (22).
    public static let resourceCount = AlertType(22, "ALERT.RESOURCE.COUNT")
    /// Resource limit exceeded (26).
    public static let resourceLimitExceeded = AlertType(26, "ALERT.RESOURCE.EXCEED")
    /// An HA action (30).
    public static let haAction = AlertType(30, "ALERT.HA.ACTION")

    /// A user disabled after too many failed logins (`incorrect.login.attempts.allowed`; ZooStack's own type).
    public static let userLoginDisabled = AlertType(100, "ALERT.USER.LOGIN")

    /// The default types, by number (`listAlertTypes`).
    public static let defaults: [AlertType] = [
        .memory, .cpu, .storage, .storageAllocated, .publicIP, AlertType(5, "ALERT.NETWORK.PRIVATEIP"),
        AlertType(6, "ALERT.STORAGE.SECONDARY"), .host, .userVM, AlertType(9, "ALERT.SERVICE.DOMAINROUTER"),
        AlertType(10, "ALERT.SERVICE.CONSOLEPROXY"), AlertType(11, "ALERT.NETWORK.ROUTING"),
        AlertType(12, "ALERT.STORAGE.MISC"), .usageServer, .managementNode,
        AlertType(15, "ALERT.NETWORK.DOMAINROUTERMIGRATE"), AlertType(16, "ALERT.SERVICE.CONSOLEPROXYMIGRATE"),
        .userVMMigrate, AlertType(18, "ALERT.NETWORK.VLAN"), AlertType(19, "ALERT.SERVICE.SSVM"),
        AlertType(20, "ALERT.USAGE.RESULT"), AlertType(21, "ALERT.STORAGE.DELETE"), .resourceCount,
        AlertType(23, "ALERT.USAGE.SANITY"), AlertType(24, "ALERT.NETWORK.DIRECTPUBLICIP"),
        AlertType(25, "ALERT.STORAGE.LOCAL"), .resourceLimitExceeded, AlertType(27, "ALERT.TYPE.SYNC"),
        AlertType(28, "ALERT.UPLOAD.FAILED"), AlertType(29, "ALERT.OOBM.AUTHERROR"), .haAction,
        AlertType(31, "ALERT.CA.CERT"),
    ]
}

/// Raises alerts (`listAlerts`): host down, HA restart failures, management servers leaving and joining the
/// cluster, capacity thresholds. Like the event log, a failure to record is logged, never thrown.
public struct AlertLog: Sendable {
    let store: CloudStore
    let logger: Logger
    let clock: WallClock

    /// Creates the log.
    /// - Parameters:
    ///   - store: the store holding the `alert` table.
    ///   - logger: a logger.
    /// The log reads the store's clock.
    public init(store: CloudStore, logger: Logger) {
        self.store = store
        self.logger = logger
        self.clock = store.clock
    }

    /// Raises one alert.
    /// - Parameters:
    ///   - type: the alert's type (``AlertType/host``, ``AlertType/managementNode``, ...).
    ///   - description: what happened (CloudStack's subject line).
    ///   - zoneId: the zone, when it concerns one.
    ///   - podId: the pod.
    ///   - clusterId: the cluster.
    /// - Returns: the alert's id, or nil when it could not be recorded.
    @discardableResult
    public func raise(
        _ type: AlertType,
        _ description: String,
        zoneId: String? = nil,
        podId: String? = nil,
        clusterId: String? = nil
    ) async -> String? {
        await self.raise(
            type: type.type,
            name: type.name,
            description: description,
            zoneId: zoneId,
            podId: podId,
            clusterId: clusterId
        )
    }

    /// Raises one alert of any type number and name (`generateAlert`, the cluster's management-server watch).
    /// - Parameters:
    ///   - type: the type number (14 for a management server going down or coming up).
    ///   - name: the type's name.
    ///   - description: what happened.
    ///   - zoneId: the zone.
    ///   - podId: the pod.
    ///   - clusterId: the cluster.
    /// - Returns: the alert's id, or nil when it could not be recorded.
    @discardableResult
    public func raise(
        type: Int,
        name: String,
        description: String,
        zoneId: String? = nil,
        podId: String? = nil,
        clusterId: String? = nil
    ) async -> String? {
        let alert = Alert(
            id: UUID().uuidString.lowercased(),
            type: type,
            name: name,
            description: description,
            zoneId: zoneId,
            podId: podId,
            clusterId: clusterId,
            sent: self.clock.now
        )
        do {
            try await self.store.insert(alert)
            self.logger.warning("alert", metadata: ["type": "\(name)", "description": "\(description)"])
            return alert.id
        } catch {
            self.logger.error("cannot record alert", metadata: ["type": "\(name)", "error": "\(error)"])
            return nil
        }
    }

    /// A management server left the cluster (CloudStack's `ALERT.MANAGEMENT`, type 14); the leader calls it.
    /// - Parameters:
    ///   - id: the management server's id.
    ///   - address: its address.
    public func managementServerDown(id: String, address: String) async {
        await self.raise(.managementNode, "Management server node \(address) (id: \(id)) is down")
    }

    /// A management server joined the cluster (type 14).
    /// - Parameters:
    ///   - id: the management server's id.
    ///   - address: its address.
    public func managementServerUp(id: String, address: String) async {
        await self.raise(.managementNode, "Management server node \(address) (id: \(id)) is up")
    }
}
