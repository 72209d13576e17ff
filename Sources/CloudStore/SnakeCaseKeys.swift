import SQLKit
import Synchronization

/// Row decoding with snake-case columns, the conversion of each property name done once per process.
///
/// SQLKit's `.convertFromSnakeCase` converts every key of every row again, which was a quarter of the CPU of a
/// deployment; this strategy looks the converted name up in a table filled on first use.
enum SnakeCaseKeys {
    private static let cache = Mutex<[String: String]>([:])

    /// The decoding strategy every row read uses.
    static let strategy: SQLRowDecoder.KeyDecodingStrategy = .custom { path in
        let key = path.last?.stringValue ?? ""
        if let known = Self.cache.withLock({ $0[key] }) { return Column(key: known) }
        let converted = Self.snakeCased(key)
        Self.cache.withLock { $0[key] = converted }
        return Column(key: converted)
    }

    /// `cpuOverprovisioning` → `cpu_overprovisioning`, `myURLValue` → `my_url_value` (Foundation's rule: a word
    /// starts at an upper-case letter after a lower-case one or a digit, and at the last capital of a run
    /// followed by a lower-case letter).
    static func snakeCased(_ key: String) -> String {
        let characters = Array(key)
        var out = ""
        out.reserveCapacity(characters.count + 4)
        for (index, character) in characters.enumerated() {
            if character.isUppercase && index > 0 {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                    out.append("_")
                }
            }
            out += character.lowercased()
        }
        return out
    }

    private struct Column: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(key: String) { self.stringValue = key }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
