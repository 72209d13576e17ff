import Foundation
import QEMU
import Testing

/// Real `qemu-system-x86_64` (TCG, 64 MiB, no disk, no network).
struct QEMUProcessTests {
    @Test func statusStopContAndTheirEvents() async throws {
        try await QEMUScratch.with { directory in
            let vm = try await QEMUProcess.launch(QEMUScratch.machine(in: directory))
            #expect(vm.isRunning)
            #expect(vm.qmp.greeting.major >= 7)
            #expect(try await vm.status() == QEMUProcess.Status(running: true, status: "running"))
            try await vm.qmp.execute("stop")
            #expect(await QEMUScratch.event(.stop, on: vm.qmp.events) != nil)
            #expect(try await vm.status() == QEMUProcess.Status(running: false, status: "paused"))
            try await vm.qmp.execute("cont")
            #expect(await QEMUScratch.event(.resume, on: vm.qmp.events) != nil)
            #expect(try await vm.status().running)
            try await vm.quit()
        }
    }

    @Test func startsPausedUntilCont() async throws {
        try await QEMUScratch.with { directory in
            let vm = try await QEMUProcess.launch(QEMUScratch.machine(in: directory, paused: true))
            #expect(try await vm.status() == QEMUProcess.Status(running: false, status: "prelaunch"))
            try await vm.qmp.execute("cont")
            #expect(try await vm.status().running)
            try await vm.kill()
        }
    }

    @Test func unknownCommandFailsWithQEMUsClass() async throws {
        try await QEMUScratch.with { directory in
            let vm = try await QEMUProcess.launch(QEMUScratch.machine(in: directory, paused: true))
            let expected = QEMUError(
                .commandFailed,
                "no-such-command: CommandNotFound: The command no-such-command has not been found"
            )
            await #expect(throws: expected) { try await vm.qmp.execute("no-such-command") }
            let badArgument = QEMUError(.commandFailed, "device_del: DeviceNotFound: Device 'nope' not found")
            await #expect(throws: badArgument) { try await vm.qmp.execute("device_del", arguments: ["id": "nope"]) }
            #expect(try await vm.status().status == "prelaunch")
            try await vm.kill()
        }
    }

    @Test func powerdownAndResetReachTheMachine() async throws {
        try await QEMUScratch.with { directory in
            let vm = try await QEMUProcess.launch(QEMUScratch.machine(in: directory))
            try await vm.powerdown()
            #expect(await QEMUScratch.event(.powerdown, on: vm.qmp.events) != nil)
            try await vm.reset()
            #expect(await QEMUScratch.event(.reset, on: vm.qmp.events) != nil)
            try await vm.kill()
        }
    }

    @Test func quitEndsTheProcessAndTheEventStream() async throws {
        try await QEMUScratch.with { directory in
            let vm = try await QEMUProcess.launch(QEMUScratch.machine(in: directory))
            try await vm.quit()
            #expect(!vm.isRunning)
            #expect(await QEMUScratch.finishes(vm.qmp.events))
            #expect(vm.qmp.isClosed)
            await #expect(throws: QEMUError(.protocolError, "query-status: QMP connection closed")) {
                try await vm.status()
            }
            #expect(QEMUScratch.processes(mentioning: directory).isEmpty)
        }
    }

    @Test func sigkillIsSeenAsTheConnectionClosing() async throws {
        try await QEMUScratch.with { directory in
            let vm = try await QEMUProcess.launch(QEMUScratch.machine(in: directory))
            try await vm.kill()
            #expect(!vm.isRunning)
            #expect(await QEMUScratch.finishes(vm.qmp.events))
            let error = await #expect(throws: QEMUError.self) { try await vm.qmp.execute("query-status") }
            #expect(error?.code == .protocolError)
        }
    }

    @Test func launchFailureCarriesQEMUsMessageAndLeavesNoProcess() async throws {
        try await QEMUScratch.with { directory in
            var machine = QEMUScratch.machine(in: directory)
            machine.drives = [.init(path: directory + "/missing.qcow2")]
            let error = await #expect(throws: QEMUError.self) { try await QEMUProcess.launch(machine) }
            #expect(error?.code == .launchFailed)
            #expect(error?.message.hasPrefix("qemu-system-x86_64: -drive file=\(directory)/missing.qcow2") == true)
            #expect(
                error?.message.hasSuffix("Could not open '\(directory)/missing.qcow2': No such file or directory")
                    == true
            )
            #expect(QEMUScratch.processes(mentioning: directory).isEmpty)
        }
    }

    @Test func missingBinaryIsToolMissing() async throws {
        try await QEMUScratch.with { directory in
            await #expect(throws: QEMUError(.toolMissing, "qemu-system-nonexistent is not installed")) {
                try await QEMUProcess.launch(QEMUScratch.machine(in: directory), binary: "qemu-system-nonexistent")
            }
        }
    }

    @Test func adoptsARunningQEMUAfterItsClientIsGone() async throws {
        try await QEMUScratch.with { directory in
            let first = try await QEMUProcess.launch(QEMUScratch.machine(in: directory))
            try await first.qmp.execute("stop")
            await first.qmp.close()
            #expect(first.qmp.isClosed)
            #expect(first.isRunning)

            let adopted = try await QEMUProcess.adopt(runDirectory: directory)
            #expect(adopted.pid == first.pid)
            #expect(try await adopted.status() == QEMUProcess.Status(running: false, status: "paused"))
            try await adopted.quit()
            await #expect(throws: QEMUError(.notRunning, "no running QEMU for \(directory)")) {
                try await QEMUProcess.adopt(runDirectory: directory)
            }
        }
    }

    @Test func secondLaunchInARunningDirectoryIsRefused() async throws {
        try await QEMUScratch.with { directory in
            let vm = try await QEMUProcess.launch(QEMUScratch.machine(in: directory, paused: true))
            await #expect(throws: QEMUError(.launchFailed, "a QEMU already runs for \(directory) (pid \(vm.pid))")) {
                try await QEMUProcess.launch(QEMUScratch.machine(in: directory))
            }
            #expect(try await vm.status().status == "prelaunch")
            try await vm.kill()
        }
    }

    /// A daemonized QEMU outlives its launcher: it must hold none of the launcher's descriptors (a management
    /// server's listening sockets, the socket by which the server's own parent learns of its exit).
    @Test func aLaunchedQEMUHoldsNoDescriptorOfItsLauncher() async throws {
        try await QEMUScratch.with { directory in
            let marker = directory + "/inherited"
            _ = FileManager.default.createFile(atPath: marker, contents: nil)
            // Without O_CLOEXEC, as descriptors handed down by a parent process are.
            let fd = open(marker, O_RDONLY)
            try #require(fd >= 0)
            defer { close(fd) }
            let vm = try await QEMUProcess.launch(QEMUScratch.machine(in: directory, paused: true))
            let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(vm.pid)/fd")
            let targets = fds.compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(vm.pid)/fd/\($0)")
            }
            #expect(!targets.isEmpty)
            #expect(!targets.contains(marker), "\(targets)")
            try await vm.kill()
        }
    }

    @Test func adoptingAnEmptyDirectoryIsNotRunning() async throws {
        try await QEMUScratch.with { directory in
            await #expect(throws: QEMUError(.notRunning, "no running QEMU for \(directory)")) {
                try await QEMUProcess.adopt(runDirectory: directory)
            }
        }
    }
}
