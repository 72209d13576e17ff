import ArgumentParser
import CloudAPI
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension ZooStack {
    /// `zoostack call COMMAND key=value ...`: a cmk-like client. Signs with the profile's keys (signature
    /// version 3), waits for async jobs, prints the JSON response.
    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Call a CloudStack API command, signed with a profile's keys."
        )

        @Option(name: .customLong("data-dir"), help: "Where the default profile lives.")
        var dataDir = "zoostack-data"

        @Option(help: "The profile (default: <data-dir>/admin-credentials.json).")
        var profile: String?

        @Flag(name: .customLong("no-wait"), help: "Print the job id of an async command instead of waiting.")
        var noWait = false

        @Argument(help: "The API command, e.g. listZones.")
        var command: String

        @Argument(help: "Parameters as key=value.")
        var parameters: [String] = []

        func validate() throws {
            for parameter in self.parameters where !parameter.contains("=") {
                throw ValidationError("'\(parameter)' is not key=value.")
            }
        }

        func run() async throws {
            let credentials = try CredentialsFile.read(self.profile ?? CredentialsFile.path(dataDir: self.dataDir))
            let client = APIClient(credentials: credentials)
            let pairs = self.parameters.map { parameter -> (name: String, value: String) in
                let parts = parameter.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
            var (status, body) = try await client.call(self.command, pairs)
            if status == 200, !self.noWait, let jobId = body.first?.value["jobid"]?.stringValue {
                (status, body) = try await client.wait(jobId: jobId)
            }
            Console.out(APIValue.object(body.map { ($0.key, $0.value) }).json)
            if status != 200 { throw ExitCode(1) }
        }
    }
}
