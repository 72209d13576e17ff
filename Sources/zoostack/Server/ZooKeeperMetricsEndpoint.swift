import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import ZooKeeperServer

/// The embedded ZooKeeper server's metrics over HTTP, at `/metrics` on its own port, as Apache ZooKeeper's
/// `PrometheusMetricsProvider` serves them on `metricsProvider.httpPort` (7000 by default).
enum ZooKeeperMetricsEndpoint {
    /// The HTTP service.
    /// - Parameters:
    ///   - server: the ZooKeeper server whose metrics it serves.
    ///   - host: the address to listen on.
    ///   - port: the port.
    ///   - logger: a logger.
    /// - Returns: a service for the command's group.
    static func service(server: ZooKeeperServer, host: String, port: Int, logger: Logger) -> some Service {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            guard let metrics = await server.metrics() else {
                headers[.contentType] = "text/plain; charset=utf-8"
                return Response(
                    status: .serviceUnavailable,
                    headers: headers,
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "the ZooKeeper server is not running\n"))
                )
            }
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok,
                headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.prometheusText))
            )
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "ZooStack"),
            onServerRunning: { channel in
                Console.out("ZooKeeper metrics on http://\(host):\(channel.localAddress?.port ?? port)/metrics")
                Console.flush()
            },
            logger: logger
        )
    }
}
