import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Coordination
import Testing

@testable import Agent
@testable import HostManagement

@Suite("In-process hosts: a single machine's simulated hosts go through ZooKeeper and the agent protocol")
struct InProcessHostsTests {
    @Test(.timeLimit(.minutes(3)))
    func seededHostsAreServedInProcessAndSurviveARestart() async throws {
        let cloud = try await AgentCloud.make(keepSeededHosts: true)
        let store = cloud.server.core.store
        let seeded = try await InProcessHosts.simulatorHosts(store: store)
        #expect(!seeded.isEmpty)
        #expect(seeded.allSatisfy { $0.agentAddress == nil })
        let first = try await InProcessHosts.start(
            hosts: seeded,
            store: store,
            connectString: cloud.connectString,
            rootPath: cloud.root,
            sessionTimeout: .seconds(6),
            credentials: TestSecrets.credentials,
            secret: TestSecrets.agent
        )
        let ids = Set(seeded.map(\.id))
        try await eventually("seeded hosts adopted with the in-process agent's address") {
            let rows = try await store.hosts(ids: ids)
            return rows.count == ids.count && rows.allSatisfy { $0.agentAddress == first.address }
        }
        // An external agent's host is adopted too, but is not an in-process host.
        let externalId = "00000000-0000-4000-8000-00000000c001"
        let (external, registration) = try await cloud.agent(externalId)
        try await eventually("external host adopted") {
            try await store.get(Host.self, id: externalId)?.agentAddress != nil
        }

        let deployed = try await cloud.callAndWait(
            "deployVirtualMachine",
            [
                "zoneid": seeded[0].zoneId,
                "templateid": try await cloud.firstId("listTemplates", ["templatefilter": "featured"]),
                "serviceofferingid": try await cloud.firstId("listServiceOfferings", ["name": "Small Instance"]),
                "hostid": seeded[0].id,
            ]
        )
        let vmId = try #require(deployed["virtualmachine"]?["id"]?.stringValue)
        #expect(first.agent.vms(onHost: seeded[0].id).map(\.id) == [vmId])

        // Restart: the same hosts (not the external one) are served again, the running VM with them.
        await first.stop()
        let again = try await InProcessHosts.simulatorHosts(store: store)
        #expect(Set(again.map(\.id)) == ids)
        let second = try await InProcessHosts.start(
            hosts: again,
            store: store,
            connectString: cloud.connectString,
            rootPath: cloud.root,
            sessionTimeout: .seconds(6),
            credentials: TestSecrets.credentials,
            secret: TestSecrets.agent
        )
        #expect(second.agent.vms(onHost: seeded[0].id).map(\.id) == [vmId])
        try await eventually("hosts adopted again at the new address") {
            try await store.hosts(ids: ids).allSatisfy { $0.agentAddress == second.address }
        }
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": vmId])
        #expect(second.agent.vms(onHost: seeded[0].id).isEmpty)

        await registration.deregister()
        await external.shutdown()
        await second.stop()
        await cloud.stop()
    }
}
