import Foundation
import Testing

@testable import CloudAPI

@Suite("CloudStack date format")
struct DateFormatTests {
    @Test("matches DateFormatter on dates across eras, leap days and day boundaries")
    func matchesFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssZ"
        var generator = SystemRandomNumberGenerator()
        var samples: [Double] = [0, -1, 86_399, 86_400, 951_782_400, 951_868_799, 4_107_542_399, 1_795_000_000.75]
        for _ in 0..<2000 { samples.append(Double(Int.random(in: -2_000_000_000...8_000_000_000, using: &generator))) }
        for seconds in samples {
            #expect(
                DateFormat.string(seconds)
                    == formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down))),
                "\(seconds)"
            )
        }
    }
}
