import NIOCore
import Testing
import ZooKeeperProtocol

@testable import ZooKeeperServer

struct ServerSessionStateMachineTests {
    private func frame(_ record: some JuteRecord) -> ByteBuffer { record.encoded() }

    private func request(_ xid: Int32, _ type: OpCode, _ record: some JuteRecord) -> ByteBuffer {
        var buffer = ByteBuffer()
        RequestHeader(xid: xid, type: type).encode(to: &buffer)
        record.encode(to: &buffer)
        return buffer
    }

    @Test func handshakeThenRequests() {
        var m = ServerSessionStateMachine()
        let connect = ConnectRequest(timeOut: 10000)
        #expect(m.frameReceived(self.frame(connect)) == .connect(connect))
        #expect(m.connectFinished(.established(sessionId: 7)) == .none)
        #expect(m.sessionId == 7)
        let get = GetDataRequest(path: "/a", watch: true)
        #expect(
            m.frameReceived(self.request(1, .getData, get))
                == .process(RequestHeader(xid: 1, type: .getData), .getData(get))
        )
        #expect(m.handshakeDeadlinePassed() == .none)
        #expect(m.channelInactive() == .unregister)
        #expect(m.channelInactive() == .none)
    }

    @Test func malformedFramesClose() {
        var m = ServerSessionStateMachine()
        #expect(m.frameReceived(ByteBuffer(bytes: [1, 2])) == .close)
        #expect(m.frameReceived(ByteBuffer(bytes: [1, 2])) == .none)

        var n = ServerSessionStateMachine()
        _ = n.frameReceived(self.frame(ConnectRequest(timeOut: 1)))
        _ = n.connectFinished(.established(sessionId: 1))
        #expect(n.frameReceived(ByteBuffer(bytes: [0, 0, 0, 1, 0, 0, 0, 1, 0])) == .close)
    }

    @Test func silentClientIsClosedAtDeadline() {
        var m = ServerSessionStateMachine()
        #expect(m.handshakeDeadlinePassed() == .close)
        #expect(m.channelInactive() == .unregister)
    }

    @Test func closeSessionStopsFurtherFrames() {
        var m = ServerSessionStateMachine()
        _ = m.frameReceived(self.frame(ConnectRequest(timeOut: 1)))
        _ = m.connectFinished(.established(sessionId: 1))
        #expect(
            m.frameReceived(self.request(5, .closeSession, EmptyRecord()))
                == .process(RequestHeader(xid: 5, type: .closeSession), .write(.closeSession))
        )
        #expect(m.frameReceived(self.request(6, .ping, EmptyRecord())) == .none)
    }

    @Test func rejectedConnectCloses() {
        var m = ServerSessionStateMachine()
        _ = m.frameReceived(self.frame(ConnectRequest(timeOut: 1, sessionId: 9)))
        #expect(m.connectFinished(.rejected) == .none)
        #expect(m.frameReceived(self.request(1, .ping, EmptyRecord())) == .none)
        #expect(m.errorCaught() == .none)
    }
}
