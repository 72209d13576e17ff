import Agent
import AgentCommandLine
import ArgumentParser
import CloudAPI
import CloudCore
import CloudStore
import Cluster
import Console
import ConsoleProxy
import Foundation
import HostManagement
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import Orchestrator
import ServiceLifecycle
import ZooKeeperServer

extension ZooStack {
    /// `zoostack serve`: a management server. Without `--zookeeper`, a whole cloud on one machine — SQLite under the
    /// data directory, a simulated zone, the embedded ZooKeeper-compatible server, and the CloudStack-compatible API
    /// on http://127.0.0.1:8080/client/api. With `--zookeeper` (and usually `--database postgres://...`), one
    /// member of a cluster of management servers.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a ZooStack management server (alone with a simulated zone, or as a cluster member)."
        )

        @Option(
            name: .customLong("data-dir"),
            help: "Where the database, server id, admin credentials and cluster credentials live."
        )
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
            help: """
                ZooKeeper to coordinate through, HOST:PORT[,HOST:PORT...][/chroot]; without it the embedded \
                ZooKeeper-compatible server is started on --zookeeper-port.
                """
        )
        var zookeeper: String?

        @Option(
            name: .customLong("zookeeper-port"),
            help: "The embedded ZooKeeper-compatible server's port (0 picks a free one)."
        )
        var zookeeperPort = 2181

        @Option(
            name: .customLong("zookeeper-metrics-port"),
            help: """
                The port of the embedded ZooKeeper-compatible server's /metrics in Prometheus' format (as \
                metricsProvider.httpPort; 0: none). The API's own /metrics is on --api-port.
                """
        )
        var zookeeperMetricsPort = 7000

        @Option(name: .customLong("root"), help: "The ZooKeeper node every ZooStack node lives under.")
        var root = "/zoostack"

        @Option(
            name: .customLong("cluster-credentials"),
            help: ArgumentHelp(
                """
                The cluster's credentials, one line user:password, mode 0600: ZooStack's nodes in ZooKeeper are \
                readable and writable only with them (digest ACLs; anonymous clients get NoAuth), and agents and \
                management servers prove them to each other. Every serve and agent of a cluster needs the same \
                file; a file given here must exist (default: DATA_DIR/cluster-credentials, generated on first \
                start).
                """,
                valueName: "file"
            )
        )
        var clusterCredentials: String?

        @Option(
            name: .customLong("server-id"),
            help: "This management server's id (default: DATA_DIR/server-id, generated on first start)."
        )
        var serverId: String?

        @Option(name: .customLong("session-timeout-ms"), help: "The ZooKeeper session timeout.")
        var sessionTimeoutMs = 10000

        @Option(
            name: .customLong("simulated-hosts"),
            help: """
                Simulator hosts seeded into an empty zone on first bootstrap (default: 4 without --zookeeper, \
                0 with it).
                """
        )
        var simulatedHosts: Int?

        @Option(
            help: """
                The hypervisor of the single-machine cloud: simulator (simulated hosts) or qemu (this machine is one \
                real host running VMs with QEMU; images under DATA_DIR/images, disks under DATA_DIR/primary).
                """
        )
        var hypervisor: AgentOptions.Hypervisor = .simulator

        @Option(
            name: .customLong("console-proxy-port"),
            help: "The console proxy's websocket port (createConsoleEndpoint's URLs; 0 picks a free one)."
        )
        var consoleProxyPort = 0

        @Option(name: .customLong("simulator-latency-ms"), help: "Latency of every simulated hypervisor operation.")
        var simulatorLatency = 0

        // auth (issue 11): the secret-key encryption key and the API's HTTP timeouts.
        @Option(
            name: .customLong("encryption-key-file"),
            help: """
                The key that encrypts users' secret keys in the database (default: DATA_DIR/key, generated on \
                first start). Every management server of a database needs the same file.
                """
        )
        var encryptionKeyFile: String?

        @Option(name: .customLong("http-idle-timeout-ms"), help: "Close API connections idle this long.")
        var httpIdleTimeoutMs = 60_000

        @Option(
            name: .customLong("http-read-timeout-ms"),
            help: "Close API connections whose request head takes, or whose body pauses, longer than this."
        )
        var httpReadTimeoutMs = 30_000
        // end auth

        @Option(
            name: .customLong("tls-cert"),
            help:
                "A PEM certificate chain: serve the API and the console over HTTPS (with --tls-key; SIGHUP reloads both)."
        )
        var tlsCert: String?

        @Option(name: .customLong("tls-key"), help: "The PEM private key of --tls-cert.")
        var tlsKey: String?

        @Option(
            name: .customLong("job-drain-timeout-ms"),
            help: """
                At SIGTERM or SIGINT, how long running async jobs may take to finish before the server leaves the \
                cluster (jobs still running then are failed by the orphaned-job sweep, or at the next start).
                """
        )
        var jobDrainTimeoutMs = 30_000

        @Option(
            name: .customLong("log-format"),
            help: "How logs are written to standard error: text (for people) or json (one object a line)."
        )
        var logFormat: LogFormat = .text

        @OptionGroup var zookeeperTLS: ZooKeeperTLSOptions

        func validate() throws {
            guard (0...65535).contains(self.apiPort) else { throw ValidationError("--api-port must be 0...65535.") }
            guard (0...65535).contains(self.consoleProxyPort) else {
                throw ValidationError("--console-proxy-port must be 0...65535.")
            }
            guard (0...65535).contains(self.zookeeperPort) else {
                throw ValidationError("--zookeeper-port must be 0...65535.")
            }
            guard (0...65535).contains(self.zookeeperMetricsPort) else {
                throw ValidationError("--zookeeper-metrics-port must be 0...65535.")
            }
            guard self.simulatorLatency >= 0 else { throw ValidationError("--simulator-latency-ms must be >= 0.") }
            guard self.sessionTimeoutMs > 0 else { throw ValidationError("--session-timeout-ms must be > 0.") }
            guard self.httpIdleTimeoutMs > 0, self.httpReadTimeoutMs > 0 else {
                throw ValidationError("--http-idle-timeout-ms and --http-read-timeout-ms must be > 0.")
            }
            guard self.jobDrainTimeoutMs >= 0 else { throw ValidationError("--job-drain-timeout-ms must be >= 0.") }
            guard (self.tlsCert == nil) == (self.tlsKey == nil) else {
                throw ValidationError("--tls-cert and --tls-key go together.")
            }
            if let hosts = self.simulatedHosts, hosts < 0 {
                throw ValidationError("--simulated-hosts must be >= 0.")
            }
            if let serverId = self.serverId, !ServerIdFile.isValid(serverId) {
                throw ValidationError("--server-id must be a non-empty name without '/' or control characters.")
            }
            if self.zookeeperTLS.ca != nil, self.zookeeper == nil {
                throw ValidationError("--zookeeper-tls-ca needs --zookeeper (the embedded server speaks plain TCP).")
            }
            if let zookeeper = self.zookeeper, zookeeper.isEmpty {
                throw ValidationError("--zookeeper needs HOST:PORT[,HOST:PORT...][/chroot].")
            }
            if let database = self.database {
                do { _ = try StoreLocation(parsing: database) } catch { throw ValidationError("--database: \(error)") }
            }
        }

        func run() async throws {
            self.logFormat.bootstrap()
            var logger = Logger(label: "zoostack.serve")
            logger.logLevel = .info
            // auth: everything under the data directory is owner-only (0700/0600).
            PrivateFiles.restrictCreationMode()
            for path in try PrivateFiles.secure(directory: self.dataDir) {
                Console.out("zoostack serve: cannot make \(path) owner-only")
            }
            let certificates = try self.tlsCert.map { certificate in
                try APICertificates(certificatePath: certificate, keyPath: self.tlsKey ?? "")
            }
            let secrets = try SecretKeyCipher.loadOrCreate(path: self.encryptionKeyFile ?? "\(self.dataDir)/key")
            let location =
                try self.database.map { try StoreLocation(parsing: $0) }
                ?? .sqlite(path: "\(self.dataDir)/zoostack.sqlite")
            let serverId = try self.serverId ?? ServerIdFile.readOrCreate(dataDir: self.dataDir)
            let credentials = try ClusterCredentialsFile.load(option: self.clusterCredentials, dataDir: self.dataDir)
            // The embedded coordination server, unless a ZooKeeper ensemble was named: its data beside the database.
            // Started here, before the group, for its port (the runtime's connect string).
            var embedded: ZooKeeperServer?
            let connectString: String
            if let zookeeper = self.zookeeper {
                connectString = zookeeper
            } else {
                try FileManager.default.createDirectory(
                    atPath: "\(self.dataDir)/zookeeper",
                    withIntermediateDirectories: true
                )
                let server = ZooKeeperServer(
                    configuration: ZooKeeperServerConfiguration(
                        host: self.host,
                        port: self.zookeeperPort,
                        dataDir: "\(self.dataDir)/zookeeper"
                    ),
                    logger: logger
                )
                try await server.start()
                Console.out("ZooKeeper-compatible coordination server ready on \(self.host):\(server.port)")
                connectString = "\(Self.connectHost(self.host)):\(server.port)"
                embedded = server
            }
            var configuration = ClusterConfiguration(
                store: location,
                connectString: connectString,
                rootPath: self.root,
                serverId: serverId,
                sessionTimeout: .milliseconds(self.sessionTimeoutMs),
                simulatedHosts: self.simulatedHosts ?? (self.zookeeper == nil && self.hypervisor == .simulator ? 4 : 0),
                endpoint: "\(certificates == nil ? "http" : "https")://\(self.host):\(self.apiPort)/client/api",
                simulator: SimulatorDriver(latency: .milliseconds(self.simulatorLatency)),
                secrets: secrets,
                credentials: credentials
            )
            // A restart after a crash closes the sessions its dead incarnation recorded here (issue 11).
            configuration.sessionRecordDirectory = self.dataDir
            configuration.jobDrainLimit = .milliseconds(self.jobDrainTimeoutMs)
            configuration.zookeeperTLS = try self.zookeeperTLS.configuration()
            let runtime: ClusterRuntime
            do {
                // VM commands go to a host's agent over the agent protocol; hosts without one (added by addHost
                // and never served) fall back to the in-process simulator.
                runtime = try await ClusterRuntime.prepare(
                    configuration: configuration,
                    driver: { [configuration] store in
                        AgentDriver(store: store, simulator: configuration.simulator, secret: AgentSecret(credentials))
                    },
                    logger: logger
                )
            } catch {
                await embedded?.shutdown()
                throw error
            }
            if let credentials = runtime.credentials {
                try CredentialsFile.write(credentials, to: CredentialsFile.path(dataDir: self.dataDir))
                Console.out(
                    "Generated admin credentials (shown once; saved to \(CredentialsFile.path(dataDir: self.dataDir))):"
                )
                Console.out("  username:  \(credentials.username)")
                Console.out("  password:  \(credentials.password)")
                Console.out("  apikey:    \(credentials.apikey)")
                Console.out("  secretkey: \(credentials.secretkey)")
            }
            let join = ClusterJoin()
            let membership = ClusterRuntimeService(
                runtime: runtime,
                join: join,
                extensions: [HostAgentsExtension(secret: AgentSecret(credentials))]
                    + (self.hypervisor == .qemu
                        ? [
                            RealHostExtension(
                                dataDirectory: QEMUAgentPaths.absolute(self.dataDir),
                                secret: AgentSecret(credentials),
                                logger: logger
                            )
                        ] : [])
            )
            let app = try self.api(
                runtime: runtime,
                join: join,
                connectString: connectString,
                certificates: certificates,
                logger: logger
            )
            // The console proxy: createConsoleEndpoint's websockets to the VMs' VNC servers.
            let proxy = ConsoleProxyServer(sessions: runtime.core.consoleSessions)
            let proxyPort = try await proxy.start(host: self.host, port: self.consoleProxyPort)
            runtime.core.consoleSessions.proxyURL =
                "ws://\(Self.connectHost(self.host)):\(proxyPort)\(ConsoleProxyServer.path)"
            // One group: at SIGTERM or SIGINT the API drains its requests, then the runtime lets its jobs finish and
            // leaves the cluster, then the embedded ZooKeeper server syncs its log and stops.
            var services: [(name: String, service: any Service)] = []
            if let embedded {
                services.append(("the embedded ZooKeeper server", embedded))
                if self.zookeeperMetricsPort != 0 {
                    services.append(
                        (
                            "the embedded ZooKeeper server's metrics endpoint",
                            ZooKeeperMetricsEndpoint.service(
                                server: embedded,
                                host: self.host,
                                port: self.zookeeperMetricsPort,
                                logger: logger
                            )
                        )
                    )
                }
            }
            services.append(("the cluster runtime", membership))
            services.append(("the API server", app))
            services.append(("the console proxy", ConsoleProxyService(proxy: proxy)))
            if let certificates {
                services.append(("the TLS certificate reloader", CertificateReloader(certificates: certificates)))
            }
            try await runCommandServices(services, logger: logger)
        }

        /// The address to reach a listening address at (a wildcard address is reached on loopback).
        static func connectHost(_ host: String) -> String {
            host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        }
    }
}
