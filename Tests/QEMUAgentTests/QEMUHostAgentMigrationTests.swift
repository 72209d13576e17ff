import Agent
import Foundation
import QEMU
import Testing

@testable import QEMUAgent

#if canImport(Glibc)
import Glibc
#endif

/// `PrepareForMigrationCommand` and `MigrateCommand` on real QEMU: a guest moved between two agents sharing primary
/// storage, a migration past its wait cancelled with the guest running on, and a destination without the disks.
struct QEMUHostAgentMigrationTests {
    let host = AgentHarness.hostId

    @Test(.timeLimit(.minutes(3)))
    func aGuestMovesToAnAgentSharingPrimaryStorageAndRunsOn() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        try await AgentHarness.with { harness, agent in
            try await harness.withDestination { destination, configuration in
                var vm = AgentHarness.vm("mover")
                vm.memory = 128
                var spec = harness.spec(vm, template: template)
                let start = try await harness.send(
                    .start,
                    AgentCommandBody(hostId: host, vm: vm, spec: spec),
                    to: agent
                )
                try #require(start.result, "\(start.details)")
                // A hot-plugged data disk: the destination has it from its start, on the same port.
                let disk = AgentDisk(
                    volumeId: "data-\(vm.id)",
                    type: "DATADISK",
                    deviceId: 1,
                    path: "data-\(vm.id).qcow2",
                    sizeBytes: 16 << 20
                )
                let attach = try await harness.send(
                    .attach,
                    AgentCommandBody(hostId: host, vm: vm, disk: disk),
                    to: agent
                )
                try #require(attach.result, "\(attach.details)")
                spec.disks.append(disk)
                let plugged = try await harness.waitForConsole(vm, on: agent, timeout: .seconds(120)) {
                    $0.split(separator: "\n").last { $0.contains("uptime=") }?.hasSuffix("disks=vda,vdb,vdc") == true
                }
                let before = Self.uptimes(plugged).last ?? 0
                let sourcePid = try #require(harness.pid(vm.id))

                let port = try #require(destination.port)
                let prepared = try await harness.pool.send(
                    .prepareForMigration,
                    AgentCommandBody(hostId: "qemu-host-2", vm: vm, spec: spec),
                    to: "127.0.0.1:\(port)"
                )
                try #require(prepared.result, "\(prepared.details)")
                let uri = try #require(prepared.migrationURI)
                #expect(uri.hasPrefix("tcp:127.0.0.1:"), "\(uri)")
                var body = AgentCommandBody(hostId: host, vm: vm, destinationHostId: "qemu-host-2")
                body.migrationURI = uri
                let migrated = try await harness.send(.migrate, body, to: agent)
                try #require(migrated.result, "\(migrated.details)")
                let stats = try #require(migrated.migration)
                #expect(stats.totalTimeMilliseconds > 0 && stats.downtimeMilliseconds >= 0, "\(stats)")

                // The source forgot the VM and its QEMU is gone; the destination runs it, and the guest goes on.
                #expect(agent.knownVms.isEmpty)
                #expect(
                    AgentHarness.processes(mentioning: "\(harness.directory)/vms/\(vm.id)").isEmpty,
                    "pid \(sourcePid)"
                )
                #expect(destination.knownVms.map(\.state) == ["Running"])
                #expect(FileManager.default.fileExists(atPath: configuration.diskPath("root-\(vm.id).qcow2")))
                let deadline = ContinuousClock.now + .seconds(60)
                var after = 0
                while after <= before, ContinuousClock.now < deadline {
                    let console = destination.consoleOutput(vm.id, lines: 1000).output ?? ""
                    after = Self.uptimes(console).last ?? 0
                    #expect(!console.contains("zoostack-guest ready"), "the guest rebooted:\n\(console)")
                    #expect(!console.contains("uptime=") || console.contains("disks=vda,vdb,vdc"), "\(console)")
                    try await Task.sleep(for: .milliseconds(300))
                }
                #expect(after > before, "uptime \(before) before, \(after) after")
            }
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aMigrationPastItsWaitIsCancelledAndTheGuestRunsOn() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        try await AgentHarness.with { harness, agent in
            var vm = AgentHarness.vm("stalled")
            vm.memory = 128
            let spec = harness.spec(vm, template: template)
            let start = try await harness.send(.start, AgentCommandBody(hostId: host, vm: vm, spec: spec), to: agent)
            try #require(start.result, "\(start.details)")
            let before = try await Self.lastUptime(harness, vm, on: agent, above: 0)
            let pid = harness.pid(vm.id)
            // A destination that takes the connection and never reads: the migration stalls once buffers fill.
            let sink = try #require(StalledListener())
            defer { sink.close() }
            var body = AgentCommandBody(hostId: host, vm: vm, destinationHostId: "nowhere")
            body.migrationURI = "tcp:127.0.0.1:\(sink.port)"
            body.waitSeconds = 1
            let answer = try await harness.send(.migrate, body, to: agent)
            #expect(!answer.result && answer.migration == nil)
            #expect(
                answer.details.contains("did not finish within 1 s (migratewait) and was cancelled"),
                "\(answer.details)"
            )
            #expect(agent.knownVms.map(\.state) == ["Running"])
            #expect(harness.pid(vm.id) == pid)
            _ = try await Self.lastUptime(harness, vm, on: agent, above: before)
        }
    }

    @Test func preparingWithoutTheDisksInPrimaryStorageIsRefusedAndLeavesNothing() async throws {
        try await AgentHarness.with { harness, agent in
            let vm = AgentHarness.vm("elsewhere")
            let spec = harness.spec(vm, template: "/nonexistent/template.qcow2")
            let answer = try await harness.send(
                .prepareForMigration,
                AgentCommandBody(hostId: host, vm: vm, spec: spec),
                to: agent
            )
            #expect(!answer.result && answer.migrationURI == nil)
            #expect(answer.details.contains("live migration needs the hosts to share it"), "\(answer.details)")
            #expect(!FileManager.default.fileExists(atPath: harness.configuration.runDirectory(vm.id)))
            #expect(!FileManager.default.fileExists(atPath: harness.configuration.diskPath("root-\(vm.id).qcow2")))
            #expect(AgentHarness.processes(mentioning: vm.id).isEmpty)
            #expect(agent.knownVms.isEmpty)
        }
    }

    static func uptimes(_ console: String) -> [Int] {
        console.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("uptime=") }.flatMap { Int($0.dropFirst(7)) }
        }
    }

    /// Waits for a heartbeat whose uptime passes `above`, and returns it.
    static func lastUptime(
        _ harness: AgentHarness,
        _ vm: AgentVm,
        on agent: QEMUHostAgent,
        above: Int
    ) async throws -> Int {
        let console = try await harness.waitForConsole(vm, on: agent, timeout: .seconds(120)) { text in
            (Self.uptimes(text).last ?? -1) > above
        }
        return Self.uptimes(console).last ?? 0
    }
}

/// A loopback TCP listener that never accepts nor reads, with a tiny receive buffer.
struct StalledListener {
    let descriptor: Int32
    let port: Int

    init?() {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var size: Int32 = 4096
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && listen(descriptor, 4) == 0
                    && getsockname(descriptor, address, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(self.descriptor) }
}
