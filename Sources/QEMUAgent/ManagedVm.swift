import Agent
import QEMU

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the agent writes to a VM's run directory as `vm.json` before launching it, so that a restarted agent
/// knows the VM again: its size, the spec it was started with (the stop timeout, the disks in use) and its taps.
struct VmRecord: Codable, Sendable, Hashable {
    /// The VM as the management server described it.
    var vm: AgentVm
    /// The spec of its start.
    var spec: AgentVmSpec
    /// The taps made for its NICs.
    var taps: [String]

    /// The record's file in a run directory.
    static func path(in runDirectory: String) -> String { runDirectory + "/vm.json" }

    /// Writes the record (replacing it atomically).
    func write(to runDirectory: String) throws {
        try FileBytes.replaceFile(Self.path(in: runDirectory), with: Array(JSONEncoder().encode(self)))
    }

    /// Reads a run directory's record.
    static func read(from runDirectory: String) -> VmRecord? {
        guard let data = FileManager.default.contents(atPath: self.path(in: runDirectory)) else { return nil }
        return try? JSONDecoder().decode(VmRecord.self, from: data)
    }
}

/// A VM the agent knows: running, or stopped by itself (its guest powered off, its QEMU died) and reported
/// `Stopped` until a stop or start command for it.
struct ManagedVm: Sendable {
    /// Its record.
    var record: VmRecord
    /// Its QEMU, nil when the agent found it dead.
    var process: QEMUProcess?
    /// The previous CPU sample (process CPU seconds, when), for the CPU use between two stats requests.
    var cpuSample: (seconds: Double, at: ContinuousClock.Instant)?

    /// Whether its QEMU is alive.
    var isRunning: Bool { self.process?.isRunning ?? false }

    /// The VM as `GetVmStatesCommand` reports it.
    var reported: AgentVm {
        var vm = self.record.vm
        vm.state = self.isRunning ? "Running" : "Stopped"
        return vm
    }
}
