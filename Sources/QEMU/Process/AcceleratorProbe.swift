#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Decides between KVM and TCG by trying KVM for real.
///
/// `/dev/kvm` opening read-write is not enough: on some hosts (nested virtualization) a KVM guest hangs before
/// its first kernel line. So the probe boots the host's own kernel under `-accel kvm` with `earlyprintk` on the
/// serial port and chooses KVM only when QEMU reports KVM enabled (`query-kvm`) and the kernel prints its
/// `Linux version` banner within the time limit. Anything else, including no kernel to boot, chooses TCG.
public struct AcceleratorProbe: Sendable {
    /// The outcome.
    public struct Decision: Sendable, Hashable {
        /// The accelerator to use.
        public var accelerator: QEMUMachine.Accelerator
        /// Why (for logs and `listHosts`).
        public var reason: String
    }

    /// The QEMU program.
    public var binary: String
    /// The KVM device.
    public var kvmDevice: String
    /// The kernel the probe guest boots; nil to use the newest `/boot/vmlinuz-*`.
    public var kernel: String?
    /// How long the probe guest has to print its first kernel line.
    public var timeout: Duration

    /// Makes a probe.
    /// - Parameters:
    ///   - binary: the QEMU program.
    ///   - kvmDevice: the KVM device.
    ///   - kernel: the kernel to boot, or nil for the newest in `/boot`.
    ///   - timeout: how long the guest has to print its first kernel line.
    public init(
        binary: String = "qemu-system-x86_64",
        kvmDevice: String = "/dev/kvm",
        kernel: String? = nil,
        timeout: Duration = .seconds(3)
    ) {
        self.binary = binary
        self.kvmDevice = kvmDevice
        self.kernel = kernel
        self.timeout = timeout
    }

    /// Runs the probe. It takes at most about twice `timeout` plus QEMU's start-up, and leaves no process.
    /// - Parameter workDirectory: a directory for the probe guest's socket, pid file and serial log (short
    ///   enough for a unix socket path); its probe files are removed afterwards.
    /// - Returns: the decision.
    public func decide(workDirectory: String) async -> Decision {
        let fd = open(self.kvmDevice, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            return Decision(accelerator: .tcg, reason: "cannot open \(self.kvmDevice) read-write: \(reason)")
        }
        close(fd)
        guard let kernel = self.kernel ?? Self.newestKernel() else {
            return Decision(accelerator: .tcg, reason: "no kernel to boot a KVM probe guest with")
        }
        var machine = QEMUMachine(name: "kvm-probe", memoryMiB: 128, accelerator: .kvm, runDirectory: workDirectory)
        machine.kernel = kernel
        machine.append = "console=ttyS0 earlyprintk=ttyS0 panic=-1"
        defer {
            for path in [machine.serialLogPath, machine.pidFilePath, machine.qmpSocketPath] {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        let process: QEMUProcess
        do {
            process = try await QEMUProcess.launch(machine, binary: self.binary, timeout: self.timeout)
        } catch {
            return Decision(accelerator: .tcg, reason: "KVM guest did not start: \(error.message)")
        }
        let decision = await self.watch(process, serialLog: machine.serialLogPath)
        try? await process.kill()
        await process.qmp.close()
        return decision
    }

    private func watch(_ process: QEMUProcess, serialLog: String) async -> Decision {
        let kvm = try? await process.qmp.execute("query-kvm", timeout: self.timeout)
        guard kvm?["enabled"] == true, kvm?["present"] == true else {
            return Decision(accelerator: .tcg, reason: "QEMU reports KVM not enabled")
        }
        let deadline = ContinuousClock.now + self.timeout
        while ContinuousClock.now < deadline {
            if let log = FileManager.default.contents(atPath: serialLog),
                String(decoding: log, as: UTF8.self).contains("Linux version")
            {
                return Decision(accelerator: .kvm, reason: "KVM guest booted its kernel")
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return Decision(accelerator: .tcg, reason: "KVM guest printed no kernel line within \(self.timeout)")
    }

    private static func newestKernel() -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/boot")) ?? []
        return names.filter { $0.hasPrefix("vmlinuz-") }.sorted().last.map { "/boot/" + $0 }
    }
}
