import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection: one GET at a time, each answered before the next. The load generators'
/// own client, so that what is measured is the server and not a general-purpose client's pool.
public struct HTTPKeepAliveConnection: Sendable {
    let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
    let host: String

    /// Connects to `host:port`.
    /// - Parameters:
    ///   - host: the address.
    ///   - port: the port.
    ///   - group: the event loops.
    /// - Returns: the connection.
    /// - Throws: when the connection is refused.
    public static func connect(
        host: String,
        port: Int,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> HTTPKeepAliveConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        return HTTPKeepAliveConnection(channel: channel, host: host)
    }

    /// Runs `body` with a function that sends `GET uri` and returns the status and body, then closes.
    /// - Parameter body: the requests.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, or ``HarnessError`` when the server closes the connection mid-answer.
    public func withRequests<T: Sendable>(
        _ body: (_ get: (String) async throws -> (status: Int, body: String)) async throws -> T
    ) async throws -> T {
        try await self.channel.executeThenClose { inbound, outbound in
            var responses = inbound.makeAsyncIterator()
            return try await body { uri in
                var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: uri)
                head.headers.add(name: "Host", value: self.host)
                try await outbound.write(.head(head))
                try await outbound.write(.end(nil))
                var status = 0
                var text = ""
                while let part = try await responses.next() {
                    switch part {
                    case .head(let response): status = Int(response.status.code)
                    case .body(let buffer): text += String(buffer: buffer)
                    case .end: return (status, text)
                    }
                }
                throw HarnessError("the server closed the connection")
            }
        }
    }
}
