import CloudCore
import CloudModel
import CloudStore
import Orchestrator

/// listAlerts, archiveAlerts, deleteAlerts and generateAlert (root admin only, as in CloudStack).
enum AlertCommands {
    static var all: [CommandDescriptor] { [list, archive, delete, generate] }

    static let list = CommandDescriptor(
        "listAlerts",
        "Lists all alerts.",
        roles: [.rootAdmin],
        parameters: [
            ParameterDescriptor("id", .uuid, "the ID of the alert"),
            ParameterDescriptor("type", .string, "list by alert type"),
            ParameterDescriptor("name", .string, "list by alert name"),
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        var query = try context.listQuery([("archived", "0")])
        if let type = context.string("type") {
            guard Int(type) != nil else { throw CloudError.invalidParameter(context.command, "type", type) }
            query.equals.append(("type", type))
        }
        query.keywordColumn = "description"
        query.newestFirst = true
        let page = try await context.server.store.list(Alert.self, query)
        let items = page.items.map { alert -> APIValue in
            var fields: [(String, APIValue)] = [
                ("id", .string(alert.id)), ("type", .int(alert.type)), ("name", .string(alert.name)),
                ("description", .string(alert.description)), ("sent", .string(DateFormat.string(alert.sent))),
            ]
            if let zoneId = alert.zoneId { fields.append(("zoneid", .string(zoneId))) }
            return .object(fields)
        }
        return .list(item: "alert", total: page.total, items: items)
    }

    static let selection: [ParameterDescriptor] = [
        ParameterDescriptor("ids", .list, "the IDs of the alerts"),
        ParameterDescriptor("type", .string, "the alert type"),
        ParameterDescriptor("startdate", .string, "the start date range (use format \"yyyy-MM-dd\")"),
        ParameterDescriptor("enddate", .string, "the end date range (use format \"yyyy-MM-dd\")"),
    ]

    static let archive = CommandDescriptor(
        "archiveAlerts",
        "Archive one or more alerts.",
        roles: [.rootAdmin],
        events: .unrecorded("maintains the alert log itself"),
        parameters: Self.selection
    ) { context in
        let alerts = try await Self.selected(context, verb: "archive")
        try await context.server.store.archive(Alert.self, ids: alerts.map(\.id))
        return .flat([("success", .string("true"))])
    }

    static let delete = CommandDescriptor(
        "deleteAlerts",
        "Delete one or more alerts.",
        roles: [.rootAdmin],
        events: .unrecorded("maintains the alert log itself"),
        parameters: Self.selection
    ) { context in
        let alerts = try await Self.selected(context, verb: "delete")
        try await context.server.store.deleteLogEntries(Alert.self, ids: alerts.map(\.id))
        return .flat([("success", .string("true"))])
    }

    /// The alerts `ids`/`type`/`startdate`/`enddate` select.
    /// - Throws: 431 without a selection or with a bad value; 530 when some of `ids` is not an alert.
    static func selected(_ context: CommandContext, verb: String) async throws -> [Alert] {
        let ids = context.string("ids").map { $0.split(separator: ",").map(String.init) }
        guard ids != nil || context.string("type") != nil || context.string("enddate") != nil else {
            throw CloudError(.paramError, csErrorCode: 4350, "either ids, type or enddate must be specified")
        }
        var query = ListQuery(idIn: ids)
        if let type = context.string("type") {
            guard Int(type) != nil else { throw CloudError.invalidParameter(context.command, "type", type) }
            query.equals.append(("type", type))
        }
        try EventArchiveCommands.dateRange(context, into: &query, column: "sent")
        let alerts = try await context.server.store.list(Alert.self, query).items
        if let ids, Set(alerts.map(\.id)).count < Set(ids).count {
            throw CloudError(.internalError, "Unable to \(verb) Alerts, one or more parameters has invalid values")
        }
        return alerts
    }

    static let generate = CommandDescriptor(
        "generateAlert",
        "Generates an alert",
        roles: [.rootAdmin],
        events: .unrecorded("records an alert (listAlerts), not an event"),
        parameters: [
            ParameterDescriptor("type", .integer, required: true, "Type of alert"),
            ParameterDescriptor("name", .string, required: true, "Name of the alert"),
            ParameterDescriptor("description", .string, required: true, "Alert description"),
            ParameterDescriptor("zoneid", .uuid, "Zone id for which alert is generated"),
            ParameterDescriptor("podid", .uuid, "Pod id for which alert is generated"),
        ]
    ) { context in
        let type = context.int("type") ?? 0
        let name = try context.required("name")
        if let known = AlertType.defaults.first(where: { $0.type == type }),
            known.name.lowercased() != name.lowercased()
        {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "There is a default alert having type \(type) and name \(known.name)"
            )
        }
        let zoneId = context.string("zoneid") == nil ? nil : try await context.entity(Zone.self, "zoneid").id
        let podId = context.string("podid") == nil ? nil : try await context.entity(Pod.self, "podid").id
        let description = try context.required("description")
        let alerts = context.server.alerts
        return try await context.submitJob(instanceType: "None", instanceId: nil) {
            await alerts.raise(type: type, name: name, description: description, zoneId: zoneId, podId: podId)
            return ("success", .bool(true))
        }
    }
}
