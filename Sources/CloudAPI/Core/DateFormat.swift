import Foundation

/// CloudStack's date format, `yyyy-MM-dd'T'HH:mm:ssZ` (e.g. `2026-11-24T21:00:00+0000`).
enum DateFormat {
    static func string(_ seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssZ"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
