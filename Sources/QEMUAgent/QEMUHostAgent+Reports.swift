import Agent
import QEMU
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension QEMUHostAgent {
    /// `GetVmConsoleOutputCommand`: the last `lines` lines of the VM's serial console (100 by default, at most the
    /// configured maximum, and at most the last 256 KiB of the log).
    func consoleOutput(_ vmId: String?, lines: Int?) -> AgentAnswer {
        guard let vmId, PlainName.isValid(vmId), self.vms.withLock({ $0[vmId] }) != nil else {
            return AgentAnswer(seq: 0, result: false, details: "VM \(vmId ?? "?") is not on host \(self.hostId)")
        }
        let count = min(max(lines ?? 100, 1), self.configuration.maximumConsoleLines)
        let path = self.configuration.runDirectory(vmId) + "/serial.log"
        let window = 256 * 1024
        guard let (data, size) = FileBytes.tail(path, upTo: window) else {
            return AgentAnswer(seq: 0, result: true, details: "no console output yet", output: "")
        }
        var text = String(decoding: data, as: UTF8.self).replacing("\r\n", with: "\n")
        if size > Int64(window), let newline = text.firstIndex(of: "\n") {
            text = String(text[text.index(after: newline)...])
        }
        var tail = text.split(separator: "\n", omittingEmptySubsequences: false)
        if tail.last == "" { tail.removeLast() }
        let output = tail.suffix(count).joined(separator: "\n")
        return AgentAnswer(seq: 0, result: true, details: "\(min(tail.count, count)) lines", output: output)
    }

    /// `GetVmStatsCommand`: per running VM (or the one named), CPU use since the previous request (since
    /// its start for the first), memory, disk counters (`query-blockstats`) and NIC counters (its taps, from the guest's
    /// side: what the tap sends is what the guest reads).
    func vmStats(_ only: String?) async -> AgentAnswer {
        let targets = self.vms.withLock { vms in
            vms.values.filter { only == nil || $0.record.vm.id == only }.filter(\.isRunning)
        }
        var stats: [String: AgentVmStats] = [:]
        for managed in targets {
            guard let process = managed.process else { continue }
            var entry = AgentVmStats(memoryKBs: Int64(managed.record.vm.memory) * 1024)
            entry.cpuUsedPercent = self.cpuPercent(managed.record.vm, pid: process.pid)
            if let devices = try? await process.qmp.execute("query-blockstats").arrayValue {
                for device in devices {
                    guard let counters = device["stats"] else { continue }
                    entry.diskKBsRead += Int64(counters["rd_bytes"]?.intValue ?? 0) / 1024
                    entry.diskKBsWrite += Int64(counters["wr_bytes"]?.intValue ?? 0) / 1024
                    entry.diskIORead += Int64(counters["rd_operations"]?.intValue ?? 0)
                    entry.diskIOWrite += Int64(counters["wr_operations"]?.intValue ?? 0)
                }
            }
            for tap in managed.record.taps {
                let counters = HostNetwork.counters(tap: tap)
                entry.networkKBsRead += counters.tx / 1024
                entry.networkKBsWrite += counters.rx / 1024
            }
            stats[managed.record.vm.id] = entry
        }
        return AgentAnswer(seq: 0, result: true, details: "\(stats.count) VMs", vmStats: stats)
    }

    /// `GetHostStatsCommand`: the machine's CPU use since the previous request (since boot for the first) and its
    /// memory, from `/proc/stat` and `/proc/meminfo`.
    func hostStats() -> AgentAnswer {
        guard let memory = ProcFiles.readMemory(), let cpu = ProcFiles.readCPUTimes() else {
            return AgentAnswer(seq: 0, result: false, details: "cannot read /proc/meminfo or /proc/stat")
        }
        let previous = self.hostCPUSample.withLock { sample in
            let last = sample
            sample = cpu
            return last
        }
        let busy = cpu.busy - (previous?.busy ?? 0)
        let total = cpu.total - (previous?.total ?? 0)
        let percent = total > 0 ? min(max(Double(busy) * 100 / Double(total), 0), 100) : 0
        let stats = AgentHostStats(
            cpuUsedPercent: percent,
            memoryUsedBytes: memory.total - memory.available,
            memoryTotalBytes: memory.total,
            memoryAvailableBytes: memory.available
        )
        return AgentAnswer(seq: 0, result: true, details: "host stats", hostStats: stats)
    }

    /// `DestroyCommand`: deletes the named disk files from primary storage. Every name must be a plain file name
    /// (no `/`, not `..`), and no running VM may use it; otherwise nothing is deleted. A missing file is gone
    /// already.
    func destroyVolumes(_ disks: [AgentDisk]) async -> AgentAnswer {
        if let bad = disks.first(where: { !PlainName.isValid($0.path) }) {
            return AgentAnswer(
                seq: 0,
                result: false,
                details: "Invalid disk path \(bad.path): a plain file name is expected"
            )
        }
        let inUse = self.vms.withLock { vms in
            Set(vms.values.filter(\.isRunning).flatMap { $0.record.spec.disks.map(\.path) })
        }
        if let busy = disks.first(where: { inUse.contains($0.path) }) {
            return AgentAnswer(seq: 0, result: false, details: "Disk \(busy.path) is in use by a running VM")
        }
        var deleted = 0
        for disk in disks {
            let path = self.configuration.diskPath(disk.path)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            do {
                try FileManager.default.removeItem(atPath: path)
                deleted += 1
            } catch {
                return AgentAnswer(
                    seq: 0,
                    result: false,
                    details: "Cannot delete \(disk.path): \(error.reasonText)"
                )
            }
        }
        return AgentAnswer(seq: 0, result: true, details: "\(deleted) of \(disks.count) disks deleted")
    }

    private func cpuPercent(_ vm: AgentVm, pid: Int32) -> Double {
        guard let seconds = ProcFiles.readProcessCPUSeconds(pid) else { return 0 }
        let now = ContinuousClock.now
        let previous = self.vms.withLock { vms -> (seconds: Double, at: ContinuousClock.Instant)? in
            let last = vms[vm.id]?.cpuSample
            vms[vm.id]?.cpuSample = (seconds, now)
            return last
        }
        let wall: Double
        if let previous {
            let elapsed = now - previous.at
            wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        } else {
            wall = ProcFiles.readProcessAgeSeconds(pid) ?? 0
        }
        let used = seconds - (previous?.seconds ?? 0)
        guard wall > 0 else { return 0 }
        return min(max(used * 100 / (wall * Double(max(vm.cpuNumber, 1))), 0), 100)
    }
}
