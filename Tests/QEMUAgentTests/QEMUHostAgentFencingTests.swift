import Agent
import Foundation
import Testing

@testable import QEMUAgent

#if canImport(Glibc)
import Glibc
#endif

/// Fencing on the agent's side: the storage heartbeat it writes, `CheckOnHostCommand`'s verdict from another host's
/// heartbeat and from a disk another process holds a lock on (as QEMU does on every image it has open), and a
/// `StartCommand` refused, with the reason and nothing left behind, while its disk is held that way.
struct QEMUHostAgentFencingTests {
    @Test(.timeLimit(.minutes(2)))
    func heartbeatAndHeldDisksDecideCheckOnHostAndRefuseAStart() async throws {
        try await AgentHarness.with { harness, agent in
            let beats = harness.configuration.heartbeatDirectory
            let own = try String(contentsOfFile: beats + "/" + AgentHarness.hostId, encoding: .utf8)
            let written = try #require(Double(own.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(abs(Date().timeIntervalSince1970 - written) < 60, "the agent's own heartbeat: \(own)")

            func check(_ disks: [AgentDisk] = []) async throws -> AgentAnswer {
                var body = AgentCommandBody(hostId: AgentHarness.hostId, disks: disks)
                body.checkedHostId = "other-host"
                return try await harness.send(.checkOnHost, body, to: agent)
            }
            let none = try await check()
            #expect(none.result && none.hostAlive == false && none.details.contains("no storage heartbeat"))
            let now = Date().timeIntervalSince1970
            try Data("\(now)\n".utf8).write(to: URL(fileURLWithPath: beats + "/other-host"))
            let fresh = try await check()
            #expect(fresh.hostAlive == true && fresh.details.contains("heartbeat"), "\(fresh.details)")
            try Data("\(now - 120)\n".utf8).write(to: URL(fileURLWithPath: beats + "/other-host"))
            let stale = try await check()
            #expect(stale.hostAlive == false, "\(stale.details)")

            // A process holding a read lock on the disk, as a running QEMU does.
            let disk = AgentDisk(volumeId: "held", type: "ROOT", deviceId: 0, path: "held.qcow2", sizeBytes: 1 << 20)
            let path = harness.configuration.diskPath(disk.path)
            try Data(count: 4096).write(to: URL(fileURLWithPath: path))
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            holder.arguments = [
                "python3", "-c",
                "import fcntl, sys, time; f = open(sys.argv[1], 'rb'); fcntl.lockf(f, fcntl.LOCK_SH); time.sleep(60)",
                path,
            ]
            try holder.run()
            defer {
                kill(holder.processIdentifier, SIGKILL)
                holder.waitUntilExit()
            }
            let deadline = ContinuousClock.now + .seconds(20)
            while !QEMUHostAgent.isHeldOpen(path), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            let held = try await check([disk])
            #expect(held.hostAlive == true && held.details.contains("held open"), "\(held.details)")

            let vm = AgentHarness.vm("fenced")
            let spec = AgentVmSpec(hostName: vm.name, disks: [disk])
            let start = try await harness.send(
                .start,
                AgentCommandBody(hostId: AgentHarness.hostId, vm: vm, spec: spec),
                to: agent
            )
            #expect(!start.result && start.details.contains("in use by another QEMU"), "\(start.details)")
            #expect(!FileManager.default.fileExists(atPath: harness.configuration.runDirectory(vm.id)))
            #expect(agent.knownVms.isEmpty)

            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
            let released = try await check([disk])
            #expect(released.hostAlive == false, "\(released.details)")
        }
    }
}
