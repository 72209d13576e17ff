import CloudStore

/// A `startdate`/`enddate` range over a log (events, alerts) as the caller gave it: each bound parsed by the
/// adapter, or the text that did not parse, refused (431) when the range is applied, in the order CloudStack
/// checks it.
public struct LogDateRange: Sendable, Hashable {
    /// One bound of the range.
    public enum Bound: Sendable, Hashable {
        /// A time, in seconds since 1970.
        case at(Double)
        /// A text that is not a date.
        case invalid(String)
    }

    /// `startdate`: the earliest time.
    public var start: Bound?
    /// `enddate`: the latest time (the end of the day when given without a time).
    public var end: Bound?

    /// Creates a range; both bounds are optional.
    public init(start: Bound? = nil, end: Bound? = nil) {
        self.start = start
        self.end = end
    }

    /// Adds the range to a query on `column`.
    /// - Throws: 431 naming `startdate` or `enddate` when it is not a date.
    func apply(to query: inout ListQuery, column: String, _ access: Access) throws(CloudError) {
        switch self.start {
        case .at(let start)?: query.atLeast.append((column, start))
        case .invalid(let text)?: throw access.unknown("startdate", text)
        case nil: break
        }
        switch self.end {
        case .at(let end)?: query.atMost.append((column, end))
        case .invalid(let text)?: throw access.unknown("enddate", text)
        case nil: break
        }
    }
}

/// The entries of a log that archiveEvents/deleteEvents and archiveAlerts/deleteAlerts act on.
public struct LogSelection: Sendable, Hashable {
    /// The entries' UUIDs (`ids`).
    public var ids: [String]?
    /// The entries' type (`type`).
    public var type: String?
    /// The entries' time range (`startdate`, `enddate`).
    public var dates: LogDateRange

    /// Creates a selection.
    public init(ids: [String]? = nil, type: String? = nil, dates: LogDateRange = LogDateRange()) {
        self.ids = ids
        self.type = type
        self.dates = dates
    }

    /// 431 unless the selection names ids, a type or an end date (CloudStack refuses to act on a whole log).
    func checkNotEmpty() throws(CloudError) {
        guard self.ids != nil || self.type != nil || self.dates.end != nil else {
            throw CloudError(.paramError, csErrorCode: 4350, "either ids, type or enddate must be specified")
        }
    }
}
