import ArgumentParser
import Foundation
import Logging
import Synchronization

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
    /// Serializes writers: lines from concurrent tasks never interleave.
    static let output = Mutex<FileHandle>(FileHandle.standardError)

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
        var object: [String: Any] = [:]
        for (key, value) in merged { object[key] = Self.json(value) }
        object["timestamp"] = Self.timestamp(Date())
        object["level"] = event.level.rawValue
        object["label"] = self.label
        object["source"] = event.source
        object["message"] = event.message.description
        guard
            var line = try? JSONSerialization.data(
                withJSONObject: object,
                options: [.sortedKeys, .withoutEscapingSlashes]
            )
        else { return }
        line.append(0x0A)
        Self.output.withLock { $0.write(line) }
    }

    /// A metadata value as JSON: strings, arrays and objects as such, string-convertibles as their description.
    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(Self.json)
        case .dictionary(let values): return values.mapValues(Self.json)
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(secondsFromGMT: 0) ?? .current)
        )
    }
}
