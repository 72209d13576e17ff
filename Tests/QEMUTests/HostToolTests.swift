import Foundation
import QEMU
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The programs the agent runs inherit none of its descriptors (issue 13: a daemonized QEMU kept the socket pair
/// of a concurrent `ip` run open, so that run never ended).
struct HostToolTests {
    @Test func aProgramInheritsOnlyItsStandardDescriptors() async throws {
        // Without close-on-exec, as Foundation's `Process` makes its socket pairs.
        var bystander: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &bystander) == 0)
        defer { for fd in bystander { close(fd) } }
        // The shell lists its own descriptors (a glob, no child process).
        let output = try await HostTool.run("sh", ["-c", "for f in /proc/$$/fd/*; do echo ${f##*/}; done"])
        let descriptors = Set(String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { Int32($0) })
        #expect(descriptors.isSuperset(of: [0, 1, 2]))
        #expect(descriptors.isDisjoint(with: bystander), "inherited: \(descriptors)")
    }

    @Test func aFailingProgramReportsItsStatusAndLastStderrLineAndASlowOneIsKilled() async throws {
        let failure = QEMUError(.toolFailed, "sh exited with status 3: second")
        await #expect(throws: failure) {
            try await HostTool.run("sh", ["-c", "echo first >&2; echo second >&2; exit 3"])
        }
        let slow = await #expect(throws: QEMUError.self) {
            // Far longer than the timeout: under the whole suite's load the waiting task can go unscheduled for
            // seconds, and a program that ends before its wait looks is rightly not a timeout.
            try await HostTool.run("sleep", ["60"], timeout: .milliseconds(100))
        }
        #expect(slow?.code == .timeout)
    }

    @Test func aLaunchedQEMUKeepsNoDescriptorOfItsLauncher() async throws {
        var bystander: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &bystander) == 0)
        defer { for fd in bystander { close(fd) } }
        let links = Set(
            bystander.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)") }
        )
        try await QEMUScratch.with { directory in
            let vm = try await QEMUProcess.launch(QEMUScratch.machine(in: directory, paused: true))
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(vm.pid)/fd")) ?? []
            let held = fds.compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(vm.pid)/fd/\($0)")
            }
            #expect(!fds.isEmpty)
            #expect(links.isDisjoint(with: held), "QEMU holds \(held)")
            try await vm.kill()
        }
    }
}
