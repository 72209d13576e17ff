import NIOCore
import Synchronization
import Testing
import ZooKeeperProtocol

@testable import ZooKeeperServer

struct ServerCoreTests {
    private func replies(_ sink: RecordingSink) throws -> [ReplyHeader] {
        try sink.drain().map { frame in
            var buffer = ByteBuffer(bytes: frame)
            buffer.moveReaderIndex(forwardBy: 4)
            return try ReplyHeader(from: &buffer)
        }
    }

    private func session(_ core: ServerCore, timeout: Int32 = 4000) throws -> (ConnectionID, RecordingSink) {
        let sink = RecordingSink()
        let id = try #require(core.register(sink: sink, host: "127.0.0.1", port: 1))
        #expect(core.connect(id, ConnectRequest(timeOut: timeout)) != .rejected)
        _ = sink.drain()
        return (id, sink)
    }

    @Test func containersAndTTLNodesAreSwept() throws {
        let clock = ManualClock()
        let config = ZooKeeperServerConfiguration(port: 0, extendedTypesEnabled: true, containerCheckInterval: 1000)
        let core = ServerCore(config: config, clock: clock)
        let (id, sink) = try self.session(core, timeout: 40000)
        let create = { (path: String, type: OpCode, flags: CreateMode) in
            core.process(id, RequestHeader(xid: 1, type: type), .write(.create(createRequest(path, [], flags), type)))
        }
        create("/never", .createContainer, .container)
        create("/used", .createContainer, .container)
        create("/used/child", .create, .persistent)
        core.process(
            id,
            RequestHeader(xid: 2, type: .delete),
            .write(.delete(DeleteRequest(path: "/used/child", version: -1)))
        )
        core.process(
            id,
            RequestHeader(xid: 3, type: .createTTL),
            .write(
                .createTTL(CreateTTLRequest(path: "/ttl", data: [], acl: openACL, flags: .persistentWithTTL, ttl: 5000))
            )
        )
        #expect(try self.replies(sink).allSatisfy { $0.err == .ok })
        clock.advance(by: 2000)
        core.tick()
        let afterFirst = core.state.withLock { Set($0.tree.nodes.keys) }
        #expect(!afterFirst.contains("/used"))  // had a child once: cversion > 0
        #expect(afterFirst.contains("/never") && afterFirst.contains("/ttl"))
        clock.advance(by: 4000)
        core.tick()
        let afterSecond = core.state.withLock { Set($0.tree.nodes.keys) }
        #expect(!afterSecond.contains("/ttl") && afterSecond.contains("/never"))
    }

    @Test func repliesWaitForTheLogInPersistentMode() throws {
        let clock = ManualClock()
        var core: ServerCore?
        let started = SyncCounter()
        let config = ZooKeeperServerConfiguration(port: 0)
        var state = CoreState(config: config, now: clock.nowMilliseconds(), persistent: true)
        state.durableZxid = 0
        core = ServerCore(config: config, clock: clock, initialState: state) { started.increment() }
        let server = try #require(core)
        let sink = RecordingSink()
        let id = try #require(server.register(sink: sink, host: "127.0.0.1", port: 1))
        _ = server.connect(id, ConnectRequest(timeOut: 4000))
        #expect(sink.frames.isEmpty)  // the createSession txn is not durable yet
        #expect(started.value == 1)
        server.process(id, RequestHeader(xid: 1, type: .exists), .exists(ExistsRequest(path: "/", watch: false)))
        #expect(sink.frames.isEmpty)  // a read queues behind the pending write
        let unsynced = server.state.withLock { state in
            defer {
                state.unsynced = []
                state.syncInFlight = false
            }
            return state.unsynced
        }
        #expect(unsynced.count == 1)
        server.markDurable(1)
        #expect(sink.frames.count == 2)
    }

    @Test func expiryClosesTheOwnerAndFiresWatches() throws {
        let clock = ManualClock()
        let core = ServerCore(config: ZooKeeperServerConfiguration(port: 0), clock: clock)
        let (owner, ownerSink) = try self.session(core, timeout: 4000)
        let (observer, observerSink) = try self.session(core, timeout: 40000)
        core.process(
            owner,
            RequestHeader(xid: 1, type: .create),
            .write(.create(createRequest("/e", [], .ephemeral), .create))
        )
        core.process(observer, RequestHeader(xid: 1, type: .exists), .exists(ExistsRequest(path: "/e", watch: true)))
        _ = observerSink.drain()
        clock.advance(by: 6000)
        core.tick()
        #expect(ownerSink.closed)
        let events = try self.replies(observerSink)
        #expect(events.map(\.xid) == [-1])
        #expect(core.state.withLock { $0.tree.node(at: "/e") } == nil)
    }
}

/// A counter safe to bump from any thread.
final class SyncCounter: Sendable {
    private let count = Mutex(0)
    func increment() { self.count.withLock { $0 += 1 } }
    var value: Int { self.count.withLock { $0 } }
}
