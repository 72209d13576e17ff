import Agent
import Foundation
import QEMU
import Synchronization
import Testing

@testable import QEMUAgent

/// Snapshots and templates of real volumes (`CopyCommand`, `RevertSnapshotCommand`): a data pattern written with
/// `qemu-io` survives a snapshot, an overwrite and a revert; a running guest's disks are copied live and the copies
/// pass `qemu-img check`; a root disk's copy names no backing file.
@Suite(.serialized)
struct QEMUHostAgentSnapshotTests {
    let host = AgentHarness.hostId

    /// Runs `qemu-io -c COMMAND FILE` (it exits non-zero when a `read -P` pattern does not match).
    static func qemuIO(_ command: String, _ file: String) async throws {
        try await HostTool.run("qemu-io", ["-c", command, file], timeout: .seconds(30))
    }

    /// A data disk of 16 MiB in the harness's primary storage, its first 64 KiB filled with 0xab.
    static func patternedDisk(_ harness: AgentHarness, slot: Int = 1) async throws -> AgentDisk {
        let id = UUID().uuidString.lowercased()
        let disk = AgentDisk(volumeId: id, type: "DATADISK", deviceId: slot, path: "\(id).qcow2", sizeBytes: 16 << 20)
        try FileManager.default.createDirectory(
            atPath: harness.configuration.primaryStorage,
            withIntermediateDirectories: true
        )
        let path = harness.configuration.diskPath(disk.path)
        try await DiskImage.create(at: path, size: disk.sizeBytes)
        try await Self.qemuIO("write -P 0xab 0 64k", path)
        return disk
    }

    @Test func aStoppedVolumeIsSnapshottedOverwrittenRevertedAndTurnedIntoATemplate() async throws {
        try await AgentHarness.with { harness, agent in
            let disk = try await Self.patternedDisk(harness)
            let path = harness.configuration.diskPath(disk.path)
            let snapshot = harness.directory + "/images/snapshots/acct/\(disk.volumeId)/snap-1.qcow2"
            let copy = try await harness.send(
                .copy,
                AgentCommandBody(hostId: host, source: .volume(disk), destination: .snapshot(snapshot)),
                to: agent
            )
            #expect(copy.result, "\(copy.details)")
            let written = try #require(copy.written)
            #expect(written.virtualSize == 16 << 20 && written.physicalSize > 0)
            #expect(!FileManager.default.fileExists(atPath: snapshot + ".part"))
            try await HostTool.run("qemu-img", ["check", snapshot])

            try await Self.qemuIO("write -P 0xcd 0 64k", path)
            await #expect(throws: QEMUError.self) { try await Self.qemuIO("read -P 0xab 0 64k", path) }
            let revert = try await harness.send(
                .revertSnapshot,
                AgentCommandBody(hostId: host, source: .snapshot(snapshot), destination: .volume(disk)),
                to: agent
            )
            #expect(revert.result, "\(revert.details)")
            try await Self.qemuIO("read -P 0xab 0 64k", path)

            let template = harness.directory + "/images/template/from-snapshot.qcow2"
            let made = try await harness.send(
                .copy,
                AgentCommandBody(hostId: host, source: .snapshot(snapshot), destination: .template(template)),
                to: agent
            )
            #expect(made.result && made.written?.virtualSize == 16 << 20, "\(made.details)")
            try await Self.qemuIO("read -P 0xab 0 64k", template)

            let relative = try await harness.send(
                .copy,
                AgentCommandBody(hostId: host, source: .volume(disk), destination: .snapshot("images/x.qcow2")),
                to: agent
            )
            #expect(!relative.result && relative.details.contains("Invalid image store file"))
            let missing = try await harness.send(
                .revertSnapshot,
                AgentCommandBody(hostId: host, source: .snapshot(snapshot + "-gone.qcow2"), destination: .volume(disk)),
                to: agent
            )
            #expect(!missing.result && missing.details.contains("does not exist"), "\(missing.details)")
            try await Self.qemuIO("read -P 0xab 0 64k", path)
        }
    }

    @Test func aRunningGuestsDisksAreCopiedLiveAndARevertIsRefused() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        try await AgentHarness.with { harness, agent in
            let vm = AgentHarness.vm("snap-live")
            var spec = harness.spec(vm, template: template)
            let data = try await Self.patternedDisk(harness)
            spec.disks.append(data)
            let start = try await harness.send(.start, AgentCommandBody(hostId: host, vm: vm, spec: spec), to: agent)
            #expect(start.result, "\(start.details)")
            _ = try await harness.waitForConsole(vm, containing: ["zoostack-guest ready"], on: agent)

            let images = harness.directory + "/images/snapshots/acct"
            for disk in [data, spec.disks[0]] {
                let file = images + "/\(disk.volumeId)/live.qcow2"
                let copy = try await harness.send(
                    .copy,
                    AgentCommandBody(hostId: host, vm: vm, source: .volume(disk), destination: .snapshot(file)),
                    to: agent
                )
                #expect(copy.result && copy.details.contains("live"), "\(copy.details)")
                try await HostTool.run("qemu-img", ["check", file])
                let info = try await DiskImage.info(file)
                #expect(info.backingFile == nil && info.virtualSize == disk.sizeBytes)
                #expect(copy.written?.physicalSize ?? 0 > 0)
            }
            try await Self.qemuIO("read -P 0xab 0 64k", images + "/\(data.volumeId)/live.qcow2")
            let process = try #require(agent.vms.withLock { $0[vm.id]?.process })
            let jobs = try await process.qmp.execute("query-jobs")
            #expect(jobs.arrayValue?.isEmpty == true, "\(jobs)")
            #expect(!"\(try await process.qmp.execute("query-named-block-nodes"))".contains("live.qcow2"))

            let revert = try await harness.send(
                .revertSnapshot,
                AgentCommandBody(
                    hostId: host,
                    vm: vm,
                    source: .snapshot(images + "/\(data.volumeId)/live.qcow2"),
                    destination: .volume(data)
                ),
                to: agent
            )
            #expect(!revert.result && revert.details.contains("not in the shutdown state"), "\(revert.details)")
            let toTemplate = try await harness.send(
                .copy,
                AgentCommandBody(
                    hostId: host,
                    vm: vm,
                    source: .volume(spec.disks[0]),
                    destination: .template(harness.directory + "/images/template/t.qcow2")
                ),
                to: agent
            )
            #expect(!toTemplate.result && toTemplate.details.contains("must be stopped"), "\(toTemplate.details)")

            let stop = try await harness.send(.stop, AgentCommandBody(hostId: host, vm: vm, forced: true), to: agent)
            #expect(stop.result, "\(stop.details)")
        }
    }
}
