import ArgumentParser
import Logging
import QEMU
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How the long-running commands (`serve`, `agent`, `zookeeper`) write their logs to standard error: swift-log's
/// text lines for people, or one JSON object a line for log shippers (`--log-format json`).
package enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text
    case json

    /// Installs the format for the whole process; call it once, before the first logger is made.
    package func bootstrap() {
        switch self {
        case .text: break
        case .json: LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        }
    }
}

/// One JSON object a line on standard error: `timestamp` (ISO 8601 with milliseconds, UTC), `level`, `label`,
/// `source`, `message`, and the metadata's keys (a key of the metadata never replaces one of those six).
struct JSONLogHandler: LogHandler {
    /// Serializes writers on standard error: lines from concurrent tasks never interleave.
    static let output = Mutex<Int32>(2)

    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var object: [String: JSONValue] = [:]
        for (key, value) in merged { object[key] = Self.json(value) }
        object["timestamp"] = .string(Self.timestamp(Date()))
        object["level"] = .string(event.level.rawValue)
        object["label"] = .string(self.label)
        object["source"] = .string(event.source)
        object["message"] = .string(event.message.description)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? Array(encoder.encode(JSONValue.object(object))) else { return }
        line.append(0x0A)
        Self.output.withLock { _ = FileBytes.writeAll(line, to: $0) }
    }

    /// A metadata value as JSON: strings, arrays and objects as such, string-convertibles as their description.
    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): return .string(text)
        case .stringConvertible(let convertible): return .string(convertible.description)
        case .array(let values): return .array(values.map(Self.json))
        case .dictionary(let values): return .object(values.mapValues(Self.json))
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(secondsFromGMT: 0) ?? .current)
        )
    }
}
