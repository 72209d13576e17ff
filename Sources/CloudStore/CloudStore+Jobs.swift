import CloudModel
import SQLiteKit

extension CloudStore {
    /// Records a job's outcome, once: only a job still in progress ends.
    /// - Parameters:
    ///   - id: the job.
    ///   - status: how it ended (succeeded or failed).
    ///   - resultCode: 0 or the error code.
    ///   - result: the `jobresult` JSON.
    /// - Throws: ``StoreError``.
    public func completeJob(
        id: String,
        status: AsyncJobStatus,
        resultCode: Int,
        result: String
    ) async throws(StoreError) {
        try await self.guarded("complete job") {
            try await self.sql.raw(
                """
                UPDATE async_job SET status = \(bind: status.rawValue), result_code = \(bind: resultCode), \
                result = \(bind: result), completed = \(bind: self.clock.now) WHERE id = \(bind: id) AND status = 0
                """
            ).run()
        }
    }

    /// Fails every pending job (they were running when the process died), as CloudStack does for a
    /// management server that restarts: 530, "job cancelled because of management server restart".
    /// - Returns: the jobs that were failed.
    /// - Throws: ``StoreError``.
    public func failInterruptedJobs() async throws(StoreError) -> [AsyncJob] {
        let pending = try await self.list(
            AsyncJob.self,
            ListQuery(equals: [("status", String(AsyncJobStatus.inProgress.rawValue))])
        ).items
        let text = #"{"errorcode":530,"errortext":"job cancelled because of management server restart"}"#
        for job in pending {
            try await self.completeJob(id: job.id, status: .failed, resultCode: 530, result: text)
        }
        return pending
    }

    /// Fails one job if it is still pending (the orphaned-job sweep).
    /// - Parameters:
    ///   - id: the job.
    ///   - resultCode: the error code.
    ///   - result: the `jobresult` JSON.
    /// - Returns: whether this call failed it (false when it had completed meanwhile).
    /// - Throws: ``StoreError``.
    public func failPendingJob(id: String, resultCode: Int, result: String) async throws(StoreError) -> Bool {
        let won: String? = try await self.guarded("fail job") {
            try await self.sql.raw(
                """
                UPDATE async_job SET status = 2, result_code = \(bind: resultCode), result = \(bind: result), \
                completed = \(bind: self.clock.now) WHERE id = \(bind: id) AND status = 0 RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self)
        }
        return won != nil
    }

    /// Updates a template's download status.
    /// - Parameters:
    ///   - id: the template.
    ///   - status: status text.
    ///   - isReady: whether it is ready.
    /// - Throws: ``StoreError``.
    public func setTemplateStatus(id: String, status: String, isReady: Bool) async throws(StoreError) {
        try await self.guarded("update template") {
            try await self.sql.raw(
                "UPDATE template SET status = \(bind: status), is_ready = \(bind: isReady) WHERE id = \(bind: id)"
            ).run()
        }
    }

    /// Records a finished download: its status, ready, and its size (the image's virtual size).
    /// - Parameters:
    ///   - id: the template.
    ///   - status: status text.
    ///   - size: the size in bytes.
    /// - Returns: whether the template still exists (a template deleted meanwhile is not recreated).
    /// - Throws: ``StoreError``.
    @discardableResult
    public func setTemplateDownloaded(id: String, status: String, size: Int) async throws(StoreError) -> Bool {
        let updated = try await self.guarded("update template") {
            try await self.sql.raw(
                """
                UPDATE template SET status = \(bind: status), is_ready = \(bind: true), size = \(bind: size) \
                WHERE id = \(bind: id) RETURNING id
                """
            ).first(decodingColumn: "id", as: String.self)
        }
        return updated != nil
    }
}
