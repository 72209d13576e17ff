import Foundation
import QEMU
import Testing

struct AcceleratorProbeTests {
    @Test func unopenableKVMDeviceChoosesTCG() async throws {
        try await QEMUScratch.with { directory in
            let decision = await AcceleratorProbe(kvmDevice: directory + "/kvm").decide(workDirectory: directory)
            #expect(decision.accelerator == .tcg)
            #expect(decision.reason == "cannot open \(directory)/kvm read-write: No such file or directory")
        }
    }

    @Test func decidesAndLeavesNoProcess() async throws {
        try await QEMUScratch.with { directory in
            let decision = await AcceleratorProbe(timeout: .seconds(3)).decide(workDirectory: directory)
            #expect(!decision.reason.isEmpty)
            #expect(QEMUScratch.processes(mentioning: directory).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: directory + "/qemu.pid"))
        }
    }

    @Test func aTCGGuestBootsTheHostKernel() async throws {
        try await QEMUScratch.with { directory in
            let kernels = try FileManager.default.contentsOfDirectory(atPath: "/boot").filter {
                $0.hasPrefix("vmlinuz-")
            }
            let kernel = try #require(kernels.sorted().last, "linux-image-cloud-amd64 provides /boot/vmlinuz-*")
            var machine = QEMUMachine(name: "tcg-boot", memoryMiB: 128, accelerator: .tcg, runDirectory: directory)
            machine.kernel = "/boot/" + kernel
            machine.append = "console=ttyS0 earlyprintk=ttyS0 panic=-1"
            let vm = try await QEMUProcess.launch(machine)
            let deadline = ContinuousClock.now + .seconds(30)
            var booted = false
            while !booted, ContinuousClock.now < deadline {
                let log = FileManager.default.contents(atPath: machine.serialLogPath) ?? Data()
                booted = String(decoding: log, as: UTF8.self).contains("Linux version")
                if !booted { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(booted)
            #expect(try await vm.qmp.execute("query-kvm")["enabled"] == false)
            try await vm.kill()
        }
    }
}
