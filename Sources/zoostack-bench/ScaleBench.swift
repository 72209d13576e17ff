import ArgumentParser
import ClusterHarness
import Coordination
import Foundation

extension ZooStackBench {
    /// `zoostack-bench scale`: issue 18's figures for a cloud of many simulated hosts, on real processes.
    struct ScaleBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scale",
            abstract: "Measure a cloud of many simulated hosts: adoption, rebalancing, agent loss, failover, sizes.",
            discussion: """
                Starts, on loopback, a throwaway PostgreSQL cluster, ZooKeeper (--zookeeper embedded: `zoostack \
                zookeeper` as a process; apache: a 3-server Apache ZooKeeper ensemble) and --servers `zoostack \
                serve` processes, sets ping.interval=1 and ping.timeout=2 (a 2 s wait before Down), then:
                  adoption: starts --agents `zoostack agent --simulator --hosts N` processes sharing --hosts hosts \
                and times, from their start, until every host is Up in the API (listHosts state=Up page=1 \
                pagesize=1, its count: the database's count) and owned (the owner nodes under \
                /zoostack/hostowners, counted with getAllChildrenNumber). Goal at 100,000 hosts: under 60 s.
                  rebalance: SIGKILLs a management server that is not the leader and times until each host it \
                owned has its owner node rewritten (a persistent recursive watch on /zoostack/hostowners), \
                confirmed by reading every owner bucket by bucket (multiRead of 100 nodes); prints how many hosts \
                changed owner (only the dead server's share should). Goal: the session timeout plus 5 s. The \
                server is then restarted.
                  agent loss: SIGKILLs the first agent process and times until all its hosts are Disconnected (or \
                already Down) and until all are Down (listHosts state=... keyword=NAME- counts). No VMs run, so \
                there is no HA to time.
                  failover: SIGKILLs the leader and times until ZooKeeper shows a new leader with a new epoch.
                  figures: ZooKeeper's znode count, watch count and approximate data size (`mntr` of every \
                server; watches summed), the largest getChildren reply the bench read (bytes as framed on the \
                wire), and pg_database_size.
                  lists (with --vms N): inserts N VM rows and 1,000 accounts in SQL, then times --list-calls calls \
                of listVirtualMachines (pagesize 500, all and one account) and listHosts, and --deploys deploys.
                Every wait is bounded (generously: they grow with --hosts) and fails its phase with what it last \
                saw. The placement decision alone over 100,000 hosts is `zoostack-bench placement`. The processes \
                run the `zoostack` built beside this executable ($ZOOSTACK_BINARY overrides it).
                """
        )

        @Option(help: "Simulated hosts, spread evenly over the agent processes.")
        var hosts = 100_000

        @Option(help: "Agent processes.")
        var agents = 10

        @Option(help: "Management servers (at least 2).")
        var servers = 3

        @Option(help: "ZooKeeper: embedded or apache.")
        var zookeeper = "embedded"

        @Option(name: .customLong("session-timeout-ms"), help: "ZooKeeper session timeout of servers and agents.")
        var sessionTimeoutMs = 10_000

        @Option(help: "VM rows to insert after the other phases, then time the lists and deploys (0: skip).")
        var vms = 0

        @Option(name: .customLong("list-calls"), help: "Calls timed per list command (with --vms).")
        var listCalls = 50

        @Option(help: "deployVirtualMachine jobs timed (with --vms).")
        var deploys = 20

        func validate() throws {
            guard CoordinationKind(rawValue: self.zookeeper) != nil else {
                throw ValidationError("--zookeeper must be embedded or apache.")
            }
            guard self.agents >= 1, self.hosts >= self.agents, self.servers >= 2 else {
                throw ValidationError("--agents must be positive, --hosts at least --agents, --servers at least 2.")
            }
            guard self.sessionTimeoutMs >= 1000 else { throw ValidationError("--session-timeout-ms must be >= 1000.") }
        }

        var sessionTimeout: Duration { .milliseconds(self.sessionTimeoutMs) }

        func run() async throws {
            let kind = CoordinationKind(rawValue: self.zookeeper) ?? .embedded
            let binary = ZooStackBinary.url
            guard FileManager.default.isExecutableFile(atPath: binary.path) else {
                throw BenchError("no zoostack executable at \(binary.path): build it (swift build)")
            }
            Console.out(
                "bench scale: \(self.hosts) hosts in \(self.agents) agent processes, \(self.servers) management "
                    + "servers, PostgreSQL, ZooKeeper \(kind), session timeout \(self.sessionTimeoutMs) ms; "
                    + "\(Self.build) build; load average \(Self.loadAverage)"
            )
            Console.flush()
            let cluster = try await ClusterFixture.start(
                ClusterFixture.Options(
                    coordination: kind,
                    binary: binary,
                    managementServers: self.servers,
                    agents: [],
                    sessionTimeout: self.sessionTimeout
                )
            )
            do {
                let probe = try await ScaleProbe.connect(cluster)
                var failure: (any Error)?
                do {
                    let leaders = try await LeaderProbe.connect(
                        cluster.coordination.connectString,
                        credentialsPath: cluster.clusterCredentialsPath
                    )
                    do { try await self.phases(cluster, probe, leaders) } catch { failure = error }
                    await leaders.close()
                } catch {
                    failure = error
                }
                await probe.close()
                if let failure { throw failure }
                Console.out("load average at the end \(Self.loadAverage)")
                await cluster.shutdown()
            } catch {
                Console.out("failed; logs kept in \(cluster.directory.path)")
                Console.flush()
                await cluster.shutdown(keepingLogs: true)
                throw error
            }
        }

        private func phases(_ cluster: ClusterFixture, _ probe: ScaleProbe, _ leaders: LeaderProbe) async throws {
            for (name, value) in [("ping.interval", "1"), ("ping.timeout", "2")] {
                _ = try await cluster.client(0).call("updateConfiguration", ["name": name, "value": value])
            }
            let agents = try await self.adoption(cluster, probe)
            try await self.rebalance(cluster, probe, leaders)
            try await self.agentLoss(cluster, name: agents[0].0, hostId: agents[0].1, hosts: self.share(0))
            try await self.failover(cluster, leaders)
            try await self.figures(cluster, probe)
            if self.vms > 0 {
                try await ScaleListPhase(cluster: cluster, vms: self.vms, calls: self.listCalls, deploys: self.deploys)
                    .run()
            }
        }

        /// The hosts of agent process `index`.
        private func share(_ index: Int) -> Int {
            self.hosts / self.agents + (index < self.hosts % self.agents ? 1 : 0)
        }

        /// Phase 1; returns each agent process's name (its hosts are NAME-1 ... NAME-N) and one of its host ids.
        private func adoption(_ cluster: ClusterFixture, _ probe: ScaleProbe) async throws -> [(String, String)] {
            let width = String(self.agents).count
            let names = (1...self.agents).map {
                "sim" + String(repeating: "0", count: width - String($0).count) + "\($0)"
            }
            let shares = (0..<self.agents).map(self.share)
            // Bounded, but generously: a debug build on 2 busy cores registers a few hundred hosts a second.
            let bound = Duration.seconds(120) + .milliseconds(20 * self.hosts)
            let start = ContinuousClock.now
            let firstIds = try await withThrowingTaskGroup(of: (String, String?).self) { group in
                for (name, count) in zip(names, shares) {
                    group.addTask {
                        let ids = try await cluster.startSimulatedHosts(count: count, name: name, readyTimeout: bound)
                        return (name, ids.first)
                    }
                }
                var firstIds: [String: String] = [:]
                for try await (name, id) in group { firstIds[name] = id }
                return firstIds
            }
            let started = ContinuousClock.now - start
            let hosts = self.hosts
            var registered: Duration?
            var owned: Duration?
            let elapsed = try await Self.wait(
                "adoption of \(hosts) hosts",
                since: start,
                bound: bound
            ) {
                let nodes = try await probe.leafCount(probe.layout.hosts)
                if registered == nil && nodes == hosts { registered = ContinuousClock.now - start }
                let owners = try await probe.leafCount(probe.layout.hostOwners)
                if owned == nil && owners == hosts { owned = ContinuousClock.now - start }
                let up = try await HostCounts.count(cluster, state: "Up")
                return (up == hosts && owners == hosts, "\(nodes) host nodes, \(owners) owner nodes, \(up) Up")
            }
            Console.out(
                "adoption    \(Self.seconds(elapsed))  (\(hosts) hosts Up by listHosts count and owned by owner "
                    + "nodes, from starting \(self.agents) agent processes; goal at 100,000 hosts < 60 s)"
            )
            Console.out(
                "  every ready line printed at \(Self.seconds(started)), every host node at "
                    + "\(Self.seconds(registered ?? elapsed)), every owner node at \(Self.seconds(owned ?? elapsed))"
            )
            Console.flush()
            return names.map { ($0, firstIds[$0] ?? "") }
        }

        /// Phase 2.
        private func rebalance(_ cluster: ClusterFixture, _ probe: ScaleProbe, _ leaders: LeaderProbe) async throws {
            let leader = try await leaders.leadership().leader
            guard let victim = (0..<cluster.serverCount).last(where: { cluster.serverId($0) != leader }) else {
                throw BenchError("rebalance: no management server besides the leader \(leader ?? "-")")
            }
            let victimId = cluster.serverId(victim)
            let before = try await probe.owners()
            guard before.count == self.hosts else {
                throw BenchError("rebalance: \(before.count) owner nodes before the kill, not \(self.hosts)")
            }
            let orphaned = before.filter { $0.value == victimId }.map(\.key)
            let watch = try await OwnerRewriteWatch.start(cluster, layout: probe.layout)
            let bound = self.sessionTimeout + .seconds(60) + .milliseconds(self.hosts)
            let start = ContinuousClock.now
            cluster.killServer(victim)
            let unseen = try await watch.wait(for: Set(orphaned.map(probe.layout.hostOwnerPath)), timeout: bound)
            let watched = ContinuousClock.now - start
            var after: [String: String] = [:]
            var reads = 0
            let hosts = self.hosts
            let polled = try await Self.wait("rebalance after SIGKILL of \(victimId)", since: start, bound: bound) {
                reads += 1
                after = try await probe.owners()
                let stale = after.values.filter { $0 == victimId }.count
                let done = after.count == hosts && stale == 0
                return (done, "\(after.count) owner nodes, \(stale) still \(victimId)'s, \(unseen) not rewritten")
            }
            // The watch's time, when the first read after it confirms it; else the reads'.
            let elapsed = unseen == 0 && reads == 1 ? watched : polled
            let moved = before.filter { after[$0.key] != $0.value }
            let others = moved.filter { $0.value != victimId }.count
            let goal = self.sessionTimeout + .seconds(5)
            Console.out(
                "rebalance   \(Self.seconds(elapsed))  (SIGKILL of \(victimId), not the leader, until its "
                    + "\(orphaned.count) hosts were owned again; \(moved.count) hosts changed owner, \(others) of "
                    + "them not \(victimId)'s; goal <= session timeout + 5 s = \(Self.seconds(goal)): "
                    + (elapsed <= goal ? "met)" : "missed)")
            )
            Console.flush()
            try await cluster.restartServer(victim)
            // The host set is unchanged, so rendezvous hashing gives the restarted server the same share back.
            let back = try await Self.wait(
                "\(victimId)'s share back and every host Up",
                bound: bound,
                every: .seconds(1)
            ) {
                let share = try await probe.owners().values.filter { $0 == victimId }.count
                let up = try await HostCounts.count(cluster, state: "Up")
                return (share == orphaned.count && up == hosts, "\(share) hosts owned by \(victimId), \(up) Up")
            }
            Console.out(
                "  \(victimId) restarted: its \(orphaned.count) hosts back and all hosts Up "
                    + "\(Self.seconds(back)) after it was ready"
            )
        }

        /// Phase 3.
        private func agentLoss(_ cluster: ClusterFixture, name: String, hostId: String, hosts: Int) async throws {
            // Each lost host is two transitions, two events and an alert in the database.
            let bound = self.sessionTimeout + .seconds(60) + .milliseconds(10 * self.hosts)
            let start = ContinuousClock.now
            cluster.killAgent(hostId)
            var disconnected: Duration?
            let down = try await Self.wait("agent loss of \(name)'s \(hosts) hosts", since: start, bound: bound) {
                let gone = try await HostCounts.count(cluster, state: "Disconnected", keyword: "\(name)-")
                let down = try await HostCounts.count(cluster, state: "Down", keyword: "\(name)-")
                if disconnected == nil && gone + down == hosts { disconnected = ContinuousClock.now - start }
                return (down == hosts, "\(gone) Disconnected, \(down) Down")
            }
            Console.out(
                "agent loss  \(Self.seconds(disconnected ?? down)) to Disconnected, \(Self.seconds(down)) to Down  "
                    + "(SIGKILL of agent process \(name) with \(hosts) hosts; ping.interval 1 x ping.timeout 2 = "
                    + "2 s wait; no VMs, no HA)"
            )
            Console.flush()
        }

        /// Phase 4.
        private func failover(_ cluster: ClusterFixture, _ leaders: LeaderProbe) async throws {
            let (leader, epoch) = try await leaders.leadership()
            guard let leader, let index = cluster.serverIndex(id: leader) else { throw BenchError("no leader") }
            let start = ContinuousClock.now
            cluster.killServer(index)
            var successor = "-"
            let elapsed = try await Self.wait(
                "a leader after \(leader)",
                since: start,
                bound: self.sessionTimeout * 2 + .seconds(60),
                every: .milliseconds(5)
            ) {
                let now = try await leaders.leadership()
                successor = now.leader ?? "-"
                return (now.epoch > epoch && now.leader != nil && now.leader != leader, "leader \(successor)")
            }
            Console.out(
                "failover    \(Self.seconds(elapsed))  (SIGKILL of the leader \(leader) until ZooKeeper shows "
                    + "\(successor) leading with a new epoch, at \(self.hosts) hosts)"
            )
            Console.flush()
        }

        /// Phase 5.
        private func figures(_ cluster: ClusterFixture, _ probe: ScaleProbe) async throws {
            let registered = try await probe.hostCount()
            _ = try await probe.owners()
            let largest = probe.largestReply
            guard let zookeeper = await ScaleFigures.zookeeper(cluster) else {
                throw BenchError("figures: no ZooKeeper server answered mntr")
            }
            Console.out(
                "zookeeper   \(zookeeper.znodes) znodes, \(zookeeper.watches) watches, \(zookeeper.dataBytes) "
                    + "bytes of data (approximate), largest getChildren reply \(largest.bytes) bytes "
                    + "(\(largest.path)); \(registered) host nodes"
            )
            let bytes = try await ScaleFigures.postgresBytes(cluster)
            Console.out("postgres    \(bytes) bytes (pg_database_size)")
            Console.flush()
        }

        /// Polls `check` (every `pause`; a thrown error counts as "not yet" and is what was seen) until it holds or
        /// `bound` has passed since `start`.
        /// - Returns: the time from `start` until it held.
        /// - Throws: ``BenchError`` naming `what` and the last thing seen.
        static func wait(
            _ what: String,
            since start: ContinuousClock.Instant = .now,
            bound: Duration,
            every pause: Duration = .milliseconds(250),
            _ check: () async throws -> (done: Bool, seen: String)
        ) async throws -> Duration {
            var seen = "nothing yet"
            var failed: String?
            while true {
                do {
                    let (done, now) = try await check()
                    if done { return ContinuousClock.now - start }
                    (seen, failed) = (now, nil)
                } catch {
                    failed = "\(error)"
                }
                guard ContinuousClock.now - start < bound else {
                    let last = failed.map { "; then \($0)" } ?? ""
                    throw BenchError("\(what): not within \(Self.seconds(bound)); last seen: \(seen)\(last)")
                }
                try await Task.sleep(for: pause)
            }
        }

        static func seconds(_ duration: Duration) -> String {
            let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return String(format: "%.3f s", value)
        }

        /// `debug` or `release`: how this executable (and, built with it, `zoostack`) was compiled.
        static var build: String {
            #if DEBUG
            "debug"
            #else
            "release"
            #endif
        }

        /// The 1, 5 and 15 minute load averages (`/proc/loadavg`).
        static var loadAverage: String {
            let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
            return text.split(separator: " ").prefix(3).joined(separator: " ")
        }
    }
}
