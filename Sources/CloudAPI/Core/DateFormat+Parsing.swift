/// Parsing of CloudStack's `DATE` parameters (`startdate`, `enddate`): `yyyy-MM-dd`, `yyyy-MM-dd HH:mm:ss`
/// and the response format `yyyy-MM-dd'T'HH:mm:ssZ`, in UTC.
extension DateFormat {
    /// Seconds since 1970 of a date parameter.
    /// - Parameters:
    ///   - text: the value.
    ///   - endOfDay: whether a date without a time means its last second (CloudStack's rule for `enddate`).
    /// - Returns: the time, or nil when the text is not a date.
    static func parse(_ text: String, endOfDay: Bool = false) -> Double? {
        var body = Substring(text)
        var offset = 0
        if let plus = body.lastIndex(where: { $0 == "+" || $0 == "Z" }),
            body.distance(from: body.startIndex, to: plus) >= 10
        {
            let zone = body[plus...]
            if zone == "Z" {
                offset = 0
            } else {
                let digits = zone.dropFirst().filter(\.isNumber)
                guard digits.count == 4, let value = Int(digits) else { return nil }
                offset = (value / 100) * 3600 + (value % 100) * 60
            }
            body = body[..<plus]
        }
        let parts = body.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard (1...2).contains(parts.count) else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        // Four-digit years only: a client's year of 2^62 must not overflow the day arithmetic.
        guard date.count == 3, let year = date[0], let month = date[1], let day = date[2], (0...9999).contains(year),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = endOfDay ? 86_399 : 0
        if parts.count == 2 {
            let time = parts[1].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
            guard (2...3).contains(time.count), let hour = time[0], let minute = time[1], (0...23).contains(hour),
                (0...59).contains(minute)
            else { return nil }
            let second = time.count == 3 ? time[2] : 0
            guard let second, (0...60).contains(second) else { return nil }
            seconds = hour * 3600 + minute * 60 + second
        }
        return Double(Self.days(year: year, month: month, day: day) * 86_400 + seconds - offset)
    }

    /// The day count since 1970-01-01 of a proleptic Gregorian date (the inverse of ``civil(days:)``).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthPrime = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthPrime + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
