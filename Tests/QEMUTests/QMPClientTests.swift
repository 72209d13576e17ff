import QEMU
import Testing

/// The client's limits against a real QEMU.
struct QMPClientTests {
    @Test func greetingOverTheSizeLimitIsAProtocolError() async throws {
        try await QEMUScratch.with { directory in
            let vm = try await QEMUProcess.launch(QEMUScratch.machine(in: directory, paused: true))
            await vm.qmp.close()
            // QEMU 7.2's greeting is about 140 bytes.
            await #expect(throws: QEMUError(.protocolError, "QMP message over 64 bytes")) {
                try await QMPClient.connect(
                    socketPath: QEMUScratch.machine(in: directory).qmpSocketPath,
                    maxMessageLength: 64
                )
            }
            let adopted = try await QEMUProcess.adopt(runDirectory: directory)
            #expect(try await adopted.status().status == "prelaunch")
            try await adopted.kill()
        }
    }

    @Test func socketHeldByAnotherClientTimesOut() async throws {
        try await QEMUScratch.with { directory in
            let vm = try await QEMUProcess.launch(QEMUScratch.machine(in: directory, paused: true))
            let error = await #expect(throws: QEMUError.self) {
                try await QMPClient.connect(
                    socketPath: QEMUScratch.machine(in: directory).qmpSocketPath,
                    timeout: .milliseconds(300)
                )
            }
            #expect(error == QEMUError(.timeout, "no QMP greeting in time (another client connected?)"))
            #expect(try await vm.status().running == false)
            try await vm.kill()
        }
    }

    @Test func missingSocketIsAProtocolError() async throws {
        try await QEMUScratch.with { directory in
            let error = await #expect(throws: QEMUError.self) {
                try await QMPClient.connect(socketPath: directory + "/none.sock")
            }
            #expect(error?.code == .protocolError)
        }
    }
}
