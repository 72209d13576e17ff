/// CloudStack's snapshot policy intervals and their schedule formats.
public enum SnapshotSchedule {
    /// The interval types in CloudStack's order (the response's numeric `intervaltype`).
    public static let intervals = ["HOURLY", "DAILY", "WEEKLY", "MONTHLY"]

    /// The canonical interval type for a caller's text, or nil when unknown.
    /// - Parameter text: e.g. `daily`.
    /// - Returns: e.g. `DAILY`.
    public static func interval(_ text: String) -> String? {
        let upper = text.uppercased()
        return Self.intervals.contains(upper) ? upper : nil
    }

    /// Whether `schedule` fits `interval`: HOURLY `MM`, DAILY `MM:HH`, WEEKLY `MM:HH:D` (day 1-7), MONTHLY
    /// `MM:HH:DD` (day 1-28).
    /// - Parameters:
    ///   - schedule: the schedule text.
    ///   - interval: a canonical interval type.
    /// - Returns: true when valid.
    public static func isValid(_ schedule: String, for interval: String) -> Bool {
        let parts = schedule.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.allSatisfy({ $0 != nil }) else { return false }
        let values = parts.compactMap { $0 }
        let expected = ["HOURLY": 1, "DAILY": 2, "WEEKLY": 3, "MONTHLY": 3][interval]
        guard let expected, values.count == expected, (0...59).contains(values[0]) else { return false }
        if values.count > 1 && !(0...23).contains(values[1]) { return false }
        if interval == "WEEKLY" && !(1...7).contains(values[2]) { return false }
        if interval == "MONTHLY" && !(1...28).contains(values[2]) { return false }
        return true
    }
}
