import Testing

@testable import QEMU

/// The session machine fed bytes recorded from Debian's QEMU 7.2.
struct QMPStateMachineTests {
    static let greeting = Array(
        """
        {"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": \
        "Debian 1:7.2+dfsg-7+deb12u18+b3"}, "capabilities": ["oob"]}}\r\n
        """.utf8
    )
    static let capabilitiesReply = Array("{\"return\": {}, \"id\": 0}\r\n".utf8)
    static let qemu72 = QMPGreeting(
        major: 7,
        minor: 2,
        micro: 22,
        package: "Debian 1:7.2+dfsg-7+deb12u18+b3",
        capabilities: ["oob"]
    )

    /// A machine past negotiation.
    static func ready() -> QMPStateMachine {
        var machine = QMPStateMachine(maxMessageLength: 4096)
        _ = machine.received(Self.greeting)
        _ = machine.received(Self.capabilitiesReply)
        return machine
    }

    @Test func greetingThenCapabilitiesNegotiation() {
        var machine = QMPStateMachine(maxMessageLength: 4096)
        #expect(machine.received(Self.greeting) == [.write("{\"execute\":\"qmp_capabilities\",\"id\":0}\n")])
        #expect(machine.received(Self.capabilitiesReply) == [.ready(Self.qemu72)])
    }

    @Test func greetingSplitAcrossReads() {
        var machine = QMPStateMachine(maxMessageLength: 4096)
        #expect(machine.received(Self.greeting[..<17]) == [])
        #expect(machine.received(Self.greeting[17...]).count == 1)
    }

    @Test func commandBeforeNegotiationFails() {
        var machine = QMPStateMachine(maxMessageLength: 4096)
        let (id, actions) = machine.execute("query-status", arguments: nil)
        #expect(actions == [.fail(id: id, QEMUError(.protocolError, "query-status: QMP session not negotiated"))])
    }

    @Test func refusedNegotiationShutsDown() {
        var machine = QMPStateMachine(maxMessageLength: 4096)
        _ = machine.received(Self.greeting)
        let reply =
            #"{"id": 0, "error": {"class": "GenericError", "desc": "Capabilities negotiation is already complete"}}"#
        let error = QEMUError(
            .commandFailed,
            "qmp_capabilities: GenericError: Capabilities negotiation is already complete"
        )
        #expect(machine.received(Array((reply + "\r\n").utf8)) == [.shutdown(failing: [], error)])
    }

    @Test func commandWritesOneLineWithItsID() {
        var machine = Self.ready()
        let (id, actions) = machine.execute("device_del", arguments: ["id": "disk1"])
        #expect(id == 1)
        #expect(actions == [.write(#"{"arguments":{"id":"disk1"},"execute":"device_del","id":1}"# + "\n")])
    }

    @Test func repliesMatchedByIDOutOfOrder() {
        var machine = Self.ready()
        let first = machine.execute("query-status", arguments: nil).id
        let second = machine.execute("query-kvm", arguments: nil).id
        let bytes = Array(
            """
            {"return": {"enabled": false, "present": true}, "id": \(second)}\r
            {"return": {"status": "paused", "singlestep": false, "running": false}, "id": \(first)}\r\n
            """.utf8
        )
        #expect(
            machine.received(bytes) == [
                .succeed(id: second, ["enabled": false, "present": true]),
                .succeed(id: first, ["status": "paused", "singlestep": false, "running": false]),
            ]
        )
    }

    @Test func errorReplyNamesCommandClassAndDesc() {
        var machine = Self.ready()
        let id = machine.execute("nope", arguments: nil).id
        let bytes = #"{"id": 1, "error": {"class": "CommandNotFound", "desc": "The command nope has not been found"}}"#
        #expect(
            machine.received(Array((bytes + "\r\n").utf8)) == [
                .fail(id: id, QEMUError(.commandFailed, "nope: CommandNotFound: The command nope has not been found"))
            ]
        )
    }

    @Test func eventThenReplyInOneRead() {
        var machine = Self.ready()
        let id = machine.execute("quit", arguments: nil).id
        let bytes = Array(
            """
            {"timestamp": {"seconds": 1796638776, "microseconds": 890604}, "event": "SHUTDOWN", "data": \
            {"guest": false, "reason": "host-qmp-quit"}}\r
            {"return": {}, "id": 1}\r\n
            """.utf8
        )
        let shutdown = QMPEvent(
            name: .shutdown,
            data: ["guest": false, "reason": "host-qmp-quit"],
            timestamp: .init(seconds: 1_796_638_776, microseconds: 890_604)
        )
        #expect(machine.received(bytes) == [.event(shutdown), .succeed(id: id, [:])])
    }

    @Test func eventWithoutDataHasEmptyData() {
        var machine = Self.ready()
        let bytes = #"{"timestamp": {"seconds": 1796638775, "microseconds": 689716}, "event": "RESUME"}"# + "\r\n"
        let resume = QMPEvent(name: .resume, timestamp: .init(seconds: 1_796_638_775, microseconds: 689_716))
        #expect(machine.received(Array(bytes.utf8)) == [.event(resume)])
    }

    @Test func oversizedMessageFailsPendingBeforeItsEnd() {
        var machine = QMPStateMachine(maxMessageLength: 300)
        _ = machine.received(Self.greeting)
        _ = machine.received(Self.capabilitiesReply)
        let id = machine.execute("query-qmp-schema", arguments: nil).id
        // No newline yet: the limit applies to what would be buffered, not to a finished line.
        let bytes = Array(("{\"return\": [" + String(repeating: "{}, ", count: 100)).utf8)
        #expect(
            machine.received(bytes) == [
                .shutdown(failing: [id], QEMUError(.protocolError, "QMP message over 300 bytes"))
            ]
        )
        #expect(machine.isClosed)
        #expect(machine.received(Self.capabilitiesReply) == [])
    }

    @Test func malformedJSONShutsDown() {
        var machine = Self.ready()
        let id = machine.execute("query-status", arguments: nil).id
        let actions = machine.received(Array("{\"return\": \r\n".utf8))
        #expect(actions == [.shutdown(failing: [id], QEMUError(.protocolError, "malformed QMP message (11 bytes)"))])
    }

    @Test func replyWithUnknownIDShutsDown() {
        var machine = Self.ready()
        let actions = machine.received(Array("{\"return\": {}, \"id\": 42}\r\n".utf8))
        #expect(actions == [.shutdown(failing: [], QEMUError(.protocolError, "reply with an unknown id"))])
    }

    @Test func closeFailsPendingCommandsThenRefusesNewOnes() {
        var machine = Self.ready()
        let first = machine.execute("query-status", arguments: nil).id
        let second = machine.execute("stop", arguments: nil).id
        let closed = QEMUError(.protocolError, "QMP connection closed")
        #expect(machine.channelClosed() == [.shutdown(failing: [first, second], closed)])
        #expect(machine.channelClosed() == [])
        let (id, actions) = machine.execute("cont", arguments: nil)
        #expect(actions == [.fail(id: id, QEMUError(.protocolError, "cont: QMP connection closed"))])
    }

    @Test func noGreetingInTimeIsATimeout() {
        var machine = QMPStateMachine(maxMessageLength: 4096)
        let actions = machine.negotiationTimedOut()
        #expect(actions.count == 1)
        if case .shutdown(let failing, let error) = actions.first {
            #expect(failing.isEmpty)
            #expect(error.code == .timeout)
        }
        var ready = Self.ready()
        #expect(ready.negotiationTimedOut() == [])
    }
}

extension QMPStateMachineTests {
    @Test func timedOutCommandFailsAndItsLateReplyIsDropped() {
        var machine = Self.ready()
        let id = machine.execute("query-block", arguments: nil).id
        #expect(
            machine.commandTimedOut(id: id) == [.fail(id: id, QEMUError(.timeout, "query-block: no reply in time"))]
        )
        #expect(machine.commandTimedOut(id: id) == [])
        #expect(machine.received(Array("{\"return\": [], \"id\": \(id)}\r\n".utf8)) == [])
        #expect(!machine.isClosed)
        let next = machine.execute("query-status", arguments: nil).id
        #expect(machine.received(Array("{\"return\": {}, \"id\": \(next)}\r\n".utf8)) == [.succeed(id: next, [:])])
    }
}
