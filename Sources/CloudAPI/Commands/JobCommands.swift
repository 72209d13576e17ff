import CloudCore
import CloudModel

/// queryAsyncJobResult and listAsyncJobs.
enum JobCommands {
    static var all: [CommandDescriptor] { [queryAsyncJobResult, listAsyncJobs] }

    static func fields(_ job: AsyncJob) -> [(String, APIValue)] {
        var fields: [(String, APIValue)] = [
            ("jobid", .string(job.id)), ("accountid", .string(job.accountId)), ("userid", .string(job.userId)),
            ("cmd", .string(job.cmd)), ("jobstatus", .int(job.status)), ("jobprocstatus", .int(0)),
            ("jobresultcode", .int(job.resultCode)), ("jobinstancetype", .string(job.instanceType)),
        ]
        if let instance = job.instanceId { fields.append(("jobinstanceid", .string(instance))) }
        fields.append(("created", .string(DateFormat.string(job.created))))
        if let completed = job.completed { fields.append(("completed", .string(DateFormat.string(completed)))) }
        if job.status != 0, let result = job.result {
            fields.append(("jobresulttype", .string("object")))
            fields.append(("jobresult", .rawJSON(result)))
        }
        return fields
    }

    static let queryAsyncJobResult = CommandDescriptor(
        "queryAsyncJobResult",
        "Retrieves the current status of asynchronous job.",
        parameters: [ParameterDescriptor("jobid", .uuid, required: true, "the ID of the asynchronous job")]
    ) { context in
        let job = try await context.core.jobQueries.job(context.access, id: try context.required("jobid"))
        return .flat(Self.fields(job))
    }

    static let listAsyncJobs = CommandDescriptor(
        "listAsyncJobs",
        "Lists all pending asynchronous jobs for the account.",
        parameters: ListParameters.all + ListParameters.scope
    ) { context in
        let page = try await context.core.jobQueries.list(context.access, context.listRequest)
        return .list(item: "asyncjobs", total: page.total, items: page.items.map { .object(Self.fields($0)) })
    }
}
