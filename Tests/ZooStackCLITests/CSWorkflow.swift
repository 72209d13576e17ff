import Foundation
import Testing

/// A Python `cs` workflow script of Resources/ run against a served cloud: it prints `PASS <check>` per check,
/// `FAIL <check>: <reason>` on the first failure, `RESIDUE <kind> <name>` for host resources it saw made, and
/// `SUMMARY ok` at the end.
struct CSWorkflow {
    /// The run's exit status and output.
    let result: ZooStackExecutable.Result
    /// Its stdout, line by line.
    let lines: [String]

    /// Everything it printed.
    var output: String { self.result.stdout + self.result.stderr }

    /// The names of the `RESIDUE` lines (taps and bridges the host made for its guests).
    var residue: [String] {
        self.lines.compactMap { line in
            let words = line.split(separator: " ")
            return words.count == 3 && words[0] == "RESIDUE" ? String(words[2]) : nil
        }
    }

    /// Runs `Resources/<script> <credentials> <arguments...>` with `python3` and expects it to exit 0.
    /// - Parameters:
    ///   - script: the script's file name.
    ///   - arguments: arguments after the credentials file.
    ///   - cloud: the cloud (its log is shown when the script fails).
    /// - Returns: the run.
    /// - Throws: when python3 cannot be started.
    static func run(_ script: String, _ arguments: [String] = [], cloud: ServedCloud) async throws -> CSWorkflow {
        let path = CSClientInteropTests.resources.appendingPathComponent(script).path
        let command = cloud.inNamespace(["python3", path, cloud.credentials] + arguments)
        let result = try await ZooStackExecutable.run(
            command.arguments,
            executable: command.executable,
            // No __pycache__ beside the shared module in the source tree.
            environment: ["PYTHONDONTWRITEBYTECODE": "1"]
        )
        let run = CSWorkflow(result: result, lines: result.stdout.split(separator: "\n").map(String.init))
        #expect(result.status == 0, "\(script) failed:\n\(run.output)\nserver log:\n\(cloud.log.suffix(6000))")
        return run
    }

    /// Expects a `PASS` line for each check, and `SUMMARY ok` last.
    func expectPasses(_ checks: [String]) {
        for check in checks {
            #expect(self.lines.contains("PASS \(check)"), "no PASS \(check):\n\(self.output)")
        }
        #expect(self.lines.last == "SUMMARY ok", "\(self.output)")
    }
}
