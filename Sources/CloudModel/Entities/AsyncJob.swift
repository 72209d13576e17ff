/// An async job row, as `queryAsyncJobResult` reports it.
public struct AsyncJob: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Account UUID.
    public var accountId: String
    /// User UUID.
    public var userId: String
    /// Command class name.
    public var cmd: String
    /// 0 pending, 1 succeeded, 2 failed, as stored; compare ``jobStatus`` instead.
    public var status: Int
    /// 0, or the error code.
    public var resultCode: Int
    /// The JSON of `jobresult`, when done.
    public var result: String?
    /// `VirtualMachine`, ...
    public var instanceType: String
    /// The instance UUID.
    public var instanceId: String?
    /// Creation time.
    public var created: Double
    /// Completion time.
    public var completed: Double?
    /// The id of the management server running it (nil for jobs of a server outside a cluster's bookkeeping).
    public var owner: String?

    /// Creates a job.
    public init(
        id: String,
        accountId: String,
        userId: String,
        cmd: String,
        status: Int = 0,
        resultCode: Int = 0,
        result: String? = nil,
        instanceType: String,
        instanceId: String?,
        created: Double,
        completed: Double? = nil,
        owner: String? = nil
    ) {
        self.id = id
        self.accountId = accountId
        self.userId = userId
        self.cmd = cmd
        self.status = status
        self.resultCode = resultCode
        self.result = result
        self.instanceType = instanceType
        self.instanceId = instanceId
        self.created = created
        self.completed = completed
        self.owner = owner
    }

    /// The status, typed; nil for a stored status this version does not know.
    public var jobStatus: AsyncJobStatus? { AsyncJobStatus(rawValue: self.status) }
}
