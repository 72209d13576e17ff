import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import CloudTestSupport
import Orchestrator
import Testing

/// Alerts: raised when a host goes Down (type 7), by generateAlert and by the cluster's management-server watch
/// (type 14); listAlerts/archiveAlerts/deleteAlerts are the root admin's.
struct AlertTests {
    @Test func aHostGoingDownRaisesAHostAlertThatCanBeArchivedAndDeleted() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await cloud.server.core.store.list(Host.self).items
        let dead = hosts[0]
        _ = try await cloud.deploy(extra: ["hostid": dead.id])
        #expect(try await cloud.server.hostHA.hostDown(dead.id).markedDown)

        let (status, listed) = await cloud.call("listAlerts")
        #expect(status == 200)
        let alert = try #require(listed.items.first, "\(listed.json)")
        #expect(listed.items.count == 1)
        #expect(alert["type"]?.int == 7)
        #expect(alert["name"]?.stringValue == "ALERT.COMPUTE.HOST")
        #expect(alert["description"]?.stringValue?.contains(dead.name) == true)
        #expect(alert["zoneid"]?.stringValue == dead.zoneId)
        #expect(alert["sent"]?.stringValue?.hasSuffix("+0000") == true)
        let alertId = try #require(alert["id"]?.stringValue)
        let (_, byType) = await cloud.call("listAlerts", ["type": "7", "keyword": "host is down"])
        #expect(byType.items.count == 1)
        let (_, otherType) = await cloud.call("listAlerts", ["type": "14"])
        #expect(otherType.items.isEmpty)

        // Users may not see or touch alerts.
        let user = try await cloud.makeUser("alertuser")
        for command in ["listAlerts", "archiveAlerts", "deleteAlerts", "generateAlert"] {
            let (refused, _) = await cloud.call(command, ["ids": alertId], keys: user)
            #expect(refused == 432, "\(command)")
        }

        let (archived, body) = await cloud.call("archiveAlerts", ["ids": alertId])
        #expect(archived == 200)
        #expect(body["success"] == .string("true"))
        let (_, afterArchive) = await cloud.call("listAlerts")
        #expect(afterArchive.items.isEmpty)
        let (unknown, _) = await cloud.call("deleteAlerts", ["ids": "00000000-0000-0000-0000-000000000000"])
        #expect(unknown == 530)
        let (deleted, _) = await cloud.call("deleteAlerts", ["ids": alertId])
        #expect(deleted == 200)
        #expect(try await cloud.server.core.store.get(Alert.self, id: alertId) == nil)
        let (unselected, _) = await cloud.call("deleteAlerts")
        #expect(unselected == 431)
    }

    @Test(arguments: TestBackend.allCases)
    func generatedAndManagementServerAlertsAreListedAndDeletedByType(backend: TestBackend) async throws {
        let cloud = try await TestCloud.make(backend: backend)
        let zone = try await cloud.first("listZones", "zone")
        let job = try await cloud.callAndWait(
            "generateAlert",
            [
                "type": "14", "name": "ALERT.MANAGEMENT", "description": "operator test",
                "zoneid": zone["id"]?.stringValue ?? "",
            ]
        )
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        let (clash, clashBody) = await cloud.call(
            "generateAlert",
            ["type": "7", "name": "MY.ALERT", "description": "x"]
        )
        #expect(clash == 431)
        #expect(
            clashBody["errortext"]?.stringValue == "There is a default alert having type 7 and name ALERT.COMPUTE.HOST"
        )
        await cloud.server.alerts.managementServerDown(id: "ms-2", address: "10.0.0.2")
        await cloud.server.alerts.managementServerUp(id: "ms-2", address: "10.0.0.2")

        let (_, listed) = await cloud.call("listAlerts", ["type": "14"])
        #expect(listed.items.count == 3)
        #expect(listed.items.first?["description"]?.stringValue == "Management server node 10.0.0.2 (id: ms-2) is up")
        #expect(listed.items.allSatisfy { $0["name"]?.stringValue == "ALERT.MANAGEMENT" })
        let (_, paged) = await cloud.call("listAlerts", ["page": "2", "pagesize": "2"])
        #expect(paged["count"]?.int == 3 && paged.items.count == 1)
        let (_, old) = await cloud.call("listAlerts", ["keyword": "operator"])
        #expect(old.items.count == 1)

        let (deleted, _) = await cloud.call(
            "deleteAlerts",
            ["type": "14", "startdate": "2000-01-01", "enddate": "2999-12-31"]
        )
        #expect(deleted == 200)
        let (_, after) = await cloud.call("listAlerts")
        #expect(after.items.isEmpty)
    }

    @Test func aClusterCrossingTheMemoryNotificationThresholdRaisesOneAlertUntilArchived() async throws {
        let cloud = try await TestCloud.make()
        #expect(try await cloud.server.capacityAlerts.check().isEmpty)
        let (updated, _) = await cloud.call(
            "updateConfiguration",
            ["name": "cluster.memory.allocated.capacity.notificationthreshold", "value": "0.001"]
        )
        #expect(updated == 200)
        let vm = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let hostId = try #require(try await cloud.server.core.store.get(VirtualMachine.self, id: vm)?.hostId)
        let host = try #require(try await cloud.server.core.store.get(Host.self, id: hostId))
        let raised = try await cloud.server.capacityAlerts.check()
        #expect(raised.count == 1)
        let (_, listed) = await cloud.call("listAlerts", ["type": "0"])
        let alert = try #require(listed.items.first, "\(listed.json)")
        #expect(alert["name"]?.stringValue == "ALERT.MEMORY")
        let description = try #require(alert["description"]?.stringValue)
        #expect(description.hasPrefix("System Alert: Low Available Memory in cluster "))
        let cluster = try #require(try await cloud.server.core.store.get(Cluster.self, id: host.clusterId))
        #expect(description.contains(cluster.name))
        #expect(try await cloud.server.capacityAlerts.check().isEmpty, "no duplicate while listed")
        let (archived, _) = await cloud.call("archiveAlerts", ["type": "0"])
        #expect(archived == 200)
        #expect(try await cloud.server.capacityAlerts.check().count == 1)
    }
}
