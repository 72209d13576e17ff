import CloudCore
import CloudModel
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
        let page = try await context.core.alertHistory.list(
            context.access,
            context.listRequest,
            type: context.string("type")
        )
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
        try await context.core.alertHistory.archive(context.access, EventArchiveCommands.logSelection(context))
        return .flat([("success", .string("true"))])
    }

    static let delete = CommandDescriptor(
        "deleteAlerts",
        "Delete one or more alerts.",
        roles: [.rootAdmin],
        events: .unrecorded("maintains the alert log itself"),
        parameters: Self.selection
    ) { context in
        try await context.core.alertHistory.delete(context.access, EventArchiveCommands.logSelection(context))
        return .flat([("success", .string("true"))])
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
        let alerts = context.core.alertHistory
        let alert = try await alerts.prepare(
            context.access,
            GeneratedAlert(
                type: context.int("type") ?? 0,
                name: try context.required("name"),
                description: try context.required("description"),
                zoneId: context.string("zoneid"),
                podId: context.string("podid")
            )
        )
        return try await context.submitJob(instanceType: "None", instanceId: nil) {
            await alerts.raise(alert)
            return ("success", .bool(true))
        }
    }
}
