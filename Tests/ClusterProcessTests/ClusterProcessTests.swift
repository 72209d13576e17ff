import CloudAPI
import ClusterHarness
import Foundation
import Synchronization
import Testing

/// Issue 6's multi-process tests: three `zoostack serve` processes over one PostgreSQL database, coordinated by
/// ZooKeeper (the embedded server as its own process, then a 3-server Apache ZooKeeper 3.8 ensemble), with four
/// `zoostack agent --simulator` processes as hypervisor hosts. Everything on loopback.
@Suite(.serialized)
struct ClusterProcessTests {
    static let sessionTimeout = Duration.seconds(4)

    @Test(arguments: CoordinationKind.allCases)
    func threeManagementServersWithAgents(_ kind: CoordinationKind) async throws {
        let cluster = try await ClusterFixture.start(
            ClusterFixture.Options(
                coordination: kind,
                binary: ZooStackBinary.url,
                sessionTimeout: Self.sessionTimeout
            )
        )
        do {
            let scenario = try await ClusterScenario.prepare(cluster)
            try await Self.membership(scenario)
            try await Self.configurationPropagates(scenario)
            try await Self.drsBalancesASkewedCluster(scenario)
            try await Self.haRestartsTheVMsOfAKilledAgent(scenario)
            try await Self.killingAManagementServerUnderLoad(scenario)
            await cluster.shutdown()
        } catch {
            Issue.record("\(kind): \(error)\nlogs in \(cluster.directory.path)\n\(cluster.logTails)")
            await cluster.shutdown(keepingLogs: true)
        }
    }

    /// listManagementServers on every server shows all three Up.
    static func membership(_ scenario: ClusterScenario) async throws {
        let ids = Set((0..<scenario.cluster.serverCount).map { scenario.cluster.serverId($0) })
        for index in 0..<scenario.cluster.serverCount {
            let servers = try await scenario.cluster.client(index).list("listManagementServers")
            let up = Set(servers.filter { $0["state"]?.stringValue == "Up" }.compactMap { $0["name"]?.stringValue })
            #expect(up == ids, "server \(index) lists \(servers.map(\.json))")
        }
    }

    /// updateConfiguration on one server is visible through listConfigurations on all three within one second.
    static func configurationPropagates(_ scenario: ClusterScenario) async throws {
        for (round, value) in ["0.31", "0.32", "0.33"].enumerated() {
            let writer = round % scenario.cluster.serverCount
            let start = ContinuousClock.now
            try await scenario.set("drs.imbalance", value, through: writer)
            for index in 0..<scenario.cluster.serverCount {
                try await poll("drs.imbalance=\(value) on server \(index)", timeout: .seconds(5)) {
                    try await scenario.setting("drs.imbalance", on: index) == value
                }
            }
            let elapsed = ContinuousClock.now - start
            print("config: drs.imbalance=\(value) on every server after \(elapsed)")
            #expect(elapsed < .seconds(1), "drs.imbalance=\(value) written on \(writer) took \(elapsed) to reach all")
        }
    }

    /// A cluster with most memory on one host: an executed DRS plan lowers the imbalance below the threshold and
    /// keeps a host anti-affinity group's VMs on distinct hosts.
    static func drsBalancesASkewedCluster(_ scenario: ClusterScenario) async throws {
        let admin = scenario.cluster.client(0)
        try await scenario.set("drs.imbalance", "0.5")
        try await scenario.set("drs.metric", "memory")
        try await scenario.set("drs.algorithm", "balanced")
        try await scenario.set("drs.max.migrations", "50")
        let group = try await admin.callAndWait(
            "createAffinityGroup",
            ["name": "apart", "type": "host anti-affinity"]
        )
        let groupId = try #require(group["affinitygroup"]?["id"]?.stringValue)
        let hosts = try await admin.list("listHosts", ["type": "Routing"]).compactMap { $0["id"]?.stringValue }.sorted()
        var members: [String] = []
        // Both members of the group, then the rest, on the first host... the group's second member elsewhere.
        members.append(
            try #require(
                try await scenario.deploy(through: 1, extra: ["hostid": hosts[0], "affinitygroupids": groupId])["id"]?
                    .stringValue
            )
        )
        members.append(
            try #require(
                try await scenario.deploy(through: 2, extra: ["hostid": hosts[1], "affinitygroupids": groupId])["id"]?
                    .stringValue
            )
        )
        for index in 0..<7 { _ = try await scenario.deploy(through: index % 3, extra: ["hostid": hosts[0]]) }
        let before = ClusterInvariants.memoryImbalance(try await admin.list("listHosts", ["type": "Routing"]))
        #expect(before > 0.5, "the cluster should start skewed: \(before)")

        let result = try await scenario.cluster.client(2).callAndWait(
            "executeClusterDrsPlan",
            ["id": scenario.clusterId]
        )
        #expect(result["drsPlan"]?["status"]?.stringValue == "COMPLETED", "\(result.json)")
        let after = ClusterInvariants.memoryImbalance(try await admin.list("listHosts", ["type": "Routing"]))
        #expect(after < 0.5, "imbalance \(before) → \(after)")
        var placed: [String] = []
        for member in members {
            let vm = try #require(try await admin.list("listVirtualMachines", ["id": member]).first)
            placed.append(vm["hostid"]?.stringValue ?? "")
        }
        #expect(Set(placed).count == 2, "anti-affinity broken: \(placed)")
        let problems = try await ClusterInvariants.violations(admin)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// SIGKILL an agent: its HA VM runs on another host within the session timeout plus the configured wait (plus
    /// a second for ZooKeeper's expiry tick and the restart), its other VM ends Stopped, the host ends Down.
    static func haRestartsTheVMsOfAKilledAgent(_ scenario: ClusterScenario) async throws {
        let admin = scenario.cluster.client(0)
        try await scenario.set("ping.interval", "1")
        try await scenario.set("ping.timeout", "2")
        let wait = Duration.seconds(2)
        let victim = try #require(scenario.cluster.options.agents.last?.hostId)
        let haVM = try await scenario.deploy(through: 1, offering: scenario.haOfferingId, extra: ["hostid": victim])
        let plainVM = try await scenario.deploy(through: 2, extra: ["hostid": victim])
        let haId = try #require(haVM["id"]?.stringValue)
        let plainId = try #require(plainVM["id"]?.stringValue)

        let killed = ContinuousClock.now
        scenario.cluster.killAgent(victim)
        let bound = ClusterProcessTests.sessionTimeout + wait + .seconds(1)
        try await poll("HA VM restarted elsewhere", timeout: bound + .seconds(30)) {
            let vm = try await admin.list("listVirtualMachines", ["id": haId]).first
            return vm?["state"]?.stringValue == "Running" && vm?["hostid"]?.stringValue != victim
        }
        let restarted = ContinuousClock.now - killed
        print("ha: the HA VM ran on another host \(restarted) after its agent's SIGKILL")
        #expect(restarted <= bound, "HA restart took \(restarted), bound \(bound)")
        try await poll("plain VM stopped", timeout: .seconds(30)) {
            try await admin.list("listVirtualMachines", ["id": plainId]).first?["state"]?.stringValue == "Stopped"
        }
        try await scenario.cluster.waitForHosts([victim], state: "Down", timeout: .seconds(30))
        let hostAlerts = try await admin.list("listAlerts", ["type": "7"])
        #expect(!hostAlerts.isEmpty, "no ALERT.COMPUTE.HOST for the lost host")
        let events = try await admin.list("listEvents", ["listall": "true", "keyword": victim])
        #expect(!events.isEmpty, "no event names the lost host")
        let problems = try await ClusterInvariants.violations(admin)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// Concurrent deployments through all three servers; the leader is SIGKILLed half-way. Clients whose server
    /// died retry on another; the dead server's jobs end failed; a new leader is in place within the session
    /// timeout plus one second; afterwards every invariant holds.
    static func killingAManagementServerUnderLoad(_ scenario: ClusterScenario) async throws {
        let cluster = scenario.cluster
        let probe = try await LeaderProbe.connect(
            cluster.coordination.connectString,
            credentialsPath: cluster.clusterCredentialsPath
        )
        defer { Task { await probe.close() } }
        let (leaderId, epoch) = try await probe.leadership()
        let leader = try #require(
            leaderId.flatMap { cluster.serverIndex(id: $0) },
            "no leader: \(String(describing: leaderId))"
        )

        let perServer = 12
        let tally = LoadTally()
        let total = perServer * cluster.serverCount
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<total {
                group.addTask {
                    var server = worker % cluster.serverCount
                    for _ in 0..<6 {
                        let client = cluster.client(server)
                        do {
                            let answer = try await client.call("deployVirtualMachine", scenario.deployment())
                            let jobId = try #require(answer["jobid"]?.stringValue)
                            tally.jobIds.withLock { $0.append(jobId) }
                            _ = try await Self.follow(job: jobId, startingAt: server, cluster: cluster)
                            tally.outcomes.withLock { $0.succeeded += 1 }
                            if tally.done.add(1, ordering: .relaxed).newValue == total / 3 {
                                tally.killedAt.withLock { $0 = ContinuousClock.now }
                                cluster.killServer(leader)
                            }
                            return
                        } catch let error as CloudCallError {
                            tally.outcomes.withLock { $0.failedOver.append("\(error)") }
                        } catch {
                            // The server is gone: retry on the next one.
                        }
                        server = (server + 1) % cluster.serverCount
                        if server == leader, tally.killedAt.withLock({ $0 }) != nil {
                            server = (server + 1) % cluster.serverCount
                        }
                    }
                    Issue.record("worker \(worker) never deployed")
                }
            }
            // The leader's successor, timed from the kill.
            group.addTask {
                try await poll("a kill", timeout: .seconds(300)) {
                    tally.killedAt.withLock { $0 } != nil
                }
                let start = try #require(tally.killedAt.withLock { $0 })
                try await poll("a new leader", timeout: .seconds(60), every: .milliseconds(10)) {
                    let now = try await probe.leadership()
                    return now.epoch > epoch && now.leader != nil && now.leader != leaderId
                }
                let failover = ContinuousClock.now - start
                print("failover: a new leader \(failover) after the SIGKILL of \(leaderId ?? "")")
                #expect(
                    failover <= ClusterProcessTests.sessionTimeout + .seconds(1),
                    "new leader after \(failover)"
                )
            }
            try await group.waitForAll()
        }
        let (succeeded, failedOver) = tally.outcomes.withLock { $0 }
        print("load: \(succeeded) deployments, \(failedOver.count) jobs failed over: \(failedOver.prefix(3))")
        #expect(succeeded == total, "failed over: \(failedOver)")
        for message in failedOver {
            #expect(message.contains("530"), "a failed-over job's error: \(message)")
        }
        let survivor = cluster.client((leader + 1) % cluster.serverCount)
        // Every job ended, the dead server's included.
        for jobId in tally.jobIds.withLock({ $0 }) {
            try await poll("job \(jobId) ends", timeout: .seconds(60)) {
                (try await survivor.call("queryAsyncJobResult", ["jobid": jobId]))["jobstatus"]?.int != 0
            }
        }
        let servers = try await survivor.list("listManagementServers")
        let dead = servers.first { $0["name"]?.stringValue == leaderId }
        #expect(dead?["state"]?.stringValue == "Down", "\(servers.map(\.json))")
        try await poll("an ALERT.MANAGEMENT for the killed server", timeout: .seconds(30)) {
            try await survivor.list("listAlerts", ["type": "14"]).contains { alert in
                let text = alert["description"]?.stringValue ?? ""
                return text.contains(leaderId ?? "?") && text.hasSuffix("is down")
            }
        }
        try await poll("the killed server's hosts owned by survivors", timeout: .seconds(30)) {
            let hosts = try await survivor.list("listHosts", ["type": "Routing"])
            return hosts.filter { $0["state"]?.stringValue == "Up" }.allSatisfy { host in
                let owner = host["managementserverid"]?.stringValue ?? ""
                return !owner.isEmpty && owner != leaderId
            }
        }
        try await poll("no VM in transition", timeout: .seconds(60)) {
            try await ClusterInvariants.violations(survivor).isEmpty
        }
        let problems = try await ClusterInvariants.violations(survivor)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// What the load's workers share.
    final class LoadTally: Sendable {
        let done = Atomic<Int>(0)
        let jobIds = Mutex<[String]>([])
        let outcomes = Mutex<(succeeded: Int, failedOver: [String])>((0, []))
        let killedAt = Mutex<ContinuousClock.Instant?>(nil)
    }

    /// Follows a job on the server that took it, moving to another server when that one dies.
    static func follow(job jobId: String, startingAt server: Int, cluster: ClusterFixture) async throws -> APIValue {
        var server = server
        for _ in 0..<(cluster.serverCount * 20) {
            do {
                return try await cluster.client(server).wait(job: jobId, command: "deployVirtualMachine")
            } catch let error as CloudCallError {
                throw error
            } catch {
                server = (server + 1) % cluster.serverCount
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw HarnessError("job \(jobId) could not be followed on any server")
    }
}
