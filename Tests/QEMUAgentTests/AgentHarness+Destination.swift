import Agent
import Foundation
import QEMU

@testable import QEMUAgent

#if canImport(Glibc)
import Glibc
#endif

extension AgentHarness {
    /// The host id of ``withDestination(_:)``'s agent.
    static let destinationHostId = "qemu-host-2"

    /// Runs `body` with a second agent, `qemu-host-2`, on a data directory of its own but this harness's primary
    /// storage (one shared pool: a live migration's destination). Afterwards it shuts down, every QEMU whose
    /// command line names its directory is killed and the directory removed, whatever `body` did.
    func withDestination<T>(
        _ body: (QEMUHostAgent, QEMUAgentConfiguration) async throws -> T
    ) async throws -> T {
        var template = Array("/tmp/qb-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw QEMUError(.launchFailed, "mkdtemp failed") }
        let directory = String(cString: made)
        let configuration = QEMUAgentConfiguration(
            dataDirectory: directory,
            primaryStorage: self.configuration.primaryStorage,
            accelerator: .tcg
        )
        let destination = QEMUHostAgent(
            hostId: Self.destinationHostId,
            configuration: configuration,
            secret: Self.secret
        )
        defer {
            for pid in Self.processes(mentioning: directory) { kill(pid, SIGKILL) }
            try? FileManager.default.removeItem(atPath: directory)
        }
        try await destination.start()
        do {
            let result = try await body(destination, configuration)
            await destination.shutdown()
            return result
        } catch {
            await destination.shutdown()
            throw error
        }
    }
}
