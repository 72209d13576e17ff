import ArgumentParser
import CloudAPI
import CloudCore
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension ZooStack {
    /// `zoostack call COMMAND key=value ...`: a cmk-like client. Signs with the profile's keys (signature
    /// version 3), waits for async jobs, prints the response as a table (lists) or JSON.
    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Call a CloudStack API command, signed with a profile's keys.",
            discussion: """
                The profile is a JSON file {"endpoint", "apikey", "secretkey", ...}, the shape zoostack serve \
                writes to <data-dir>/admin-credentials.json. Exit status: 0 on success, 1 when the API refused \
                the command or its job failed, 2 when the profile cannot be read or the server cannot be reached.
                """
        )

        @Option(name: .customLong("data-dir"), help: "Where the default profile lives.")
        var dataDir = "zoostack-data"

        @Option(help: "The profile file (default: <data-dir>/admin-credentials.json).")
        var profile: String?

        @Option(help: "table or json (default: table for list responses, json otherwise).")
        var output: CallOutput?

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
            let path = self.profile ?? CredentialsFile.path(dataDir: self.dataDir)
            let credentials: AdminCredentials
            do {
                credentials = try CredentialsFile.read(path)
            } catch {
                Console.error("Cannot read profile \(path): \(Self.reason(error))")
                throw ExitCode(2)
            }
            let client = APIClient(credentials: credentials)
            let pairs = self.parameters.map { parameter -> (name: String, value: String) in
                let parts = parameter.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
            do {
                var (status, body) = try await client.call(self.command, pairs)
                if status == 200, !self.noWait, let jobId = body.first?.value["jobid"]?.stringValue {
                    (status, body) = try await client.wait(jobId: jobId, progress: JobProgress.forStandardError())
                }
                let text = CallOutput.render(APIValue.object(body.map { ($0.key, $0.value) }), as: self.output)
                if !text.isEmpty { Console.out(text) }
                if status != 200 { throw ExitCode(1) }
            } catch let error as ExitCode {
                throw error
            } catch {
                Console.error("Cannot reach \(credentials.endpoint): \(Self.reason(error))")
                throw ExitCode(2)
            }
        }

        static func reason(_ error: any Error) -> String {
            if let error = error as? DecodingError {
                switch error {
                case .keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
                default: return "not a profile (JSON with endpoint, apikey and secretkey)"
                }
            }
            return (error as NSError).localizedDescription
        }
    }
}

extension CallOutput: ExpressibleByArgument {}
