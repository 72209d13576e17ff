import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection for load generation: one request at a time, each answered before the next.
///
/// The benchmark's own client, so that what is measured is the server and not a general-purpose client's pool.
struct BenchHTTPConnection: Sendable {
    let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
    let host: String

    /// Connects to `host:port`.
    static func connect(host: String, port: Int, group: any EventLoopGroup) async throws -> BenchHTTPConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        return BenchHTTPConnection(channel: channel, host: host)
    }

    /// Runs `body` with a function that sends `GET uri` and returns the status and body, then closes.
    func withRequests<T: Sendable>(
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
                throw BenchError("the server closed the connection")
            }
        }
    }
}

/// A benchmark failure with a message.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
