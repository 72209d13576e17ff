import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// How long the API server waits on a client before closing its connection.
///
/// As a typical HTTP server (nginx's `keepalive_timeout`, `client_header_timeout`, `client_body_timeout`): an idle
/// keep-alive connection is closed after ``idle``; a request whose head (request line and headers) has begun to
/// arrive must be complete within ``headerRead``; while its body arrives, ``bodyRead`` may pass between two reads.
/// A request that has been read fully is never timed out while its command runs.
public struct APIServerTimeouts: Sendable, Hashable {
    /// An idle connection's lifetime between requests (default 60 s).
    public var idle: Duration
    /// The time a request's head may take to arrive, from its first byte (default 30 s).
    public var headerRead: Duration
    /// The longest pause while a request's body arrives (default 30 s).
    public var bodyRead: Duration

    /// Timeouts.
    /// - Parameters:
    ///   - idle: an idle connection's lifetime.
    ///   - headerRead: the time a request's head may take.
    ///   - bodyRead: the longest pause in a request's body.
    public init(idle: Duration = .seconds(60), headerRead: Duration = .seconds(30), bodyRead: Duration = .seconds(30)) {
        self.idle = idle
        self.headerRead = headerRead
        self.bodyRead = bodyRead
    }

    static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue
        return .nanoseconds(nanoseconds + attoseconds / 1_000_000_000)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the API server's timeouts: Hummingbird's idle timeout, and a read timeout on request heads and
    /// bodies.
    /// - Parameter timeouts: the timeouts.
    /// - Returns: the builder, for `Application(router:server:...)`.
    public static func zooStackAPI(timeouts: APIServerTimeouts = APIServerTimeouts()) -> HTTPServerBuilder {
        .init { responder in
            TimedHTTP1Channel(
                http1: HTTP1Channel(
                    responder: responder,
                    configuration: .init(
                        additionalChannelHandlers: [HTTPRequestProgressHandler()],
                        idleTimeout: APIServerTimeouts.amount(timeouts.idle)
                    )
                ),
                timeouts: timeouts
            )
        }
    }
}

/// Hummingbird's HTTP/1 child channel with ``HTTPReadTimeoutHandler`` in front of the HTTP decoder.
struct TimedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let http1: HTTP1Channel
    let timeouts: APIServerTimeouts

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let timeouts = self.timeouts
        let http1 = self.http1
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
                HTTPReadTimeoutHandler(
                    headerRead: APIServerTimeouts.amount(timeouts.headerRead),
                    bodyRead: APIServerTimeouts.amount(timeouts.bodyRead)
                ),
                position: .first
            )
        }.flatMap { http1.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await self.http1.handle(value: value, logger: logger)
    }
}

/// What ``HTTPRequestProgressHandler`` tells ``HTTPReadTimeoutHandler`` (an outbound user event).
enum HTTPRequestProgress: Sendable {
    /// A request's head was decoded.
    case head
    /// A request's end was decoded.
    case end
}

/// Behind the HTTP decoder: reports each request's head and end to ``HTTPReadTimeoutHandler``.
final class HTTPRequestProgressHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head: context.triggerUserOutboundEvent(HTTPRequestProgress.head, promise: nil)
        case .body: break
        case .end: context.triggerUserOutboundEvent(HTTPRequestProgress.end, promise: nil)
        }
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension HTTPRequestProgressHandler: Sendable {}

/// In front of the HTTP decoder: closes a connection whose request head takes longer than `headerRead` from its
/// first byte, or whose body pauses longer than `bodyRead`. Between requests (and while a command runs) it does
/// nothing: the idle timeout is Hummingbird's.
final class HTTPReadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = Any
    typealias OutboundOut = Any

    private enum State {
        /// Between requests, or a request read fully and being answered.
        case waiting
        /// A request's head is arriving.
        case head
        /// A request's body is arriving.
        case body
    }

    private let headerRead: TimeAmount
    private let bodyRead: TimeAmount
    private var state = State.waiting
    private var timer: Scheduled<Void>?

    init(headerRead: TimeAmount, bodyRead: TimeAmount) {
        self.headerRead = headerRead
        self.bodyRead = bodyRead
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.state {
        case .waiting:
            self.state = .head
            self.arm(context, self.headerRead)
        case .head:
            break
        case .body:
            self.arm(context, self.bodyRead)
        }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let progress = event as? HTTPRequestProgress else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch progress {
        case .head:
            self.state = .body
            self.arm(context, self.bodyRead)
        case .end:
            self.state = .waiting
            self.timer?.cancel()
            self.timer = nil
        }
        promise?.succeed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
    }

    private func arm(_ context: ChannelHandlerContext, _ timeout: TimeAmount) {
        self.timer?.cancel()
        let channel = context.channel
        // Cancelled on the event loop it runs on: a timer that fires is one no read or request end has replaced.
        self.timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }
}

@available(*, unavailable)
extension HTTPReadTimeoutHandler: Sendable {}
