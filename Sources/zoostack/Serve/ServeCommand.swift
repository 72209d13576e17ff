import ArgumentParser
import CloudAPI
import CloudStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import Orchestrator

extension ZooStack {
    /// `zoostack serve`: a whole cloud on one machine — SQLite under the data directory, a simulated zone, and the
    /// CloudStack-compatible API on http://127.0.0.1:8080/client/api.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a ZooStack management server with a simulated zone."
        )

        @Option(name: .customLong("data-dir"), help: "Where the database and admin credentials live.")
        var dataDir = "zoostack-data"

        @Option(name: .customLong("api-port"), help: "The API port (0 picks a free one).")
        var apiPort = 8080

        @Option(help: "The address the API listens on.")
        var host = "127.0.0.1"

        @Option(name: .customLong("zookeeper-port"), help: "The embedded ZooKeeper port (reserved; not started yet).")
        var zookeeperPort = 2181

        @Option(name: .customLong("simulator-latency-ms"), help: "Latency of every simulated hypervisor operation.")
        var simulatorLatency = 0

        func validate() throws {
            guard (0...65535).contains(self.apiPort) else { throw ValidationError("--api-port must be 0...65535.") }
            guard self.simulatorLatency >= 0 else { throw ValidationError("--simulator-latency-ms must be >= 0.") }
        }

        func run() async throws {
            var logger = Logger(label: "zoostack.serve")
            logger.logLevel = .info
            try FileManager.default.createDirectory(atPath: self.dataDir, withIntermediateDirectories: true)
            let store = try await CloudStore.open(path: "\(self.dataDir)/zoostack.sqlite", logger: logger)
            let endpoint = "http://\(self.host):\(self.apiPort)/client/api"
            if let credentials = try await CloudBootstrap.run(store: store, endpoint: endpoint, logger: logger) {
                try CredentialsFile.write(credentials, to: CredentialsFile.path(dataDir: self.dataDir))
                Console.out(
                    "Generated admin credentials (shown once; saved to \(CredentialsFile.path(dataDir: self.dataDir))):"
                )
                Console.out("  username:  \(credentials.username)")
                Console.out("  password:  \(credentials.password)")
                Console.out("  apikey:    \(credentials.apikey)")
                Console.out("  secretkey: \(credentials.secretkey)")
            }
            let simulator = SimulatorDriver(latency: .milliseconds(self.simulatorLatency))
            let server = ManagementServer(store: store, simulator: simulator, logger: logger)
            // Coordination hook: the embedded ZooKeeper server (on --zookeeper-port) and the membership/leader
            // services join this Application's `services:` list here, so they share its graceful shutdown.
            let app = Application(
                router: APIRouter.make(server),
                configuration: .init(address: .hostname(self.host, port: self.apiPort), serverName: "ZooStack"),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? 0
                    Console.out("ZooStack API ready on http://\(self.host):\(port)/client/api")
                    Console.flush()
                },
                logger: logger
            )
            try await app.runService()
            await server.jobs.drain()
            await store.close()
        }
    }
}
