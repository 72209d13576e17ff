import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Orchestrator
import Testing

/// generateClusterDrsPlan, executeClusterDrsPlan, listClusterDrsPlan and the automatic run, on the simulated
/// zone's cluster of four hosts.
struct ClusterDrsTests {
    /// Deploys `count` Small Instances onto `hostId`; returns their ids.
    static func deploy(_ cloud: TestCloud, count: Int, on hostId: String) async throws -> [String] {
        var ids: [String] = []
        for _ in 0..<count {
            let job = try await cloud.deploy(extra: ["hostid": hostId])
            let vm = try #require(job["jobresult"]?["virtualmachine"])
            #expect(vm["hostid"]?.stringValue == hostId, "\(job.json)")
            ids.append(try #require(vm["id"]?.stringValue))
        }
        return ids
    }

    static func hosts(_ cloud: TestCloud) async throws -> [Host] {
        try await cloud.server.core.store.list(Host.self).items
    }

    static func hostOf(_ cloud: TestCloud) async throws -> [String: String] {
        var placed: [String: String] = [:]
        for vm in try await cloud.server.core.store.list(VirtualMachine.self).items {
            if let hostId = vm.hostId { placed[vm.id] = hostId }
        }
        return placed
    }

    @Test func aDrsRunOnASkewedClusterLowersTheImbalanceBelowTheThresholdWithoutBreakingAntiAffinity() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await Self.hosts(cloud)
        let clusterId = try #require(hosts.first?.clusterId)
        let onFirst = try await Self.deploy(cloud, count: 8, on: hosts[0].id)
        let onSecond = try await Self.deploy(cloud, count: 1, on: hosts[1].id)
        let onThird = try await Self.deploy(cloud, count: 1, on: hosts[2].id)
        // Each group starts on distinct hosts; DRS must keep them so.
        let groups = [[onFirst[0], onSecond[0]], [onFirst[1], onThird[0]], [onFirst[2], onSecond[0], onThird[0]]]
        cloud.server.drs.setAntiAffinityGroups { requested in requested == clusterId ? groups : [] }

        let settings = try await cloud.server.drs.settings()
        let before = try await cloud.server.drs.clusterState(clusterId).state.imbalance(settings)
        #expect(settings.needsDrs(imbalance: before), "skewed cluster: \(before)")

        let job = try await cloud.callAndWait("executeClusterDrsPlan", ["id": clusterId])
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        let plan = try #require(job["jobresult"]?["drsPlan"])
        #expect(plan["status"]?.stringValue == "COMPLETED")
        #expect(plan["type"]?.stringValue == "MANUAL")
        guard case .array(let migrations)? = plan["migrations"] else {
            Issue.record("no migrations: \(plan.json)")
            return
        }
        #expect(!migrations.isEmpty)
        for migration in migrations {
            #expect(migration["jobstatus"]?.stringValue == "SUCCEEDED", "\(migration.json)")
            let jobId = try #require(migration["jobid"]?.stringValue)
            let (_, migrationJob) = await cloud.call("queryAsyncJobResult", ["jobid": jobId])
            #expect(migrationJob["jobstatus"]?.int == 1)
            #expect(
                migrationJob["jobresult"]?["virtualmachine"]?["hostid"]?.stringValue
                    == migration["destinationhostid"]?.stringValue
            )
        }

        let after = try await cloud.server.drs.clusterState(clusterId).state.imbalance(settings)
        #expect(after <= settings.threshold, "imbalance \(before) → \(after)")
        let placed = try await Self.hostOf(cloud)
        for group in groups {
            let groupHosts = group.compactMap { placed[$0] }
            #expect(groupHosts.count == group.count)
            #expect(Set(groupHosts).count == group.count, "group \(group) shares a host: \(groupHosts)")
        }
        // Capacity followed the VMs: each host's use is the sum of its VMs' demands.
        let vms = try await cloud.server.core.store.list(VirtualMachine.self).items
        for host in try await Self.hosts(cloud) {
            let expected = vms.filter { $0.hostId == host.id }.map(\.memoryDemand).reduce(0, +)
            #expect(host.memUsed == expected)
        }

        let (_, listed) = await cloud.call("listClusterDrsPlan", ["clusterid": clusterId])
        #expect(listed["count"]?.int == 1)
        #expect(listed.items.first?["id"]?.stringValue == plan["id"]?.stringValue)
        let (_, events) = await cloud.call("listEvents", ["type": "CLUSTER.DRS", "listall": "true"])
        #expect(events.items.count == 2, "\(events.json)")
    }

    @Test func drsKeepsTheMembersOfAHostAntiAffinityGroupCreatedThroughTheAPIApart() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await Self.hosts(cloud)
        let clusterId = try #require(hosts.first?.clusterId)
        let group = try await cloud.callAndWait("createAffinityGroup", ["name": "apart", "type": "host anti-affinity"])
        let groupId = try #require(group["jobresult"]?["affinitygroup"]?["id"]?.stringValue)
        let medium = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Medium Instance"])
        _ = try await Self.deploy(cloud, count: 6, on: hosts[0].id)
        // The largest VM on the loaded host and the only VM on the emptiest host share the group: without it the
        // greedy plan's best first move would put them together.
        let big = try await cloud.deploy(
            extra: [
                "hostid": hosts[0].id, "affinitygroupids": groupId,
                "serviceofferingid": try #require(medium["id"]?.stringValue),
            ]
        )
        let bigId = try #require(big["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let lone = try await cloud.deploy(extra: ["hostid": hosts[1].id, "affinitygroupids": groupId])
        let loneId = try #require(lone["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        _ = try await Self.deploy(cloud, count: 2, on: hosts[2].id)
        _ = try await Self.deploy(cloud, count: 2, on: hosts[3].id)
        #expect(
            try await cloud.server.core.store.antiAffinityGroups(clusterId: clusterId) == [[bigId, loneId].sorted()]
        )

        let job = try await cloud.callAndWait("executeClusterDrsPlan", ["id": clusterId])
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        let placed = try await Self.hostOf(cloud)
        #expect(placed[bigId] != nil && placed[bigId] != placed[loneId], "\(placed)")
        let settings = try await cloud.server.drs.settings()
        let after = try await cloud.server.drs.clusterState(clusterId).state.imbalance(settings)
        #expect(after <= settings.threshold)
    }

    @Test func generateReturnsAPlanWithoutExecutingIt() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await Self.hosts(cloud)
        let clusterId = try #require(hosts.first?.clusterId)
        _ = try await Self.deploy(cloud, count: 6, on: hosts[0].id)
        let placedBefore = try await Self.hostOf(cloud)

        let (status, body) = await cloud.call("generateClusterDrsPlan", ["id": clusterId, "migrations": "2"])
        #expect(status == 200, "\(body.json)")
        let plan = try #require(body["drsPlan"])
        #expect(plan["status"]?.stringValue == "UNDER_REVIEW")
        #expect(plan["clusterid"]?.stringValue == clusterId)
        guard case .array(let migrations)? = plan["migrations"] else {
            Issue.record("no migrations: \(plan.json)")
            return
        }
        #expect(migrations.count == 2)
        #expect(migrations.allSatisfy { $0["sourcehostid"]?.stringValue == hosts[0].id })
        #expect(migrations.allSatisfy { $0["jobid"] == nil && $0["virtualmachinename"]?.stringValue != "" })
        #expect(try await Self.hostOf(cloud) == placedBefore)
        let (_, listed) = await cloud.call("listClusterDrsPlan", [:])
        #expect(listed.items.isEmpty, "\(listed.json)")
    }

    @Test func badInputIs431() async throws {
        let cloud = try await TestCloud.make()
        let clusterId = try #require(try await Self.hosts(cloud).first?.clusterId)
        let (zero, zeroBody) = await cloud.call("generateClusterDrsPlan", ["id": clusterId, "migrations": "0"])
        #expect(zero == 431)
        #expect(zeroBody["errortext"]?.stringValue?.contains("number of migrations") == true)
        let unknown = "00000000-0000-0000-0000-000000000000"
        let (missing, _) = await cloud.call("generateClusterDrsPlan", ["id": unknown])
        #expect(missing == 431)
        let (both, _) = await cloud.call("listClusterDrsPlan", ["id": unknown, "clusterid": clusterId])
        #expect(both == 431)
        let (badMap, badBody) = await cloud.call(
            "executeClusterDrsPlan",
            ["id": clusterId, "migrateto[0].vm": unknown, "migrateto[0].host": unknown]
        )
        #expect(badMap == 431)
        #expect(badBody["errortext"]?.stringValue?.contains("migrateto") == true)
        let user = try await cloud.makeUser("drsuser")
        let (forbidden, _) = await cloud.call("generateClusterDrsPlan", ["id": clusterId], keys: user)
        #expect(forbidden != 200)
    }

    @Test func anExplicitMappingRecordsEachMigrationsOutcome() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await Self.hosts(cloud)
        let clusterId = try #require(hosts.first?.clusterId)
        let vms = try await Self.deploy(cloud, count: 2, on: hosts[0].id)
        // The second destination is disabled: that migration fails, the first still happens.
        let (disabled, _) = await cloud.call("updateHost", ["id": hosts[3].id, "allocationstate": "Disable"])
        #expect(disabled == 200)
        let job = try await cloud.callAndWait(
            "executeClusterDrsPlan",
            [
                "id": clusterId, "migrateto[0].vm": vms[0], "migrateto[0].host": hosts[2].id,
                "migrateto[1].vm": vms[1], "migrateto[1].host": hosts[3].id,
            ]
        )
        let plan = try #require(job["jobresult"]?["drsPlan"])
        guard case .array(let migrations)? = plan["migrations"] else {
            Issue.record("no migrations: \(plan.json)")
            return
        }
        #expect(migrations.map { $0["jobstatus"]?.stringValue } == ["SUCCEEDED", "FAILED"])
        let placed = try await Self.hostOf(cloud)
        #expect(placed[vms[0]] == hosts[2].id)
        #expect(placed[vms[1]] == hosts[0].id)
        let failedJob = try #require(migrations[1]["jobid"]?.stringValue)
        let (_, result) = await cloud.call("queryAsyncJobResult", ["jobid": failedJob])
        #expect(result["jobstatus"]?.int == 2)
        #expect(result["jobresultcode"]?.int == 431)
    }

    @Test func runAutomaticActsOnlyWhenEnabledAndOncePerInterval() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await Self.hosts(cloud)
        _ = try await Self.deploy(cloud, count: 8, on: hosts[0].id)
        #expect(try await cloud.server.drs.runAutomatic().isEmpty)
        let (status, _) = await cloud.call("updateConfiguration", ["name": "drs.automatic.enable", "value": "true"])
        #expect(status == 200)
        let plans = try await cloud.server.drs.runAutomatic()
        #expect(plans.count == 1)
        #expect(plans.first?.type == .automated && plans.first?.status == .completed)
        let settings = try await cloud.server.drs.settings()
        let after = try await cloud.server.drs.clusterState(hosts[0].clusterId).state.imbalance(settings)
        #expect(after <= settings.threshold)
        // Within drs.automatic.interval of the last plan: nothing more.
        #expect(try await cloud.server.drs.runAutomatic().isEmpty)
    }
}
