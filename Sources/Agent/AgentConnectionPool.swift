import NIOCore
import NIOPosix
import Synchronization

/// The management server's connections to agents: one TCP connection per agent address, made on first use,
/// reused by every command (requests are pipelined; answers are matched by sequence number), and made again
/// after it closes. A connection is used only once the agent has proved the cluster secret (``AgentSecret``).
public final class AgentConnectionPool: Sendable {
    private let group: any EventLoopGroup
    private let secret: AgentSecret
    private let commandTimeout: TimeAmount
    private let connectTimeout: TimeAmount
    private let connections = Mutex<[String: EventLoopFuture<any Channel>]>([:])
    private let sequence = Atomic<UInt64>(0)

    /// Creates a pool.
    /// - Parameters:
    ///   - secret: the cluster secret proved to agents, and asked of them.
    ///   - group: the event loops.
    ///   - commandTimeout: how long a command may wait for its answer (CloudStack's `wait`: a real host's start
    ///     of many VMs at once, or a clean stop's ACPI wait, takes tens of seconds).
    ///   - connectTimeout: how long a connection attempt, its handshake included, may take.
    public init(
        secret: AgentSecret,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        commandTimeout: Duration = .seconds(120),
        connectTimeout: Duration = .seconds(5)
    ) {
        self.secret = secret
        self.group = group
        self.commandTimeout = TimeAmount(commandTimeout)
        self.connectTimeout = TimeAmount(connectTimeout)
    }

    /// Sends one command to the agent at `address` and waits for its answer.
    /// - Parameters:
    ///   - command: the command.
    ///   - body: its arguments.
    ///   - address: the agent, `HOST:PORT`.
    ///   - timeout: how long the answer may take (CloudStack's per-command `wait`, e.g. `migratewait` for a
    ///     `MigrateCommand`); nil: the pool's command timeout.
    /// - Returns: the agent's answer (which may report failure).
    /// - Throws: ``AgentProtocolError`` `.unreachable`, `.connectionClosed` or `.timeout`.
    public func send(
        _ command: AgentCommand,
        _ body: AgentCommandBody,
        to address: String,
        timeout: Duration? = nil
    ) async throws(AgentProtocolError) -> AgentAnswer {
        let channel = try await self.channel(for: address)
        let seq = self.sequence.add(1, ordering: .relaxed).newValue
        let promise = channel.eventLoop.makePromise(of: AgentAnswer.self)
        let timeout = timeout.map { TimeAmount($0) } ?? self.commandTimeout
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(AgentProtocolError(.timeout, "no answer from the agent at \(address) within \(timeout)"))
        }
        channel.writeAndFlush(
            PendingAgentRequest(request: AgentRequest(seq: seq, command: command, body: body), promise: promise)
        )
        .whenFailure { error in
            promise.fail(AgentProtocolError(.connectionClosed, "connection to the agent at \(address) lost: \(error)"))
        }
        do {
            let answer = try await promise.futureResult.get()
            deadline.cancel()
            return answer
        } catch let error as AgentProtocolError {
            deadline.cancel()
            throw error
        } catch {
            deadline.cancel()
            throw AgentProtocolError(.connectionClosed, "connection to the agent at \(address) lost: \(error)")
        }
    }

    /// Closes every connection.
    public func close() async {
        let futures = self.connections.withLock { connections in
            let all = Array(connections.values)
            connections = [:]
            return all
        }
        for future in futures {
            if let channel = try? await future.get() { try? await channel.close() }
        }
    }

    /// The open connection to `address`, connecting when there is none (or it closed).
    private func channel(for address: String) async throws(AgentProtocolError) -> any Channel {
        // A cached connection may have closed since its last use: then make one new connection.
        for _ in 0..<2 {
            let future = self.connections.withLock { connections in
                if let existing = connections[address] { return existing }
                let future = self.connect(address)
                connections[address] = future
                return future
            }
            do {
                let channel = try await future.get()
                if channel.isActive { return channel }
            } catch let error as AgentProtocolError where error.kind == .authenticationFailed {
                self.forget(address, future)
                throw error
            } catch {
                self.forget(address, future)
                throw AgentProtocolError(.unreachable, "cannot connect to the agent at \(address): \(error)")
            }
            self.forget(address, future)
        }
        throw AgentProtocolError(.unreachable, "cannot keep a connection to the agent at \(address)")
    }

    private func forget(_ address: String, _ future: EventLoopFuture<any Channel>) {
        self.connections.withLock { connections in
            if connections[address] === future { connections[address] = nil }
        }
    }

    private func connect(_ address: String) -> EventLoopFuture<any Channel> {
        let loop = self.group.next()
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            return loop.makeFailedFuture(AgentProtocolError(.unreachable, "invalid agent address \(address)"))
        }
        let host = String(address[..<colon])
        let authenticated = loop.makePromise(of: Void.self)
        let (secret, timeout) = (self.secret, self.connectTimeout)
        let connected = ClientBootstrap(group: loop)
            .connectTimeout(self.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(AgentFrameDecoder()),
                        AgentClientAuthHandler(
                            secret: secret,
                            timeout: timeout,
                            address: address,
                            authenticated: authenticated
                        ),
                        AgentClientHandler()
                    )
                }
            }
            .connect(host: host, port: port)
        connected.whenFailure { authenticated.fail($0) }
        // Handed out only once the agent has proved the secret; a failed handshake has closed the connection.
        return connected.flatMap { channel in authenticated.futureResult.map { channel } }
    }
}

/// A request on its way out with the promise of its answer.
struct PendingAgentRequest: Sendable {
    var request: AgentRequest
    var promise: EventLoopPromise<AgentAnswer>
}

/// The management-server side of a connection: frames requests, matches answers to them by sequence number,
/// and fails every pending request when the connection closes or a malformed answer arrives.
final class AgentClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = PendingAgentRequest
    typealias OutboundOut = ByteBuffer

    private var pending: [UInt64: EventLoopPromise<AgentAnswer>] = [:]

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let outgoing = Self.unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: 256)
        do {
            try AgentWire.encode(outgoing.request, into: &buffer)
        } catch {
            outgoing.promise.fail(error)
            promise?.fail(error)
            return
        }
        self.pending[outgoing.request.seq] = outgoing.promise
        context.write(Self.wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let answer: AgentAnswer
        do {
            answer = try AgentWire.decode(AgentAnswer.self, from: Self.unwrapInboundIn(data))
        } catch {
            self.failAll(error)
            context.close(promise: nil)
            return
        }
        self.pending.removeValue(forKey: answer.seq)?.succeed(answer)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.failAll(AgentProtocolError(.connectionClosed, "the agent closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.failAll(AgentProtocolError(.connectionClosed, "agent connection failed: \(error)"))
        context.close(promise: nil)
    }

    private func failAll(_ error: AgentProtocolError) {
        let promises = self.pending.values
        self.pending = [:]
        for promise in promises { promise.fail(error) }
    }
}
