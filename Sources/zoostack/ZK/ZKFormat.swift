import ZooKeeperProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// zkCli.sh's text formats: the Stat block, `java.util.Date.toString()`, jute's CSV `Id`, `List.toString()`.
enum ZKFormat {
    /// The lines zkCli.sh prints for a Stat (`StatPrinter`).
    /// - Parameter stat: the Stat.
    /// - Returns: eleven lines.
    static func statLines(_ stat: Stat) -> [String] {
        [
            "cZxid = \(self.hex(stat.czxid))",
            "ctime = \(self.javaDate(milliseconds: stat.ctime))",
            "mZxid = \(self.hex(stat.mzxid))",
            "mtime = \(self.javaDate(milliseconds: stat.mtime))",
            "pZxid = \(self.hex(stat.pzxid))",
            "cversion = \(stat.cversion)",
            "dataVersion = \(stat.version)",
            "aclVersion = \(stat.aversion)",
            "ephemeralOwner = \(self.hex(stat.ephemeralOwner))",
            "dataLength = \(stat.dataLength)",
            "numChildren = \(stat.numChildren)",
        ]
    }

    /// `"0x" + Long.toHexString(value)`: lower case, two's complement for negative values.
    /// - Parameter value: the number.
    /// - Returns: its hex text.
    static func hex(_ value: Int64) -> String {
        "0x" + String(UInt64(bitPattern: value), radix: 16)
    }

    /// `new Date(ms).toString()`: `EEE MMM dd HH:mm:ss zzz yyyy` in the local time zone, e.g.
    /// `Wed Nov 25 08:26:18 UTC 2026`.
    /// - Parameter milliseconds: epoch milliseconds.
    /// - Returns: the date text.
    static func javaDate(milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return String(milliseconds) }
        var buffer = [CChar](repeating: 0, count: 64)
        // strftime's C-locale names are Java's English ones; %Z is the zone abbreviation Java prints too.
        let count = strftime(&buffer, buffer.count, "%a %b %d %H:%M:%S %Z %Y", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The two lines zkCli.sh's getAcl prints per entry: the `Id` in jute's CSV form, then its permissions.
    /// - Parameter acl: the entry.
    /// - Returns: `'world,'anyone` and `: cdrwa`.
    static func aclLines(_ acl: ACL) -> [String] {
        ["'\(self.csvEscaped(acl.id.scheme)),'\(self.csvEscaped(acl.id.id))", ": \(acl.perms.letters)"]
    }

    /// `java.util.List.toString()` of names: `[a, b]`.
    /// - Parameter names: the names.
    /// - Returns: the text.
    static func list(_ names: [String]) -> String {
        "[" + names.joined(separator: ", ") + "]"
    }

    /// Jute's `Utils.toCSVString` escaping.
    private static func csvEscaped(_ text: String) -> String {
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\0": out += "%00"
            case "\n": out += "%0A"
            case "\r": out += "%0D"
            case ",": out += "%2C"
            case "}": out += "%7D"
            case "%": out += "%25"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
