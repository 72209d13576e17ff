import ArgumentParser
import CloudAPI
import CloudCore
import ClusterHarness
import Foundation
import Synchronization

extension ZooStackBench {
    /// `zoostack-bench cluster`: issue 6's figures, measured on real processes on loopback.
    struct ClusterBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cluster",
            abstract: "Measure a cluster of management servers: deploys/s, config propagation, failover, HA.",
            discussion: """
                Starts, on loopback, a throwaway PostgreSQL cluster (Debian's postgresql, fsync off), ZooKeeper \
                (--zookeeper embedded: `zoostack zookeeper` as a process; apache: a 3-server Apache ZooKeeper \
                ensemble), --agents `zoostack agent --simulator` processes of 64 cores and 256 GiB, and \
                `zoostack serve --zookeeper ... --database postgres://...` processes, then:
                  deploy (1 MS, then 3 MS on a fresh database): --deployments VMs from --concurrency keep-alive \
                clients spread evenly over the servers, each job followed to its end;
                  config: --config-rounds updateConfiguration calls, each on the next server, timed until \
                listConfigurations on every other server shows the value (polled every 2 ms);
                  failover: --rounds times SIGKILL the leader and time until ZooKeeper shows a new leader with a \
                new epoch, then restart the killed server;
                  ha: --rounds times deploy an HA VM onto an agent, SIGKILL the agent and time until the VM is \
                Running on another host (ping.interval=1, ping.timeout=2: a 2 s wait), then restart the agent.
                The processes run the `zoostack` built beside this executable ($ZOOSTACK_BINARY overrides it): \
                build both with `swift build -c release`.
                """
        )

        @Option(help: "ZooKeeper: embedded or apache.")
        var zookeeper = "embedded"

        @Option(help: "VMs deployed in each deploy phase.")
        var deployments = 600

        @Option(help: "Concurrent API clients in the deploy phases.")
        var concurrency = 48

        @Option(help: "Agent processes.")
        var agents = 6

        @Option(name: .customLong("config-rounds"), help: "Configuration updates timed.")
        var configRounds = 100

        @Option(help: "Leader kills and agent kills timed.")
        var rounds = 3

        @Option(name: .customLong("session-timeout-ms"), help: "ZooKeeper session timeout of servers and agents.")
        var sessionTimeoutMs = 4000

        func validate() throws {
            guard CoordinationKind(rawValue: self.zookeeper) != nil else {
                throw ValidationError("--zookeeper must be embedded or apache.")
            }
            guard self.deployments > 0, self.concurrency > 0, self.agents >= 2, self.configRounds > 0, self.rounds > 0
            else { throw ValidationError("counts must be positive, with at least 2 agents.") }
        }

        func run() async throws {
            let kind = CoordinationKind(rawValue: self.zookeeper) ?? .embedded
            let binary = ZooStackBinary.url
            guard FileManager.default.isExecutableFile(atPath: binary.path) else {
                throw BenchError("no zoostack executable at \(binary.path): build it (swift build -c release)")
            }
            let agentSpecs = (1...self.agents).map {
                ClusterFixture.AgentSpec(name: "bench-host-\($0)", cpu: 64, memoryMiB: 256 * 1024)
            }
            Console.out(
                "bench cluster: PostgreSQL, ZooKeeper \(kind), \(self.agents) agents, session timeout "
                    + "\(self.sessionTimeoutMs) ms"
            )
            for servers in [1, 3] {
                let cluster = try await ClusterFixture.start(
                    ClusterFixture.Options(
                        coordination: kind,
                        binary: binary,
                        managementServers: servers,
                        agents: agentSpecs,
                        sessionTimeout: .milliseconds(self.sessionTimeoutMs)
                    )
                )
                do {
                    let setup = try await BenchSetup.prepare(cluster)
                    try await self.deployPhase(cluster, setup)
                    if servers == 3 {
                        try await self.configPhase(cluster)
                        try await self.failoverPhase(cluster)
                        try await self.haPhase(cluster, setup)
                    }
                    await cluster.shutdown()
                } catch {
                    Console.out("failed; logs kept in \(cluster.directory.path)")
                    await cluster.shutdown(keepingLogs: true)
                    throw error
                }
            }
        }

        private func deployPhase(_ cluster: ClusterFixture, _ setup: BenchSetup) async throws {
            let client = CloudBenchClient(
                ports: cluster.currentServers.map(\.apiPort),
                apiKey: cluster.credentials.apikey,
                secret: cluster.credentials.secretkey
            )
            let failures = Atomic<Int>(0)
            let phase = try await client.phase(
                "deploy",
                ops: self.deployments,
                connections: self.concurrency
            ) { request, _ in
                let (_, failure) = try await CloudBenchClient.deploy(request, setup.deployment)
                if failure != nil { failures.add(1, ordering: .relaxed) }
            }
            Console.out(
                phase.line
                    + "  (\(cluster.serverCount) MS, \(self.deployments) VMs, \(self.concurrency) clients, "
                    + "\(failures.load(ordering: .relaxed)) failed)"
            )
            Console.flush()
        }

        private func configPhase(_ cluster: ClusterFixture) async throws {
            var samples: [Duration] = []
            for round in 0..<self.configRounds {
                let writer = round % cluster.serverCount
                let value = String(format: "0.%03d", 100 + round)
                let start = ContinuousClock.now
                _ = try await cluster.client(writer).call(
                    "updateConfiguration",
                    ["name": "drs.imbalance", "value": value]
                )
                for reader in 0..<cluster.serverCount where reader != writer {
                    try await poll(
                        "drs.imbalance=\(value) on server \(reader)",
                        timeout: .seconds(120),
                        every: .milliseconds(2)
                    ) {
                        let items = try await cluster.client(reader).call(
                            "listConfigurations",
                            ["name": "drs.imbalance"]
                        ).items
                        return items.first?["value"]?.stringValue == value
                    }
                }
                samples.append(ContinuousClock.now - start)
            }
            Console.out(Self.summary("config", samples, unit: "propagated to every MS"))
        }

        private func failoverPhase(_ cluster: ClusterFixture) async throws {
            let probe = try await LeaderProbe.connect(
                cluster.coordination.connectString,
                credentialsPath: cluster.clusterCredentialsPath
            )
            var samples: [Duration] = []
            for _ in 0..<self.rounds {
                let (leader, epoch) = try await probe.leadership()
                guard let leader, let index = cluster.serverIndex(id: leader) else {
                    throw BenchError("no leader")
                }
                let start = ContinuousClock.now
                cluster.killServer(index)
                try await poll("a leader after \(leader)", timeout: .seconds(120), every: .milliseconds(5)) {
                    let now = try await probe.leadership()
                    return now.epoch > epoch && now.leader != nil && now.leader != leader
                }
                samples.append(ContinuousClock.now - start)
                try await cluster.restartServer(index)
            }
            await probe.close()
            Console.out(Self.summary("failover", samples, unit: "SIGKILL of the leader to a new leader"))
        }

        private func haPhase(_ cluster: ClusterFixture, _ setup: BenchSetup) async throws {
            let admin = cluster.client(0)
            for (name, value) in [("ping.interval", "1"), ("ping.timeout", "2")] {
                _ = try await admin.call("updateConfiguration", ["name": name, "value": value])
            }
            var samples: [Duration] = []
            for round in 0..<self.rounds {
                let spec = cluster.options.agents[round % cluster.options.agents.count]
                var parameters = Dictionary(uniqueKeysWithValues: setup.deployment)
                parameters["serviceofferingid"] = setup.haOfferingId
                parameters["hostid"] = spec.hostId
                let vm = try await admin.callAndWait("deployVirtualMachine", parameters)
                guard let vmId = vm["virtualmachine"]?["id"]?.stringValue else { throw BenchError("no VM id") }
                let start = ContinuousClock.now
                cluster.killAgent(spec.hostId)
                try await poll("VM \(vmId) running elsewhere", timeout: .seconds(120), every: .milliseconds(10)) {
                    let now = try await admin.call("listVirtualMachines", ["id": vmId]).items.first
                    return now?["state"]?.stringValue == "Running" && now?["hostid"]?.stringValue != spec.hostId
                }
                samples.append(ContinuousClock.now - start)
                try await cluster.startAgent(spec)
                try await cluster.waitForHosts([spec.hostId], state: "Up")
            }
            Console.out(
                Self.summary("ha", samples, unit: "SIGKILL of an agent to its HA VM Running elsewhere, 2 s wait")
            )
        }

        static func summary(_ name: String, _ samples: [Duration], unit: String) -> String {
            let sorted = samples.sorted()
            func ms(_ duration: Duration) -> Double {
                Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
            }
            let p50 = ms(sorted[sorted.count / 2])
            let p99 = ms(sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))])
            let padded = name + String(repeating: " ", count: max(0, 9 - name.count))
            return padded
                + String(
                    format: "n=%d  p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms",
                    sorted.count,
                    p50,
                    p99,
                    ms(sorted.last ?? .zero)
                )
                + "  (\(unit))"
        }
    }
}

/// The ids a bench deployment needs, looked up once.
struct BenchSetup: Sendable {
    var deployment: [(String, String)]
    var haOfferingId: String

    static func prepare(_ cluster: ClusterFixture) async throws -> BenchSetup {
        let admin = cluster.client(0)
        guard let zone = try await admin.list("listZones").first?["id"]?.stringValue,
            let template = try await admin.list("listTemplates", ["templatefilter": "executable"]).first?["id"]?
                .stringValue
        else { throw BenchError("no zone or template") }
        let tiny = try await admin.call(
            "createServiceOffering",
            ["name": "bench", "displaytext": "bench", "cpunumber": "1", "cpuspeed": "100", "memory": "128"]
        )
        let ha = try await admin.call(
            "createServiceOffering",
            [
                "name": "bench-ha", "displaytext": "bench HA", "cpunumber": "1", "cpuspeed": "100", "memory": "128",
                "offerha": "true",
            ]
        )
        guard let tinyId = tiny["serviceoffering"]?["id"]?.stringValue,
            let haId = ha["serviceoffering"]?["id"]?.stringValue
        else { throw BenchError("offerings not created") }
        // The zone's default guest network is a /24: the bench's VMs get an isolated /16 of their own.
        guard
            let offering = try await admin.list(
                "listNetworkOfferings",
                ["name": "DefaultIsolatedNetworkOffering"]
            ).first?["id"]?.stringValue,
            let network = try await admin.call(
                "createNetwork",
                [
                    "zoneid": zone, "networkofferingid": offering, "name": "bench", "displaytext": "bench",
                    "gateway": "10.64.0.1", "netmask": "255.255.0.0",
                ]
            )["network"]?["id"]?.stringValue
        else { throw BenchError("bench network not created") }
        return BenchSetup(
            deployment: [
                ("zoneid", zone), ("templateid", template), ("serviceofferingid", tinyId), ("networkids", network),
            ],
            haOfferingId: haId
        )
    }
}
