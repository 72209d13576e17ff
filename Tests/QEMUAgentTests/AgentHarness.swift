import Agent
import Coordination
import Foundation
import QEMU
import Testing

@testable import QEMUAgent

#if canImport(Glibc)
import Glibc
#endif

/// The tiny guest as a qcow2 template, built once per test process (in a directory removed when it exits); suites
/// running in parallel share the one build (a second build would replace the file under the first one's VMs).
actor TinyTemplate {
    static let shared = TinyTemplate()
    private static let directory = "/tmp/qagent-tiny-\(getpid())"
    private var build: Task<String, any Error>?

    /// The template's file.
    func qcow2() async throws -> String {
        if let build { return try await build.value }
        // Unstructured on purpose: the build outlives the first caller's wait, every later caller awaits it.
        let build = Task {
            try FileManager.default.createDirectory(atPath: Self.directory, withIntermediateDirectories: true)
            atexit { try? FileManager.default.removeItem(atPath: TinyTemplate.directory) }
            let file = Self.directory + "/tiny.qcow2"
            try await TinyImage.build(output: URL(fileURLWithPath: file), format: .qcow2)
            return file
        }
        self.build = build
        return try await build.value
    }
}

/// One QEMU host agent on loopback over a fresh data directory, and a management-server connection pool to it.
/// Whatever the test does, every QEMU whose command line names the directory is killed, the taps its VMs had are
/// deleted, and the directory is removed afterwards.
struct AgentHarness: Sendable {
    static let secret = AgentSecret(ClusterCredentials.generate())
    static let hostId = "qemu-host-1"

    let directory: String
    let configuration: QEMUAgentConfiguration
    let pool: AgentConnectionPool

    static func with<T>(_ body: (AgentHarness, QEMUHostAgent) async throws -> T) async throws -> T {
        var template = Array("/tmp/qa-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw QEMUError(.launchFailed, "mkdtemp failed") }
        let directory = String(cString: made)
        let harness = AgentHarness(
            directory: directory,
            configuration: QEMUAgentConfiguration(dataDirectory: directory, accelerator: .tcg),
            pool: AgentConnectionPool(secret: Self.secret, commandTimeout: .seconds(60))
        )
        let agent = harness.makeAgent()
        do {
            try await agent.start()
            let result = try await body(harness, agent)
            await harness.cleanUp(agent)
            return result
        } catch {
            await harness.cleanUp(agent)
            throw error
        }
    }

    /// A new agent on this harness's data directory.
    func makeAgent() -> QEMUHostAgent {
        QEMUHostAgent(hostId: Self.hostId, configuration: self.configuration, secret: Self.secret)
    }

    /// Sends a command to `agent` over the protocol.
    func send(_ command: AgentCommand, _ body: AgentCommandBody, to agent: QEMUHostAgent) async throws -> AgentAnswer {
        let port = try #require(agent.port)
        return try await self.pool.send(command, body, to: "127.0.0.1:\(port)")
    }

    /// Polls the VM's console (`GetVmConsoleOutputCommand`) until it holds each of `needles`; fails on timeout.
    func waitForConsole(
        _ vm: AgentVm,
        containing needles: [String],
        on agent: QEMUHostAgent,
        timeout: Duration = .seconds(60),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        try await self.waitForConsole(vm, on: agent, timeout: timeout, sourceLocation: sourceLocation) { text in
            needles.allSatisfy { text.contains($0) }
        }
    }

    /// Polls the VM's console until `done` holds for it; fails on timeout.
    func waitForConsole(
        _ vm: AgentVm,
        on agent: QEMUHostAgent,
        timeout: Duration = .seconds(60),
        sourceLocation: SourceLocation = #_sourceLocation,
        until done: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let answer = try await self.send(
                .getConsoleOutput,
                AgentCommandBody(hostId: Self.hostId, vm: vm, lines: 1000),
                to: agent
            )
            let text = answer.output ?? ""
            if done(text) { return text }
            if ContinuousClock.now >= deadline {
                Issue.record("console not as expected after \(timeout):\n\(text)", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Polls `GetVmStatesCommand` until the VM has `state` (nil: absent); returns whether it did within `timeout`.
    func waitForState(
        _ vmId: String,
        _ state: String?,
        on agent: QEMUHostAgent,
        timeout: Duration
    ) async throws
        -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let answer = try await self.send(.getVmStates, AgentCommandBody(hostId: Self.hostId), to: agent)
            if answer.vms?.first(where: { $0.id == vmId })?.state == state { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// The pid of a VM's QEMU, from its run directory.
    func pid(_ vmId: String) -> Int32? {
        let text = try? String(contentsOfFile: self.configuration.runDirectory(vmId) + "/qemu.pid", encoding: .utf8)
        return text.flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Live (not zombie) processes whose command line mentions `text`.
    static func processes(mentioning text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = Int32(entry), pid != getpid(),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            return String(decoding: cmdline, as: UTF8.self).contains(text) ? pid : nil
        }
    }

    /// Whether a network interface exists.
    static func interfaceExists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "/sys/class/net/\(name)")
    }

    /// A VM of 1 vCPU and 160 MiB.
    static func vm(_ name: String) -> AgentVm {
        AgentVm(id: UUID().uuidString.lowercased(), name: name, cpuNumber: 1, cpuSpeed: 1000, memory: 160)
    }

    /// A spec with a root disk on the tiny template.
    func spec(_ vm: AgentVm, template: String, userData: String? = nil) -> AgentVmSpec {
        AgentVmSpec(
            hostName: vm.name,
            disks: [
                AgentDisk(
                    volumeId: "root-\(vm.id)",
                    type: "ROOT",
                    deviceId: 0,
                    path: "root-\(vm.id).qcow2",
                    sizeBytes: 64 << 20,
                    template: template,
                    templateFormat: "qcow2"
                )
            ],
            userData: userData.map { Data($0.utf8).base64EncodedString() },
            stopTimeoutSeconds: 20
        )
    }

    private func cleanUp(_ agent: QEMUHostAgent) async {
        await agent.shutdown()
        await self.pool.close()
        for pid in Self.processes(mentioning: self.directory) { kill(pid, SIGKILL) }
        let vms = (try? FileManager.default.contentsOfDirectory(atPath: self.configuration.vmsDirectory)) ?? []
        for name in vms {
            for tap in VmRecord.read(from: self.configuration.runDirectory(name))?.taps ?? [] {
                await HostNetwork.remove(tap: tap)
            }
        }
        try? FileManager.default.removeItem(atPath: self.directory)
    }
}
