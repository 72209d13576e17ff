import Agent
import QEMU
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension QEMUHostAgent {
    /// `StopCommand`: the ACPI power button, then `quit` once the spec's `stopTimeoutSeconds` have passed (at once
    /// when forced); the VM is then forgotten (taps and run directory removed, disks kept). An unknown VM is
    /// already stopped: success, as CloudStack's agent answers.
    func stopVm(_ vm: AgentVm, forced: Bool) async -> AgentAnswer {
        guard let managed = self.vms.withLock({ $0[vm.id] }) else {
            return AgentAnswer(seq: 0, result: true, details: "VM \(vm.name) is not running on host \(self.hostId)")
        }
        var how = "was already stopped"
        if let process = managed.process, process.isRunning {
            how = forced ? "was quit" : "powered off"
            if !forced {
                let timeout = Duration.seconds(max(managed.record.spec.stopTimeoutSeconds, 0))
                do {
                    try await process.powerdown()
                    try await process.waitForExit(timeout: timeout)
                } catch {
                    how = "did not power off within \(timeout) and was quit"
                }
            }
            if process.isRunning {
                do {
                    try await process.quit(timeout: .seconds(5))
                } catch {
                    try? await process.kill(timeout: .seconds(5))
                }
            }
            if process.isRunning {
                return AgentAnswer(
                    seq: 0,
                    result: false,
                    details: "QEMU of VM \(vm.name) (pid \(process.pid)) is still running"
                )
            }
        }
        await self.discard(vm.id)
        return AgentAnswer(seq: 0, result: true, details: "VM \(vm.name) \(how)")
    }

    /// `RebootCommand`, as libvirt's "fake reboot" of a QEMU guest: QEMU is told to pause instead of exiting when
    /// the guest powers off (`set-action shutdown=pause`), the ACPI power button is pressed, and once the guest
    /// has shut down (or the spec's stop timeout has passed) the machine is reset (`system_reset`) and resumed.
    func rebootVm(_ vm: AgentVm) async -> AgentAnswer {
        guard let managed = self.vms.withLock({ $0[vm.id] }), let process = managed.process, process.isRunning else {
            return AgentAnswer(seq: 0, result: false, details: "VM \(vm.name) is not running on host \(self.hostId)")
        }
        let timeout = Duration.seconds(max(managed.record.spec.stopTimeoutSeconds, 0))
        do {
            try await process.qmp.execute("set-action", arguments: ["shutdown": "pause"])
            try await process.powerdown()
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline, try await process.status().status != "shutdown" {
                try? await Task.sleep(for: .milliseconds(100))
            }
            try await process.reset()
            if try await !process.status().running { try await process.qmp.execute("cont") }
            try await process.qmp.execute("set-action", arguments: ["shutdown": "poweroff"])
        } catch {
            return AgentAnswer(seq: 0, result: false, details: "Reboot of VM \(vm.name) failed: \(error.message)")
        }
        return AgentAnswer(seq: 0, result: true, details: "VM \(vm.name) rebooted")
    }
}
