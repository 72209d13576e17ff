import Agent
import Foundation
import QEMU
import Synchronization
import Testing

@testable import QEMUAgent

/// Hot-plug on a real guest (the tiny image, TCG): a data disk attached, grown and detached while it runs, and an
/// ISO inserted into and ejected from its CD-ROM.
@Suite(.serialized)
struct QEMUHostAgentVolumeTests {
    let host = AgentHarness.hostId

    /// The disks of the console's last `disks=` line.
    static func lastDisks(_ console: String) -> String? {
        console.split(separator: "\n").last { $0.contains("zoostack-guest uptime=") }?
            .components(separatedBy: "disks=").last
    }

    @Test func attachResizeAndDetachADiskAndChangeTheCDROMOfARunningGuest() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        try await AgentHarness.with { harness, agent in
            let vm = AgentHarness.vm("hotplug-1")
            let spec = harness.spec(vm, template: template)
            let start = try await harness.send(.start, AgentCommandBody(hostId: host, vm: vm, spec: spec), to: agent)
            #expect(start.result, "\(start.details)")
            _ = try await harness.waitForConsole(vm, on: agent) { Self.lastDisks($0) == "vda,vdb" }

            let disk = AgentDisk(
                volumeId: UUID().uuidString.lowercased(),
                type: "DATADISK",
                deviceId: 1,
                path: "data-\(vm.id).qcow2",
                sizeBytes: 16 << 20
            )
            let attach = try await harness.send(.attach, AgentCommandBody(hostId: host, vm: vm, disk: disk), to: agent)
            #expect(attach.result, "\(attach.details)")
            _ = try await harness.waitForConsole(vm, on: agent) { Self.lastDisks($0) == "vda,vdb,vdc" }
            let sizes = try await harness.send(.getVolumeStats, AgentCommandBody(hostId: host), to: agent)
            let measured = try #require(sizes.volumeStats?[disk.path])
            #expect(measured.virtualSize == 16 << 20 && measured.physicalSize > 0)
            #expect((sizes.volumeStats?[spec.disks[0].path]?.virtualSize ?? 0) == 64 << 20)
            let record = try #require(VmRecord.read(from: harness.configuration.runDirectory(vm.id)))
            #expect(record.spec.disks.map(\.volumeId).contains(disk.volumeId))

            var grown = disk
            grown.sizeBytes = 48 << 20
            let resize = try await harness.send(
                .resizeVolume,
                AgentCommandBody(hostId: host, vm: vm, disk: grown),
                to: agent
            )
            #expect(resize.result && resize.details.contains("live"), "\(resize.details)")

            let iso = harness.directory + "/cd.iso"
            try await ConfigDrive(uuid: vm.id, name: "cd", hostname: "cd").writeISO(to: URL(fileURLWithPath: iso))
            let insert = try await harness.send(.attach, AgentCommandBody(hostId: host, vm: vm, iso: iso), to: agent)
            #expect(insert.result, "\(insert.details)")
            let process = try #require(agent.vms.withLock { $0[vm.id]?.process })
            let blocks = try await process.qmp.execute("query-block")
            #expect("\(blocks)".contains(iso))
            let eject = try await harness.send(.detach, AgentCommandBody(hostId: host, vm: vm), to: agent)
            #expect(eject.result, "\(eject.details)")
            #expect(!"\(try await process.qmp.execute("query-block"))".contains(iso))

            let detach = try await harness.send(.detach, AgentCommandBody(hostId: host, vm: vm, disk: disk), to: agent)
            #expect(detach.result, "\(detach.details)")
            _ = try await harness.waitForConsole(vm, on: agent) { Self.lastDisks($0) == "vda,vdb" }
            let after = try await DiskImage.info(harness.configuration.diskPath(disk.path))
            #expect(after.virtualSize == 48 << 20)
            let again = try await harness.send(.attach, AgentCommandBody(hostId: host, vm: vm, disk: disk), to: agent)
            #expect(again.result, "\(again.details)")
            _ = try await harness.waitForConsole(vm, on: agent) { Self.lastDisks($0) == "vda,vdb,vdc" }

            let stop = try await harness.send(.stop, AgentCommandBody(hostId: host, vm: vm, forced: true), to: agent)
            #expect(stop.result, "\(stop.details)")
        }
    }
}
