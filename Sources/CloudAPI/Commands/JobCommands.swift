import CloudCore
import CloudModel
import CloudStore

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

    /// A job is visible to its account and to admins whose reach covers that account.
    static func visible(_ job: AsyncJob, to context: CommandContext) async throws -> Bool {
        context.caller.role == .user
            ? job.accountId == context.caller.account.id
            : try await context.mayAccess(accountId: job.accountId)
    }

    static let queryAsyncJobResult = CommandDescriptor(
        "queryAsyncJobResult",
        "Retrieves the current status of asynchronous job.",
        parameters: [ParameterDescriptor("jobid", .uuid, required: true, "the ID of the asynchronous job")]
    ) { context in
        let job = try await context.entity(AsyncJob.self, "jobid")
        guard try await Self.visible(job, to: context) else {
            throw CloudError.invalidParameter(context.command, "jobid", job.id)
        }
        return .flat(Self.fields(job))
    }

    static let listAsyncJobs = CommandDescriptor(
        "listAsyncJobs",
        "Lists all pending asynchronous jobs for the account.",
        parameters: ListParameters.all + ListParameters.scope
    ) { context in
        let page = try await context.server.store.list(AsyncJob.self, try await context.scopedListQuery())
        return .list(item: "asyncjobs", total: page.total, items: page.items.map { .object(Self.fields($0)) })
    }
}
