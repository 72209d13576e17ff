import Agent
import ArgumentParser
import CloudAPI
import CloudStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import Orchestrator
import ZooKeeperServer

extension ZooStack {
    /// `zoostack serve`: a whole cloud on one machine — SQLite under the data directory, a simulated zone, and the
    /// CloudStack-compatible API on http://127.0.0.1:8080/client/api.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a ZooStack management server with a simulated zone."
        )

        @Option(name: .customLong("data-dir"), help: "Where the database and admin credentials live.")
        var dataDir = "zoostack-data"

        @Option(
            help: """
                The inventory database: postgres://user:pass@host:port/db, sqlite:PATH or a path \
                (default: zoostack.sqlite in --data-dir).
                """
        )
        var database: String?

        @Option(name: .customLong("api-port"), help: "The API port (0 picks a free one).")
        var apiPort = 8080

        @Option(help: "The address the API listens on.")
        var host = "127.0.0.1"

        @Option(
            name: .customLong("zookeeper-port"),
            help: "The embedded ZooKeeper-compatible server's port (0 picks a free one)."
        )
        var zookeeperPort = 2181

        @Option(name: .customLong("simulator-latency-ms"), help: "Latency of every simulated hypervisor operation.")
        var simulatorLatency = 0

        func validate() throws {
            guard (0...65535).contains(self.apiPort) else { throw ValidationError("--api-port must be 0...65535.") }
            guard (0...65535).contains(self.zookeeperPort) else {
                throw ValidationError("--zookeeper-port must be 0...65535.")
            }
            guard self.simulatorLatency >= 0 else { throw ValidationError("--simulator-latency-ms must be >= 0.") }
            if let database = self.database {
                do { _ = try StoreLocation(parsing: database) } catch { throw ValidationError("--database: \(error)") }
            }
        }

        func run() async throws {
            var logger = Logger(label: "zoostack.serve")
            logger.logLevel = .info
            try FileManager.default.createDirectory(atPath: self.dataDir, withIntermediateDirectories: true)
            let location =
                try self.database.map { try StoreLocation(parsing: $0) }
                ?? .sqlite(path: "\(self.dataDir)/zoostack.sqlite")
            let store = try await CloudStore.open(location, logger: logger)
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
            // The embedded coordination server: ZooKeeper's protocol, its data beside the database.
            let coordination = ZooKeeperServer(
                configuration: ZooKeeperServerConfiguration(
                    host: self.host,
                    port: self.zookeeperPort,
                    dataDir: "\(self.dataDir)/zookeeper"
                ),
                logger: logger
            )
            try FileManager.default.createDirectory(
                atPath: "\(self.dataDir)/zookeeper",
                withIntermediateDirectories: true
            )
            try await coordination.start()
            Console.out("ZooKeeper-compatible coordination server ready on \(self.host):\(coordination.port)")
            let simulator = SimulatorDriver(latency: .milliseconds(self.simulatorLatency))
            // --- agent driver (helper D) ---
            // Hosts whose row records an agent address are driven over the agent protocol; the others (addHost)
            // by the in-process simulator. Once the Coordinator runs (helper C), start adoption and the in-process
            // agent of the simulated hosts:
            //   let agents = try await HostAgents.start(
            //       coordinator: coordinator, managementServer: server, inProcessHosts: true)
            // and on shutdown, before coordinator.stop(): `await agents.stop(); await driver.pool.close()`.
            let driver = AgentDriver(store: store, simulator: simulator)
            let server = ManagementServer(store: store, simulator: simulator, driver: driver, logger: logger)
            // --- end agent driver ---
            // Coordination hook: the membership and leader services (Coordination module) join this
            // Application's `services:` list here, so they share its graceful shutdown.
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
            await coordination.shutdown()
            await store.close()
        }
    }
}
