import CloudAPI
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

/// The API server closes idle keep-alive connections and requests that stop arriving.
struct HTTPTimeoutTests {
    /// A raw TCP connection to the loopback server.
    final class RawConnection {
        let socket: Int32

        init(port: Int) throws {
            self.socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(self.socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw CancellationError() }
        }

        deinit { close(self.socket) }

        func send(_ text: String) {
            _ = text.withCString { Glibc.send(self.socket, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        }

        /// Reads until the server closes the connection (true) or `seconds` pass without it closing (false).
        func closedByServer(within seconds: Int) -> Bool {
            var timeout = timeval(tv_sec: seconds, tv_usec: 0)
            setsockopt(self.socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 4096)
            for _ in 0..<1000 {
                let count = recv(self.socket, &buffer, buffer.count, 0)
                if count == 0 { return true }
                if count < 0 { return errno == ECONNRESET }
            }
            return false
        }
    }

    /// Runs a server with `timeouts` on a free loopback port for `body`.
    static func withServer(_ timeouts: APIServerTimeouts, _ body: @Sendable (Int) async throws -> Void) async throws {
        let cloud = try await TestCloud.make()
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: APIRouter.make(cloud.server),
            server: .zooStackAPI(timeouts: timeouts),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }
        )
        // Stopped by graceful shutdown, as `serve` stops it: cancelling the task that runs the server can drop a
        // connection's writer unfinished, which NIO traps on.
        let server = ServiceGroup(services: [app], logger: Logger(label: "HTTPTimeoutTests"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            do {
                var iterator = ports.makeAsyncIterator()
                let port = try #require(await iterator.next())
                try await body(port)
            } catch {
                await server.triggerGracefulShutdown()
                throw error
            }
            await server.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }

    @Test func idleConnectionsAndStalledRequestsAreClosed() async throws {
        let short = Duration.milliseconds(300)
        try await Self.withServer(APIServerTimeouts(idle: short, headerRead: short, bodyRead: short)) { port in
            // An idle keep-alive connection after one answered request.
            let idle = try RawConnection(port: port)
            idle.send("GET /client/api?command=listZones&response=json HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(idle.closedByServer(within: 10))
            // A request whose head never ends.
            let head = try RawConnection(port: port)
            head.send("GET /client/api?command=listZones HTTP/1.1\r\nHost: localhost\r\n")
            #expect(head.closedByServer(within: 10))
            // A request whose body stops half-way.
            let body = try RawConnection(port: port)
            body.send(
                "POST /client/api HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 100\r\n\r\ncommand=listZones"
            )
            #expect(body.closedByServer(within: 10))
        }
    }

    @Test func readTimeoutsAreApartFromTheIdleOne() async throws {
        let short = Duration.milliseconds(300)
        try await Self.withServer(APIServerTimeouts(idle: .seconds(600), headerRead: short, bodyRead: short)) { port in
            let head = try RawConnection(port: port)
            head.send("GET /client/api?command=listZones HTTP/1.1\r\nHost: lo")
            #expect(head.closedByServer(within: 10))
            let body = try RawConnection(port: port)
            body.send("POST /client/api HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\ncomm")
            #expect(body.closedByServer(within: 10))
        }
    }
}
