import CloudModel

/// CloudStack's date format, `yyyy-MM-dd'T'HH:mm:ssZ` in UTC (e.g. `2026-11-24T21:00:00+0000`).
///
/// Formatted by arithmetic (Howard Hinnant's days-to-civil algorithm), not a `DateFormatter`: every VM and job
/// in a response carries a date, and a formatter per call was a tenth of a job poll's CPU.
enum DateFormat {
    private static let clamp = 100_000_000_000_000

    static func string(_ seconds: Double) -> String {
        // Clamped to ±3 million years: a stored time of any value (even inf or NaN) formats without trapping.
        let whole = min(max(Int(saturating: seconds.rounded(.down)), -Self.clamp), Self.clamp)
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let secondOfDay = whole - days * 86_400
        let (year, month, day) = Self.civil(days: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(year)
        let paddedYear = String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText
        return "\(paddedYear)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):"
            + "\(two(secondOfDay % 60))+0000"
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
