import CloudModel
import CloudStore
import Orchestrator

/// The alert history (listAlerts, archiveAlerts, deleteAlerts, generateAlert; root admin only, as in CloudStack)
/// over the alert log that ``CloudServices/alerts`` writes.
public struct AlertService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The current alerts, newest first.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - request: paging, keyword (over descriptions), id and name.
    ///   - type: only alerts of this type number.
    /// - Throws: 431 for bad paging or a type that is not a number.
    public func list(_ access: Access, _ request: ListRequest, type: String?) async throws -> ListPage<Alert> {
        var query = try access.query(request, [("archived", "0")])
        if let type {
            guard Int(type) != nil else { throw access.unknown("type", type) }
            query.equals.append(("type", type))
        }
        query.keywordColumn = "description"
        query.newestFirst = true
        return try await self.store.list(Alert.self, query)
    }

    /// Archives the selected alerts.
    /// - Throws: ``selected(_:_:verb:)`` errors.
    public func archive(_ access: Access, _ selection: LogSelection) async throws {
        let alerts = try await self.selected(access, selection, verb: "archive")
        try await self.store.archive(Alert.self, ids: alerts.map(\.id))
    }

    /// Deletes the selected alerts.
    /// - Throws: ``selected(_:_:verb:)`` errors.
    public func delete(_ access: Access, _ selection: LogSelection) async throws {
        let alerts = try await self.selected(access, selection, verb: "delete")
        try await self.store.deleteLogEntries(Alert.self, ids: alerts.map(\.id))
    }

    /// The alerts a selection names.
    /// - Throws: 431 without a selection or with a bad value; 530 when some of `ids` is not an alert.
    func selected(_ access: Access, _ selection: LogSelection, verb: String) async throws -> [Alert] {
        try selection.checkNotEmpty()
        var query = ListQuery(idIn: selection.ids)
        if let type = selection.type {
            guard Int(type) != nil else { throw access.unknown("type", type) }
            query.equals.append(("type", type))
        }
        try selection.dates.apply(to: &query, column: "sent", access)
        let alerts = try await self.store.list(Alert.self, query).items
        if let ids = selection.ids, Set(alerts.map(\.id)).count < Set(ids).count {
            throw CloudError(.internalError, "Unable to \(verb) Alerts, one or more parameters has invalid values")
        }
        return alerts
    }

    /// Checks an alert to generate (generateAlert); raise it with ``raise(_:)``.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - alert: the alert.
    /// - Throws: 431 when the type number is a default type of another name, or the zone or pod is unknown.
    public func prepare(_ access: Access, _ alert: GeneratedAlert) async throws -> GeneratedAlert {
        if let known = AlertType.defaults.first(where: { $0.type == alert.type }),
            known.name.lowercased() != alert.name.lowercased()
        {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "There is a default alert having type \(alert.type) and name \(known.name)"
            )
        }
        if let zoneId = alert.zoneId, try await self.store.get(Zone.self, id: zoneId) == nil {
            throw access.unknown("zoneid", zoneId)
        }
        if let podId = alert.podId, try await self.store.get(Pod.self, id: podId) == nil {
            throw access.unknown("podid", podId)
        }
        return alert
    }

    /// Raises a checked alert (a failure to record it is logged, not thrown).
    public func raise(_ alert: GeneratedAlert) async {
        await self.services.alerts.raise(
            type: alert.type,
            name: alert.name,
            description: alert.description,
            zoneId: alert.zoneId,
            podId: alert.podId
        )
    }
}

/// An alert an administrator raises (generateAlert).
public struct GeneratedAlert: Sendable, Hashable {
    /// The type number.
    public var type: Int
    /// The type's name.
    public var name: String
    /// What happened.
    public var description: String
    /// The zone's UUID.
    public var zoneId: String?
    /// The pod's UUID.
    public var podId: String?

    /// Creates an alert.
    public init(type: Int, name: String, description: String, zoneId: String? = nil, podId: String? = nil) {
        self.type = type
        self.name = name
        self.description = description
        self.zoneId = zoneId
        self.podId = podId
    }
}

extension CloudServices {
    /// The alert history (listAlerts, archiveAlerts, deleteAlerts, generateAlert); ``alerts`` raises.
    public var alertHistory: AlertService { AlertService(services: self) }
}
