import CloudAPI
import CloudCore
import Logging
import Synchronization
import Testing

/// One log line per `/client/api` request, its facts as metadata (so `--log-format json` makes them fields).
struct APIRequestLogTests {
    /// Keeps what a logger was given.
    final class Captured: Sendable {
        let entries = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
    }

    struct CapturingHandler: LogHandler {
        let captured: Captured
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let entry = (event.message.description, self.metadata.merging(event.metadata ?? [:]) { _, new in new })
            self.captured.entries.withLock { $0.append(entry) }
        }
    }

    @Test func eachRequestLogsOneLineWithItsFacts() async throws {
        let cloud = try await TestCloud.make()
        let captured = Captured()
        let server = ManagementServer(
            core: cloud.server.core,
            logger: Logger(label: "api") { _ in CapturingHandler(captured: captured) }
        )
        let logged = TestCloud(server: server, admin: cloud.admin)
        let (status, _) = await logged.call("listZones")
        #expect(status == 200)
        let job = try await logged.deploy()
        let jobId = try #require(job["jobid"]?.stringValue)
        let (refused, _) = await logged.call("noSuchCommand")
        #expect(refused == 401)

        let lines = captured.entries.withLock { $0 }.filter { $0.message == "api request" }
        let list = try #require(lines.first { $0.metadata["command"] == "listZones" })
        #expect(list.metadata["status"] == "200")
        #expect(list.metadata["account"] == "admin")
        #expect(list.metadata["job_id"] == nil)
        #expect(Double(list.metadata["latency_ms"]?.description ?? "") != nil)
        #expect(list.metadata["request_id"]?.description.count == 36)
        let deploy = try #require(lines.first { $0.metadata["command"] == "deployVirtualMachine" })
        #expect(deploy.metadata["job_id"]?.description == jobId)
        #expect(deploy.metadata["account"] == "admin")
        // A command no one registered is labelled `unknown`, never by the client's string.
        let unknown = try #require(lines.last)
        #expect(unknown.metadata["command"] == "unknown")
        #expect(unknown.metadata["status"] == "401")
        // One line per request: listZones, the deploy's four calls (three lists, the deploy, the job query), the
        // refused one.
        #expect(lines.count == 7, "\(lines.map(\.metadata))")
        let requestIds = Set(lines.compactMap { $0.metadata["request_id"]?.description })
        #expect(requestIds.count == lines.count)
    }
}
