import AgentCommandLine
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import ZooKeeperProtocol
import ZooKeeperServer

extension ZooStack {
    /// `zoostack zookeeper`: the embedded ZooKeeper-compatible server on its own, until SIGINT or SIGTERM.
    struct ZooKeeperCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "zookeeper",
            abstract: "Run ZooStack's ZooKeeper-compatible server (Apache ZooKeeper 3.8 standalone protocol)."
        )

        @Option(help: "The address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "The client port (0 picks a free one).")
        var port = 2181

        @Option(name: .customLong("data-dir"), help: "Where the txn log and snapshots live.")
        var dataDir = "zoostack-data/zookeeper"

        @Flag(name: .customLong("in-memory"), help: "Keep nothing on disk (data is lost on exit).")
        var inMemory = false

        @Option(name: .customLong("tick-time"), help: "Milliseconds; sessions time out in [2, 20] ticks.")
        var tickTime = 2000

        @Option(name: .customLong("max-client-cnxns"), help: "Connections per client address (0: no limit).")
        var maxClientCnxns = 60

        @Option(
            name: .customLong("4lw-whitelist"),
            help: "Four-letter words allowed, comma separated, or * for all (as 4lw.commands.whitelist)."
        )
        var fourLetterWords = "srvr"

        @Option(name: .customLong("super"), help: "user:password of a super user (digest scheme).")
        var superCredentials: String?

        @Flag(name: .customLong("extended-types"), help: "Allow TTL nodes (zookeeper.extendedTypesEnabled).")
        var extendedTypes = false

        @Option(name: .customLong("snap-count"), help: "Transactions between snapshots.")
        var snapCount = 100_000

        @Flag(name: .customLong("no-force-sync"), help: "Do not fsync the txn log before replying (unsafe).")
        var noForceSync = false

        @Option(
            name: .customLong("metrics-port"),
            help: "The port of /metrics in Prometheus' format (as metricsProvider.httpPort; 0: no metrics endpoint)."
        )
        var metricsPort = 7000

        @Option(
            name: .customLong("log-format"),
            help: "How logs are written to standard error: text (for people) or json (one object a line)."
        )
        var logFormat: LogFormat = .text

        func validate() throws {
            guard (0...65535).contains(self.port) else { throw ValidationError("--port must be 0...65535.") }
            guard (0...65535).contains(self.metricsPort) else {
                throw ValidationError("--metrics-port must be 0...65535.")
            }
            guard self.tickTime > 0 else { throw ValidationError("--tick-time must be positive.") }
            guard self.snapCount > 0 else { throw ValidationError("--snap-count must be positive.") }
        }

        func run() async throws {
            self.logFormat.bootstrap()
            var logger = Logger(label: "zoostack.zookeeper")
            logger.logLevel = .info
            // auth (issue 11): the txn log and snapshots are owner-only.
            PrivateFiles.restrictCreationMode()
            if !self.inMemory {
                for path in try PrivateFiles.secure(directory: self.dataDir) {
                    print("zoostack zookeeper: cannot make \(path) owner-only")
                }
            }
            let words = Set(self.fourLetterWords.split(separator: ",").map { String($0) })
            let server = ZooKeeperServer(
                configuration: ZooKeeperServerConfiguration(
                    host: self.host,
                    port: self.port,
                    dataDir: self.inMemory ? nil : self.dataDir,
                    tickTime: self.tickTime,
                    maxClientCnxns: self.maxClientCnxns,
                    fourLetterWordWhitelist: words,
                    superDigest: self.superCredentials.map(DigestAuth.digestId),
                    extendedTypesEnabled: self.extendedTypes,
                    snapCount: self.snapCount,
                    forceSync: !self.noForceSync
                ),
                logger: logger
            )
            try await server.start()
            let line =
                "ZooKeeper-compatible server listening on \(self.host):\(server.port)"
                + (self.inMemory ? " (in memory)" : " (data in \(self.dataDir))")
            // Until SIGTERM or SIGINT: then the server syncs its txn log, writes a snapshot and stops.
            var services: [(name: String, service: any Service)] = [("the ZooKeeper server", server)]
            if self.metricsPort != 0 {
                services.append(
                    (
                        "the ZooKeeper metrics endpoint",
                        ZooKeeperMetricsEndpoint.service(
                            server: server,
                            host: self.host,
                            port: self.metricsPort,
                            logger: logger
                        )
                    )
                )
            }
            // The line is printed once SIGTERM and SIGINT are trapped: a signal sent on reading it stops cleanly.
            try await runCommandServices(services, logger: logger) {
                print(line)
                fflush(nil)
            }
        }
    }
}
