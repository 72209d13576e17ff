/// How an async job ended: the JSON of its `jobresult`, and the result code (0 on success).
public struct JobOutcome: Sendable, Hashable {
    /// 1 succeeded, 2 failed.
    public var status: Int
    /// 0, or the error code.
    public var resultCode: Int
    /// The `jobresult` JSON text.
    public var resultJSON: String

    /// A success with `resultJSON`.
    public static func success(_ resultJSON: String) -> JobOutcome {
        JobOutcome(status: 1, resultCode: 0, resultJSON: resultJSON)
    }

    /// A failure with an error code and its `{"errorcode":..,"errortext":..}` JSON.
    public static func failure(code: Int, resultJSON: String) -> JobOutcome {
        JobOutcome(status: 2, resultCode: code, resultJSON: resultJSON)
    }
}
