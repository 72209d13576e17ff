import Testing
import ZooKeeperProtocol

@testable import ZooKeeperClient

@Suite("ClientSessionStateMachine")
struct ClientSessionStateMachineTests {
    private func established(servers: Int = 3) -> ClientSessionStateMachine {
        var machine = ClientSessionStateMachine(
            serverCount: servers,
            requestedTimeout: 10_000,
            reconnectWithNewSession: false,
            resume: nil
        )
        _ = machine.start()
        _ = machine.channelConnected(lastZxidSeen: 0)
        _ = machine.connectResponse(ConnectResponse(timeOut: 6000, sessionId: 42, passwd: [1, 2, 3]))
        return machine
    }

    @Test
    func aNewSessionConnectsToTheFirstServerAndHandshakes() {
        var machine = ClientSessionStateMachine(
            serverCount: 2,
            requestedTimeout: 10_000,
            reconnectWithNewSession: false,
            resume: nil
        )
        #expect(machine.start() == [.connect(serverIndex: 0, delayMilliseconds: 0)])
        #expect(machine.acceptsRequests)
        let actions = machine.channelConnected(lastZxidSeen: 0)
        #expect(actions == [.sendConnectRequest(ConnectRequest(timeOut: 10_000))])
        #expect(machine.isHandshaking)
        let established = machine.connectResponse(ConnectResponse(timeOut: 6000, sessionId: 7, passwd: [9]))
        #expect(established == [.established(.connected)])
        #expect(machine.isConnected)
        #expect(machine.sessionId == 7)
        #expect(machine.password == [9])
        #expect(machine.negotiatedTimeout == 6000)
    }

    @Test
    func aLostConnectionResumesTheSessionOnTheNextServer() {
        var machine = self.established()
        #expect(
            machine.channelClosed() == [.connectionLost(.suspended), .connect(serverIndex: 1, delayMilliseconds: 0)]
        )
        #expect(!machine.isConnected)
        #expect(machine.acceptsRequests)
        let handshake = machine.channelConnected(lastZxidSeen: 99)
        #expect(
            handshake == [
                .sendConnectRequest(
                    ConnectRequest(lastZxidSeen: 99, timeOut: 10_000, sessionId: 42, passwd: [1, 2, 3])
                )
            ]
        )
        let resumed = machine.connectResponse(ConnectResponse(timeOut: 6000, sessionId: 42, passwd: [1, 2, 3]))
        #expect(resumed == [.established(.reconnected)])
    }

    @Test
    func failedConnectsCycleThroughTheServersThenBackOff() {
        var machine = ClientSessionStateMachine(
            serverCount: 2,
            requestedTimeout: 4000,
            reconnectWithNewSession: false,
            resume: nil
        )
        #expect(machine.start() == [.connect(serverIndex: 0, delayMilliseconds: 0)])
        #expect(machine.connectFailed() == [.connect(serverIndex: 1, delayMilliseconds: 0)])
        #expect(machine.connectFailed() == [.connect(serverIndex: 0, delayMilliseconds: 250)])
        #expect(machine.connectFailed() == [.connect(serverIndex: 1, delayMilliseconds: 0)])
    }

    @Test
    func anExpiredSessionStaysExpired() {
        var machine = self.established()
        _ = machine.channelClosed()
        _ = machine.channelConnected(lastZxidSeen: 5)
        let actions = machine.connectResponse(ConnectResponse(timeOut: 0, sessionId: 0, passwd: []))
        #expect(actions == [.expire, .closeChannel])
        #expect(!machine.acceptsRequests)
        #expect(machine.terminalError == .sessionExpired)
        #expect(machine.channelClosed() == [])
        #expect(machine.start() == [])
    }

    @Test
    func anExpiredSessionIsReplacedOnlyWhenAskedFor() {
        var machine = ClientSessionStateMachine(
            serverCount: 1,
            requestedTimeout: 4000,
            reconnectWithNewSession: true,
            resume: (42, [1])
        )
        _ = machine.start()
        #expect(
            machine.channelConnected(lastZxidSeen: 0) == [
                .sendConnectRequest(ConnectRequest(timeOut: 4000, sessionId: 42, passwd: [1]))
            ]
        )
        let actions = machine.connectResponse(ConnectResponse(timeOut: 0, sessionId: 0, passwd: []))
        #expect(actions == [.expire, .closeChannel, .connect(serverIndex: 0, delayMilliseconds: 0)])
        #expect(machine.sessionId == 0)
        #expect(machine.acceptsRequests)
        _ = machine.channelConnected(lastZxidSeen: 0)
        #expect(
            machine.connectResponse(ConnectResponse(timeOut: 4000, sessionId: 43, passwd: [2]))
                == [.established(.connected)]
        )
    }

    @Test
    func closeSendsCloseSessionThenEnds() {
        var machine = self.established()
        #expect(machine.closeRequested() == [.sendCloseSession])
        #expect(!machine.acceptsRequests)
        #expect(machine.closeRequested() == [])
        #expect(machine.closeSessionDone() == [.closeChannel, .closed])
        #expect(machine.channelClosed() == [])
    }

    @Test
    func closingWhileDisconnectedEndsAtOnce() {
        var machine = self.established()
        _ = machine.channelClosed()
        #expect(machine.closeRequested() == [.closeChannel, .closed])
        #expect(machine.terminalError == .connectionLoss)
    }

    @Test
    func abandoningKeepsTheSessionOnTheServer() {
        var machine = self.established()
        #expect(machine.abandonRequested() == [.closeChannel, .closed])
        #expect(machine.abandonRequested() == [])
    }

    @Test
    func authFailureIsTerminal() {
        var machine = self.established()
        #expect(machine.authFailed() == [.failAuth, .closeChannel])
        #expect(machine.terminalError == .authFailed)
        #expect(machine.channelClosed() == [])
        #expect(!machine.acceptsRequests)
    }

    @Test
    func aHandshakeThatDiesTriesTheNextServerWithoutReportingSuspension() {
        var machine = ClientSessionStateMachine(
            serverCount: 3,
            requestedTimeout: 4000,
            reconnectWithNewSession: false,
            resume: nil
        )
        _ = machine.start()
        _ = machine.channelConnected(lastZxidSeen: 0)
        #expect(machine.channelClosed() == [.connectionLost(nil), .connect(serverIndex: 1, delayMilliseconds: 0)])
    }

    @Test
    func unexpectedEventsCloseTheChannel() {
        var machine = self.established()
        #expect(machine.channelConnected(lastZxidSeen: 0) == [.closeChannel])
        #expect(machine.connectResponse(ConnectResponse(timeOut: 1, sessionId: 1, passwd: [])) == [.closeChannel])
    }
}
