/// An async job's status, numbered as CloudStack's `JobInfo.Status` (the `jobstatus` of `queryAsyncJobResult`).
public enum AsyncJobStatus: Int, Sendable, Hashable, Codable, CaseIterable {
    /// Pending or running.
    case inProgress = 0
    case succeeded = 1
    case failed = 2
    case cancelled = 3

    /// Whether the job has ended (it then carries its `jobresult`); a job ends once, from ``inProgress``.
    public var isDone: Bool {
        switch self {
        case .inProgress: false
        case .succeeded, .failed, .cancelled: true
        }
    }
}
