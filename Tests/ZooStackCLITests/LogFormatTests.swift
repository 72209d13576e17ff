import Foundation
import Testing

/// `--log-format json`: one JSON object a line on standard error, for log shippers; text stays the default.
@Suite(.serialized)
struct LogFormatTests {
    /// The log lines of a stopped `zoostack zookeeper` run with `arguments` (its one stdout line left out).
    static func zookeeperLog(_ arguments: [String]) async throws -> [Substring] {
        let zookeeper = try BackgroundZooStack(
            ["zookeeper", "--port", "0", "--metrics-port", "0", "--in-memory"] + arguments
        )
        defer { zookeeper.stop() }
        _ = try await zookeeper.line(startingWith: "ZooKeeper-compatible server listening on ")
        kill(zookeeper.process.processIdentifier, SIGTERM)
        zookeeper.process.waitUntilExit()
        let output = zookeeper.output
        #expect(zookeeper.process.terminationStatus == 0, "\(output)")
        return output.split(separator: "\n").filter { !$0.hasPrefix("ZooKeeper-compatible server") }
    }

    @Test func jsonIsOneObjectALineWithTheFieldsAndMetadata() async throws {
        let lines = try await Self.zookeeperLog(["--log-format", "json"])
        #expect(lines.count >= 2, "\(lines)")
        var messages: [String] = []
        for line in lines {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                "not a JSON object: \(line)"
            )
            #expect(object["level"] as? String == "info", "\(line)")
            #expect(object["label"] as? String == "zoostack.zookeeper", "\(line)")
            #expect(object["source"] as? String == "ZooKeeperServer", "\(line)")
            let timestamp = try #require(object["timestamp"] as? String)
            #expect(
                (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(timestamp)) != nil,
                "\(timestamp)"
            )
            messages.append(try #require(object["message"] as? String))
            if object["message"] as? String == "ZooKeeper server listening" {
                // Metadata keys are fields of their own.
                #expect((object["address"] as? String)?.hasPrefix("127.0.0.1:") == true, "\(line)")
                #expect(object["dataDir"] as? String == "(memory)", "\(line)")
            }
        }
        #expect(messages.contains("ZooKeeper server listening"))
        #expect(messages.contains("ZooKeeper server stopped"))
    }

    @Test func textStaysTheDefault() async throws {
        let lines = try await Self.zookeeperLog([])
        #expect(
            lines.contains { $0.contains(" info zoostack.zookeeper: ") && $0.hasSuffix("ZooKeeper server stopped") }
        )
        #expect(!lines.contains { $0.hasPrefix("{") })
    }

    @Test func anUnknownFormatIsAUsageError() async throws {
        let result = try await ZooStackExecutable.run(["zookeeper", "--log-format", "xml"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--log-format"), "\(result.stderr)")
    }
}
