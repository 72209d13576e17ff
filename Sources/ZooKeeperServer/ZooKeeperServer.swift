import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import ZooKeeperProtocol

/// An embedded, single-node, ZooKeeper-compatible server: Apache ZooKeeper 3.8 standalone as its clients see it
/// (kazoo, zkCli.sh, the Java client, ZooStack's own client).
///
/// ```swift
/// let server = ZooKeeperServer(configuration: .init(port: 0, dataDir: "/var/lib/zoostack/zk"))
/// try await server.start()
/// print("listening on", server.port)
/// ...
/// await server.shutdown()
/// ```
///
/// Or hand it to a `ServiceGroup` (it is a `Service`): ``run()`` starts it and shuts it down at the group's graceful
/// shutdown.
public actor ZooKeeperServer: Service {
    /// The settings the server was made with.
    public nonisolated let configuration: ZooKeeperServerConfiguration
    private let logger: Logger
    private let clock: any ServerClock
    private let automaticTicks: Bool
    private nonisolated let boundPort = Atomic<Int>(0)
    private var core: ServerCore?
    private var storage: DataDirectory?
    private var channel: (any Channel)?
    private var ticker: SessionTicker?
    private var isShutDown = false
    private var starting: Task<Void, any Error>?

    /// Makes a server; nothing happens until ``start()``.
    /// - Parameters:
    ///   - configuration: the settings.
    ///   - logger: where the server logs.
    public init(
        configuration: ZooKeeperServerConfiguration = ZooKeeperServerConfiguration(),
        logger: Logger = Logger(label: "zoostack.zookeeper.server")
    ) {
        self.init(configuration: configuration, logger: logger, clock: SystemServerClock(), automaticTicks: true)
    }

    /// Makes a server with an injected clock; with `automaticTicks` false, sessions expire only on ``tick()``.
    init(
        configuration: ZooKeeperServerConfiguration,
        logger: Logger = Logger(label: "zoostack.zookeeper.server"),
        clock: any ServerClock,
        automaticTicks: Bool
    ) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.automaticTicks = automaticTicks
    }

    /// The port the server listens on: the configured one, or the one the system picked for port 0. Zero before
    /// ``start()``.
    public nonisolated var port: Int { self.boundPort.load(ordering: .acquiring) }

    /// Recovers the data directory (if any) and starts listening. Does nothing if already started.
    /// - Throws: `ZooKeeperServerError` when the data directory is unusable or the address cannot be bound.
    public func start() async throws(ZooKeeperServerError) {
        guard !self.isShutDown else { throw ZooKeeperServerError(.shutDown, "the server was shut down") }
        guard self.core == nil else { return }
        // Concurrent calls share one start.
        let task: Task<Void, any Error>
        if let starting = self.starting {
            task = starting
        } else {
            task = Task { try await self.startListening() }
            self.starting = task
        }
        do {
            try await task.value
        } catch {
            self.starting = nil
            throw (error as? ZooKeeperServerError) ?? ZooKeeperServerError(.bindFailed, "\(error)")
        }
    }

    private func startListening() async throws(ZooKeeperServerError) {
        let config = self.configuration
        let core: ServerCore
        if let dataDir = config.dataDir {
            let storage = try DataDirectory.open(path: dataDir, config: config, logger: self.logger)
            let recovered: CoreState
            do {
                recovered = try storage.recover(now: self.clock.nowMilliseconds())
            } catch {
                await storage.close(snapshot: false)
                throw error
            }
            core = ServerCore(config: config, clock: self.clock, logger: self.logger, initialState: recovered) {
                [storage] in
                storage.scheduleSync()
            }
            storage.attach(core)
            self.storage = storage
        } else {
            core = ServerCore(config: config, clock: self.clock, logger: self.logger)
        }
        let handshake = TimeAmount.milliseconds(Int64(config.handshakeTimeout))
        let maxBuffer = config.maxBuffer
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        FourLetterWordSniffer { word in core.fourLetterWord(word) },
                        ByteToMessageHandler(ZooKeeperFrameDecoder(maxFrameLength: maxBuffer)),
                        ServerConnectionHandler(core: core, handshakeTimeout: handshake),
                    ])
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: config.host, port: config.port).get()
        } catch {
            await self.storage?.close(snapshot: false)
            self.storage = nil
            throw ZooKeeperServerError(.bindFailed, "cannot listen on \(config.host):\(config.port): \(error)")
        }
        // Re-check after the await: a shutdown may have begun meanwhile.
        if self.isShutDown {
            try? await channel.close()
            await self.storage?.close(snapshot: false)
            self.storage = nil
            throw ZooKeeperServerError(.shutDown, "the server was shut down while starting")
        }
        self.core = core
        self.channel = channel
        self.boundPort.store(channel.localAddress?.port ?? config.port, ordering: .releasing)
        if self.automaticTicks {
            let ticker = SessionTicker(core: core, loop: channel.eventLoop, tickTime: config.tickTime)
            ticker.start()
            self.ticker = ticker
        }
        self.logger.info(
            "ZooKeeper server listening",
            metadata: ["address": "\(config.host):\(self.port)", "dataDir": "\(config.dataDir ?? "(memory)")"]
        )
    }

    /// The server's metrics now, under Apache ZooKeeper's names (what `mntr` prints and its Prometheus provider
    /// serves).
    /// - Returns: the metrics, nil before ``start()`` and after ``shutdown()``.
    public func metrics() -> ZooKeeperMetrics? {
        self.core?.metrics()
    }

    /// Expires due sessions and sweeps containers; runs at every tick on its own, tests with a manual clock call
    /// it directly.
    func tick() {
        self.core?.tick()
    }

    /// Starts the server (unless started already) and runs it until the graceful shutdown of its `ServiceGroup` or
    /// the cancellation of the calling task, then shuts it down (``shutdown()``: the txn log synced, a final
    /// snapshot): the server as a swift-service-lifecycle `Service`.
    /// - Throws: `ZooKeeperServerError` when the server cannot start.
    public func run() async throws(ZooKeeperServerError) {
        try await self.start()
        guard let channel = self.channel else { return }
        await withTaskCancellationOrGracefulShutdownHandler {
            try? await channel.closeFuture.get()
        } onCancelOrGracefulShutdown: {
            channel.close(promise: nil)
        }
        await self.shutdown()
    }

    /// Stops listening, closes every connection, syncs the txn log and writes a final snapshot. Sessions stay in
    /// the data directory and resume after a restart.
    public func shutdown() async {
        guard !self.isShutDown else { return }
        self.isShutDown = true
        _ = try? await self.starting?.value
        self.ticker?.stop()
        self.ticker = nil
        if let channel = self.channel { try? await channel.close() }
        self.channel = nil
        self.core?.closeAllConnections()
        await self.storage?.close(snapshot: true)
        self.storage = nil
        self.core = nil
        self.logger.info("ZooKeeper server stopped")
    }
}
