/// What a command handler returns; the envelope is added by the server.
public enum CommandResult: Sendable {
    /// A list: `{"count": total, item: [...]}`, or `{}` when total is 0.
    case list(item: String, total: Int, items: [APIValue])
    /// One object wrapped in its name: `{"virtualmachine": {...}}`.
    case object(name: String, APIValue)
    /// Members placed directly in the envelope (`success`, `queryAsyncJobResult`'s fields). A boolean `success`
    /// is written as the string CloudStack's serializer writes for a synchronous `SuccessResponse`
    /// (`"success":"true"`, which Libcloud compares with `"true"`); an async job's result keeps the boolean.
    case flat([(String, APIValue)])
    /// An async answer: `{"id": ..., "jobid": ...}`.
    case async(jobId: String, id: String?)

    /// The envelope's content.
    var body: APIValue {
        switch self {
        case .list(let item, let total, let items):
            if total == 0 { return .object([]) }
            if items.isEmpty { return .object([("count", .int(total))]) }
            return .object([("count", .int(total)), (item, .array(items))])
        case .object(let name, let value):
            return .object([(name, value)])
        case .flat(let members):
            return .object(
                members.map { name, value in
                    guard name == "success", case .bool(let success) = value else { return (name, value) }
                    return (name, .string(success ? "true" : "false"))
                }
            )
        case .async(let jobId, let id):
            return .object((id.map { [("id", APIValue.string($0))] } ?? []) + [("jobid", .string(jobId))])
        }
    }
}
