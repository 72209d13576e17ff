import Agent
import Foundation
import QEMU
import Testing

@testable import QEMUAgent

#if canImport(Glibc)
import Glibc
#endif

/// Several real guests (the tiny image, TCG, 1 vCPU, 128 MiB) started at once on one agent: issue 13's hang, where
/// a daemonized QEMU inherited the descriptors the agent had open at its launch (among them the socket through
/// which Foundation's `Process` learns that a concurrent `qemu-img` or `ip` exited), so that tool's run never
/// ended and the agent's threads blocked behind it.
@Suite(.serialized)
struct QEMUHostAgentConcurrencyTests {
    let host = AgentHarness.hostId

    @Test func fourConcurrentStartsAllRunAndTheAgentStillAnswers() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        // A socket pair without close-on-exec, as Foundation's `Process` makes one for every program it runs: no
        // QEMU may inherit it.
        var bystander: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &bystander) == 0)
        defer { for fd in bystander { close(fd) } }
        let bystanderLinks = Set(bystander.map(Self.fdLink))
        try await AgentHarness.with { harness, agent in
            let network = UUID().uuidString
            let vms = (1...4).map { index in
                var vm = AgentHarness.vm("many-\(index)")
                vm.memory = 128
                return vm
            }
            let answers = try await withThrowingTaskGroup(of: AgentAnswer.self) { group in
                for (index, vm) in vms.enumerated() {
                    var spec = harness.spec(vm, template: template)
                    spec.nics = [
                        AgentNic(
                            id: "nic-\(index)",
                            deviceId: 0,
                            mac: String(format: "02:00:4c:1b:00:%02x", index + 1),
                            ipAddress: "198.18.21.\(index + 10)",
                            netmask: "255.255.255.0",
                            gateway: "198.18.21.1",
                            networkId: network,
                            isDefault: true
                        )
                    ]
                    let body = AgentCommandBody(hostId: host, vm: vm, spec: spec)
                    // Each bounded by the pool's 60 s command timeout.
                    group.addTask { try await harness.send(.start, body, to: agent) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for answer in answers { #expect(answer.result, "\(answer.details)") }

            for vm in vms {
                _ = try await harness.waitForConsole(vm, containing: ["zoostack-guest ready \(vm.name)"], on: agent)
            }
            let states = try await harness.send(.getVmStates, AgentCommandBody(hostId: host), to: agent)
            #expect(states.vms?.filter { $0.state == "Running" }.count == vms.count)
            let pids = vms.compactMap { harness.pid($0.id) }
            #expect(pids.count == vms.count)
            for pid in pids {
                let inherited = Self.fdLinks(pid).intersection(bystanderLinks)
                #expect(inherited.isEmpty, "QEMU pid \(pid) inherited the test's descriptors \(inherited)")
            }

            // Still answering, promptly: a ping and the host's stats over a pool that waits 10 s at most.
            let quick = AgentConnectionPool(secret: AgentHarness.secret, commandTimeout: .seconds(10))
            let port = try #require(agent.port)
            let ready = try? await quick.send(.ready, AgentCommandBody(hostId: host), to: "127.0.0.1:\(port)")
            let stats = try? await quick.send(.getHostStats, AgentCommandBody(hostId: host), to: "127.0.0.1:\(port)")
            await quick.close()
            #expect(ready?.result == true)
            #expect((stats?.hostStats?.memoryTotalBytes ?? 0) > 0)

            try await withThrowingTaskGroup(of: AgentAnswer.self) { group in
                for vm in vms {
                    let body = AgentCommandBody(hostId: host, vm: vm, forced: true)
                    group.addTask { try await harness.send(.stop, body, to: agent) }
                }
                for try await stop in group { #expect(stop.result, "\(stop.details)") }
            }
            #expect(AgentHarness.processes(mentioning: harness.directory).isEmpty)
            for vm in vms {
                #expect(!AgentHarness.interfaceExists(HostNetwork.tapName(vm: vm.id, deviceId: 0)))
                #expect(!FileManager.default.fileExists(atPath: harness.configuration.runDirectory(vm.id)))
            }
            #expect(!AgentHarness.interfaceExists(HostNetwork.bridgeName(network: network)))
        }
    }

    /// What `/proc/self/fd/FD` links to (`socket:[INODE]`).
    private static func fdLink(_ fd: Int32) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) ?? "?"
    }

    /// What a process's descriptors link to.
    private static func fdLinks(_ pid: Int32) -> Set<String> {
        let directory = "/proc/\(pid)/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return Set(
            entries.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\($0)") }
        )
    }
}
