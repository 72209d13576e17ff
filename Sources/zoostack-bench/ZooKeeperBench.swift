import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import ZooKeeperClient
import ZooKeeperProtocol

extension ZooStackBench {
    /// `zoostack-bench zookeeper`: ZooStack's client under the load `ZkBench` (Apache ZooKeeper's Java client)
    /// puts on a server, with the same phases and output lines, so the two compare side by side.
    struct ZooKeeperBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "zookeeper",
            abstract: "Load a ZooKeeper server with create, get, set, exists and delete phases.",
            discussion: """
                Same phases, semantics and output as shared/tools/zkbench (run.sh HOST:PORT ops window \
                data-size clients): each phase does --ops operations on znodes /zkbench-<nanos>/n<i>, keeping \
                --window requests in flight in total, spread over --clients sessions; it prints ops/s and the \
                p50 and p99 latency.
                """
        )

        @Option(help: ArgumentHelp("The server (a ZooKeeper connect string).", valueName: "host:port"))
        var server: String

        @Option(help: "Operations per phase.")
        var ops: Int = 20_000

        @Option(help: "Requests in flight at most (shared by all clients, as ZkBench's window).")
        var window: Int = 200

        @Option(name: .customLong("data-size"), help: "Bytes of data per znode.")
        var dataSize: Int = 100

        @Option(help: "Sessions to spread the operations over (round robin).")
        var clients: Int = 1

        @Flag(
            name: .customLong("global-executor"),
            help: """
                Run the workers on Swift's global executor instead of the client's task executor (its event \
                loop, where requests and replies need no thread hop: the way a busy caller should use the client).
                """
        )
        var globalExecutor = false

        func validate() throws {
            guard self.ops > 0, self.window > 0, self.clients > 0 else {
                throw ValidationError("--ops, --window and --clients must be positive.")
            }
            guard self.dataSize >= 0 else { throw ValidationError("--data-size must not be negative.") }
            do {
                _ = try ZooKeeperClientConfiguration(connectString: self.server)
            } catch let error as ZooKeeperClientConfiguration.InvalidConnectString {
                throw ValidationError("Invalid --server: \(error.reason).")
            }
        }

        func run() async throws {
            var sessions: [ZooKeeperClient] = []
            let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
            let executor: EventLoopTaskExecutor? =
                self.globalExecutor ? nil : EventLoopTaskExecutor(eventLoop: eventLoop)
            for _ in 0..<self.clients {
                do {
                    sessions.append(
                        try await ZooKeeperClient.connect(
                            configuration: ZooKeeperClientConfiguration(
                                connectString: self.server,
                                sessionTimeout: .seconds(30)
                            ),
                            eventLoopGroup: eventLoop
                        )
                    )
                } catch {
                    Console.error("no connection to \(self.server): \(error)")
                    for session in sessions { await session.close() }
                    throw ExitCode(2)
                }
            }
            let clients = sessions
            let root = "/zkbench-\(DispatchTime.now().uptimeNanoseconds)"
            let data = [UInt8](repeating: 0, count: self.dataSize)
            let paths = (0..<self.ops).map { "\(root)/n\($0)" }
            try await clients[0].create(root)
            let phases: [(String, @Sendable (ZooKeeperClient, String) async throws -> Void)] = [
                ("create", { try await $0.create($1, data: data) }),
                ("get", { _ = try await $0.getData($1) }),
                ("set", { try await $0.setData($1, data: data) }),
                ("exists", { guard try await $0.exists($1) != nil else { throw KeeperError(.noNode, path: $1) } }),
                ("delete", { try await $0.delete($1) }),
            ]
            for (name, operation) in phases {
                let phase = try await BenchPhase.run(
                    name,
                    ops: self.ops,
                    window: self.window,
                    executor: executor
                ) { index in
                    try await operation(clients[index % clients.count], paths[index])
                }
                Console.out(phase.line)
                Console.flush()
            }
            try await clients[0].delete(root)
            for client in clients { await client.close() }
        }
    }
}
