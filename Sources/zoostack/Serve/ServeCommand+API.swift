import CloudAPI
import CloudCore
import Cluster
import Console
import ConsoleProxy
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle

extension ZooStack.Serve {
    /// The API server: once it listens, it hands its address to the cluster runtime and serves requests only
    /// after the runtime has joined.
    func api(
        runtime: ClusterRuntime,
        join: ClusterJoin,
        connectString: String,
        certificates: APICertificates?,
        logger: Logger
    ) throws -> some Service {
        let host = self.host
        let serverId = runtime.configuration.serverId
        let router = APIRouter.make(ManagementServer(core: runtime.core, logger: logger))
        // The web console at `/`: files only, speaking the same public API from the browser.
        do {
            ConsoleRoutes.add(to: router, assets: try ConsoleAssets.bundled())
        } catch {
            Console.out("zoostack serve: the web console's files are missing (\(error)); serving the API only")
        }
        let plain = HTTPServerBuilder.zooStackAPI(
            timeouts: APIServerTimeouts(
                idle: .milliseconds(self.httpIdleTimeoutMs),
                headerRead: .milliseconds(self.httpReadTimeoutMs),
                bodyRead: .milliseconds(self.httpReadTimeoutMs)
            )
        )
        let scheme = certificates == nil ? "http" : "https"
        return Application(
            router: router,
            server: try certificates.map { try .tls(plain, tlsConfiguration: $0.configuration) } ?? plain,
            configuration: .init(address: .hostname(host, port: self.apiPort), serverName: "ZooStack"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                do {
                    // Joined once the port is known: it is this server's address in the cluster.
                    try await join.joining(at: "\(Self.connectHost(host)):\(port)")
                } catch {
                    // The runtime's failure ends the group; accept nothing meanwhile.
                    Console.out("zoostack serve: cannot join the cluster as \(serverId): \(error)")
                    Console.flush()
                    try? await channel.close()
                    return
                }
                Console.out("Management server \(serverId) joined the cluster through ZooKeeper \(connectString)")
                Console.out("ZooStack API ready on \(scheme)://\(host):\(port)/client/api")
                Console.out("Web console on \(scheme)://\(Self.connectHost(host)):\(port)/")
                Console.flush()
            },
            logger: logger
        )
    }
}

/// The console proxy as a `Service`: it listens until the group's graceful shutdown, then stops.
struct ConsoleProxyService: Service {
    /// The proxy, listening.
    let proxy: ConsoleProxyServer

    func run() async throws {
        try? await gracefulShutdown()
        await self.proxy.shutdown()
    }
}
