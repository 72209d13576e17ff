import Agent
import ArgumentParser
import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Coordination
import Foundation
import HostManagement
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Orchestrator
import ServiceLifecycle
import Synchronization

extension ZooStackBench {
    /// `zoostack-bench cloud`: deployments per second and list latency through the HTTP API, on one server with
    /// SQLite and the simulator at zero latency.
    struct CloudBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cloud",
            abstract: "Measure VM deployments per second and listVirtualMachines latency through the API.",
            discussion: """
                Starts a management server in this process (SQLite in a temporary data directory, as `zoostack \
                serve` keeps it; the simulator at zero latency) on a loopback port, adds a zone of --hosts large \
                simulator hosts driven by an in-process agent over the agent protocol on loopback (as `zoostack \
                serve` drives its hosts; --in-process-simulator skips the agent), then:
                  deploy: --concurrency keep-alive HTTP clients send signed deployVirtualMachine calls and poll \
                queryAsyncJobResult (after 2, 4, 8, 16 ms, then every 20 ms) until each job ends; a deployment's latency runs from the call to the job's \
                end, and the rate is --deployments over the phase's wall time. Every job must succeed.
                  list: bulk-loads VMs until the account has --list-vms, then one client times --list-requests \
                listVirtualMachines calls with pagesize --page-size on random pages, then 100 /metrics scrapes.
                  placement: a zone of --placement-hosts varied hosts in 100 clusters; for each \
                vm.allocation.algorithm, --decisions calls of the orchestrator's placementCandidates (settings, \
                offering, in-memory host inventory and DeploymentPlanner.plan), each timed.
                Build with -c release.
                """
        )

        @Option(help: "VMs deployed through the API.")
        var deployments = 5000

        @Option(help: "Concurrent API clients in the deploy phase.")
        var concurrency = 64

        @Flag(
            name: .customLong("in-process-simulator"),
            help: "Drive the hosts with the in-process simulator instead of an agent over loopback."
        )
        var inProcessSimulator = false

        @Option(help: "Simulator hosts in the bench zone.")
        var hosts = 100

        @Option(name: .customLong("list-vms"), help: "VMs the account holds in the list phase (0 skips it).")
        var listVMs = 100_000

        @Option(name: .customLong("list-requests"), help: "listVirtualMachines calls timed.")
        var listRequests = 300

        @Option(name: .customLong("page-size"), help: "pagesize of each listVirtualMachines call.")
        var pageSize = 500

        @Option(name: .customLong("placement-hosts"), help: "Hosts of the placement phase's zone (0 skips it).")
        var placementHosts = 10_000

        @Option(help: "Placement decisions timed per allocation algorithm.")
        var decisions = 300

        func validate() throws {
            guard self.deployments > 0, self.concurrency > 0, self.hosts > 0, self.listVMs >= 0,
                self.listRequests > 0, (1...500).contains(self.pageSize)
            else {
                throw ValidationError("counts must be positive, and --page-size 1...500.")
            }
            guard self.deployments + self.listVMs < 1_000_000 else {
                throw ValidationError("--deployments plus --list-vms must stay under 1,000,000 (the bench network).")
            }
        }

        func run() async throws {
            var logger = Logger(label: "zoostack.bench")
            logger.logLevel = .error
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("zoostack-bench-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let store = try await CloudStore.open(path: "\(directory)/zoostack.sqlite", logger: logger)
            guard
                let admin = try await CloudBootstrap.run(
                    store: store,
                    endpoint: "http://127.0.0.1:0/client/api",
                    logger: logger
                )
            else { throw BenchError("bootstrap did not create the admin") }
            guard
                let adminUser = try await store.list(User.self, ListQuery(equals: [("username", admin.username)]))
                    .items.first
            else { throw BenchError("no admin user") }
            // The hosts are driven as `zoostack serve` drives its simulated hosts: over the agent protocol, by an
            // in-process agent on a loopback port.
            let secret = AgentSecret(ClusterCredentials.generate())
            let agent = SimulatorAgent(hostIds: [], secret: secret)
            let agentPort = try await agent.start(address: "127.0.0.1", port: 0)
            let zone = try await CloudBenchZone.seed(
                store: store,
                hosts: self.hosts,
                ownerAccountId: adminUser.accountId,
                agentAddress: self.inProcessSimulator ? nil : "127.0.0.1:\(agentPort)"
            )
            for host in try await store.hosts(inZone: zone.zone.id) { agent.serve(hostId: host.id) }
            let simulator = SimulatorDriver(latency: .zero)
            let driver = AgentDriver(store: store, simulator: simulator, secret: secret)
            let server = ManagementServer(
                core: CloudServices(store: store, simulator: simulator, driver: driver, logger: logger),
                logger: logger
            )
            let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
            let app = Application(
                router: APIRouter.make(server),
                configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "ZooStack"),
                onServerRunning: { channel in
                    portSink.yield(channel.localAddress?.port ?? 0)
                    portSink.finish()
                },
                logger: logger
            )
            // The API in a service group, stopped by its graceful shutdown (cancelling the task that runs it makes
            // the server log "Waiting on child channel: CancellationError()"): idle connections are closed.
            let api = ServiceGroup(services: [app], logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await api.run() }
                do {
                    var iterator = ports.makeAsyncIterator()
                    guard let port = await iterator.next(), port > 0 else {
                        throw BenchError("the API did not start")
                    }
                    let client = CloudBenchClient(ports: [port], apiKey: admin.apikey, secret: admin.secretkey)
                    Console.out(
                        """
                        bench cloud: SQLite, simulator latency 0, \(self.hosts) hosts \
                        (\(self.inProcessSimulator ? "in-process simulator" : "agent on 127.0.0.1:\(agentPort)")), \
                        API on 127.0.0.1:\(port)
                        """
                    )
                    try await self.deployPhase(client, zone: zone, store: store)
                    if self.listVMs > 0 {
                        try await self.listPhase(
                            client,
                            server: server,
                            zone: zone,
                            store: store,
                            accountId: adminUser.accountId
                        )
                    }
                    if self.placementHosts > 0 {
                        try await self.placementPhase(server, store: store, accountId: adminUser.accountId)
                    }
                } catch {
                    await api.triggerGracefulShutdown()
                    throw error
                }
                await api.triggerGracefulShutdown()
                try await group.waitForAll()
            }
            await server.jobs.drain()
            await driver.pool.close()
            await agent.shutdown()
            await store.close()
        }

        private func deployPhase(_ client: CloudBenchClient, zone: CloudBenchZone, store: CloudStore) async throws {
            let failures = Mutex<(count: Int, first: String?)>((0, nil))
            let polls = Atomic<Int>(0)
            let phase = try await client.phase("deploy", ops: self.deployments, connections: self.concurrency) {
                request,
                _ in
                let (count, failure) = try await CloudBenchClient.deploy(
                    request,
                    [
                        ("zoneid", zone.zone.id), ("templateid", zone.template.id),
                        ("serviceofferingid", zone.offering.id),
                    ]
                )
                polls.add(count, ordering: .relaxed)
                if let failure {
                    failures.withLock { failures in
                        failures.count += 1
                        if failures.first == nil { failures.first = failure }
                    }
                }
            }
            let (failed, first) = failures.withLock { ($0.count, $0.first) }
            Console.out(
                phase.line + "  (\(self.deployments) VMs, \(self.concurrency) clients, "
                    + String(
                        format: "%.1f polls per job, ",
                        Double(polls.load(ordering: .relaxed)) / Double(self.deployments)
                    )
                    + "\(failed) failed)"
            )
            Console.flush()
            if let first { throw BenchError("\(failed) deployments failed; the first: \(first)") }
            let running = try await store.list(
                VirtualMachine.self,
                ListQuery(equals: [("zone_id", zone.zone.id), ("state", "Running")], pageSize: 1)
            ).total
            guard running == self.deployments else {
                throw BenchError("\(running) VMs are Running after \(self.deployments) deployments")
            }
        }

        private func listPhase(
            _ client: CloudBenchClient,
            server: ManagementServer,
            zone: CloudBenchZone,
            store: CloudStore,
            accountId: String
        ) async throws {
            let owned = try await store.list(
                VirtualMachine.self,
                ListQuery(equals: [("account_id", accountId)], pageSize: 1)
            ).total
            let began = BenchPhase.now()
            try await zone.loadVirtualMachines(
                store: store,
                count: max(0, self.listVMs - owned),
                accountId: accountId,
                skipAddresses: self.deployments + 16
            )
            let total = try await store.list(
                VirtualMachine.self,
                ListQuery(equals: [("account_id", accountId)], pageSize: 1)
            ).total
            Console.out(
                String(format: "loaded %d VMs in %.1f s", total - owned, Double(BenchPhase.now() - began) / 1e9)
            )
            let pages = max(1, (total + self.pageSize - 1) / self.pageSize)
            let size = self.pageSize
            let phase = try await client.phase("list", ops: self.listRequests, connections: 1) { request, index in
                let page = index % 2 == 0 ? Int.random(in: 1...pages) : pages
                let body = try await request(
                    "listVirtualMachines",
                    [("page", "\(page)"), ("pagesize", "\(size)")]
                )
                guard CloudBenchClient.intMember("count", in: body) == total, body.contains("\"virtualmachine\":[")
                else {
                    throw BenchError("listVirtualMachines: expected count \(total): \(body.prefix(300))")
                }
            }
            Console.out(phase.line + "  (pagesize \(size) over \(total) VMs, half random pages, half the last)")
            Console.flush()
            // A Prometheus scrape of the same cloud: its cost must not follow the VM count (aggregates over indexes).
            let scrapes = try await BenchPhase.run("metrics", ops: 100, window: 1, executor: nil) { _ in
                _ = try await server.scrape()
            }
            let text = try await server.scrape()
            Console.out(scrapes.line + "  (/metrics over \(total) VMs, \(text.utf8.count) bytes)")
            Console.flush()
        }

        private func placementPhase(_ server: ManagementServer, store: CloudStore, accountId: String) async throws {
            let zone = try await CloudBenchZone.seed(
                store: store,
                hosts: self.placementHosts,
                clusters: 100,
                ownerAccountId: accountId,
                varied: true
            )
            let vm = VirtualMachine(
                id: UUID().uuidString.lowercased(),
                name: "placement-probe",
                displayName: "placement-probe",
                accountId: UUID().uuidString.lowercased(),  // an account with no VMs yet, as most deployers
                zoneId: zone.zone.id,
                hostId: nil,
                templateId: zone.template.id,
                serviceOfferingId: zone.offering.id,
                state: .stopped,
                cpuNumber: 2,
                cpuSpeed: 1000,
                memory: 4096,
                created: store.clock.now
            )
            _ = try await server.virtualMachines.placementCandidates(for: vm, excluding: [], explicitHostId: nil)
            for algorithm in AllocationAlgorithm.allCases {
                _ = try await server.configuration.update(name: "vm.allocation.algorithm", value: algorithm.rawValue)
                var nanoseconds: [UInt64] = []
                for _ in 0..<self.decisions {
                    let began = BenchPhase.now()
                    let hosts = try await server.virtualMachines.placementCandidates(
                        for: vm,
                        excluding: [],
                        explicitHostId: nil,
                        limit: VirtualMachineService.candidateLimit
                    )
                    nanoseconds.append(BenchPhase.now() &- began)
                    guard !hosts.isEmpty else { throw BenchError("no host for the probe VM") }
                }
                nanoseconds.sort()
                let p50 = Double(nanoseconds[nanoseconds.count / 2]) / 1e6
                let p99 = Double(nanoseconds[min(nanoseconds.count - 1, nanoseconds.count * 99 / 100)]) / 1e6
                Console.out(
                    "place " + algorithm.rawValue.padding(toLength: 30, withPad: " ", startingAt: 0)
                        + String(format: "p50 %7.3f ms  p99 %7.3f ms", p50, p99)
                        + "  (\(self.placementHosts) hosts, 100 clusters)"
                )
                Console.flush()
            }
        }
    }
}
