import CloudModel
import CloudStore

/// queryAsyncJobResult and listAsyncJobs: the async jobs a caller may see.
public struct JobQueries: Sendable {
    let services: CloudServices

    /// The job with this UUID, when the caller may see it: a user its account's, an admin those of the accounts
    /// in its reach.
    /// - Throws: 431 naming `parameter` when unknown or out of reach.
    public func job(_ access: Access, id: String, parameter: String = "jobid") async throws -> AsyncJob {
        guard let job = try await self.services.store.get(AsyncJob.self, id: id) else {
            throw access.unknown(parameter, id)
        }
        let visible =
            access.caller.role == .user
            ? job.accountId == access.caller.account.id
            : try await access.mayAccess(accountId: job.accountId)
        guard visible else { throw access.unknown(parameter, job.id) }
        return job
    }

    /// The jobs the caller may see, narrowed by the request's scope.
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(_ access: Access, _ request: ListRequest) async throws -> ListPage<AsyncJob> {
        try await self.services.store.list(AsyncJob.self, try await access.scopedQuery(request))
    }
}

extension CloudServices {
    /// The async jobs as callers query them.
    public var jobQueries: JobQueries { JobQueries(services: self) }
}
