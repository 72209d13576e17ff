import CloudModel

/// How an async job ended: the JSON of its `jobresult`, and the result code (0 on success).
public struct JobOutcome: Sendable, Hashable {
    /// ``AsyncJobStatus/succeeded`` or ``AsyncJobStatus/failed``.
    public var status: AsyncJobStatus
    /// 0, or the error code.
    public var resultCode: Int
    /// The `jobresult` JSON text.
    public var resultJSON: String

    /// A success with `resultJSON`.
    public static func success(_ resultJSON: String) -> JobOutcome {
        JobOutcome(status: .succeeded, resultCode: 0, resultJSON: resultJSON)
    }

    /// A failure with an error code and its `{"errorcode":..,"errortext":..}` JSON.
    public static func failure(code: Int, resultJSON: String) -> JobOutcome {
        JobOutcome(status: .failed, resultCode: code, resultJSON: resultJSON)
    }
}
