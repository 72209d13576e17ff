import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Coordination
import Orchestrator
import Testing

@testable import Agent
@testable import HostManagement

@Suite("Host adoption: agents registered in ZooKeeper become hosts driven over the agent protocol")
struct HostAdoptionTests {
    @Test(.timeLimit(.minutes(3)), arguments: ["SQLite", "PostgreSQL"])
    func agentsAreAdoptedAndRunTheCloudsVMs(backend: String) async throws {
        let cloud = try await AgentCloud.make(postgres: backend == "PostgreSQL")
        let store = cloud.server.core.store
        // Host ids are UUIDs (the API's hostid parameters take UUIDs).
        let id1 = "00000000-0000-4000-8000-00000000a001"
        let id2 = "00000000-0000-4000-8000-00000000a002"
        let (agent1, registration1) = try await cloud.agent(id1)
        let (agent2, registration2) = try await cloud.agent(id2)
        let address1 = "127.0.0.1:\(agent1.port ?? 0)"

        // Registered → adopted: rows with the registered capacity and address, Up and Enabled, in the first
        // zone's first cluster.
        try await eventually("both hosts adopted") {
            let hosts = try await store.hosts(ids: [id1, id2])
            return hosts.count == 2 && hosts.allSatisfy { $0.state == "Up" && $0.agentAddress != nil }
        }
        let row = try #require(try await store.get(Host.self, id: id1))
        let firstZone = try #require(try await store.list(Zone.self).items.first)
        let firstCluster = try #require(
            try await store.list(Cluster.self).items.first { $0.zoneId == firstZone.id }
        )
        #expect(row.name == "agent-host-\(id1)")
        #expect(row.agentAddress == address1)
        #expect(row.resourceState == "Enabled")
        #expect(row.cpuNumber == 16 && row.cpuSpeed == 2000 && row.memory == 32 << 30)
        #expect(row.zoneId == firstZone.id && row.clusterId == firstCluster.id)
        let listed = await cloud.call("listHosts", ["id": id1])
        #expect(listed.body["host"]?.json.contains("\"state\":\"Up\"") == true, "\(listed.body.json)")

        // Deploy through the API: the VM runs on one of the agents, which reports it.
        let deployed = try await cloud.callAndWait(
            "deployVirtualMachine",
            [
                "zoneid": firstZone.id,
                "templateid": try await cloud.firstId("listTemplates", ["templatefilter": "featured"]),
                "serviceofferingid": try await cloud.firstId("listServiceOfferings", ["name": "Small Instance"]),
            ]
        )
        let vmId = try #require(deployed["virtualmachine"]?["id"]?.stringValue)
        let hostId = try #require(deployed["virtualmachine"]?["hostid"]?.stringValue)
        #expect(deployed["virtualmachine"]?["state"]?.stringValue == "Running")
        let (source, sourceAgent, destination, destinationAgent) =
            hostId == id1 ? (id1, agent1, id2, agent2) : (id2, agent2, id1, agent1)
        #expect(sourceAgent.vms(onHost: source).map(\.id) == [vmId])
        #expect(try await cloud.driver.vmStates(hostId: source).map(\.id) == [vmId])
        #expect(try await cloud.driver.vmStates(hostId: destination).isEmpty)

        // Stop and start again.
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": vmId])
        #expect(sourceAgent.vms(onHost: source).isEmpty)
        let started = try await cloud.callAndWait("startVirtualMachine", ["id": vmId, "hostid": source])
        #expect(started["virtualmachine"]?["hostid"]?.stringValue == source)
        #expect(sourceAgent.vms(onHost: source).map(\.id) == [vmId])

        // Live migration between the two agents.
        let migrated = try await cloud.callAndWait(
            "migrateVirtualMachine",
            ["virtualmachineid": vmId, "hostid": destination]
        )
        #expect(migrated["virtualmachine"]?["hostid"]?.stringValue == destination)
        #expect(sourceAgent.vms(onHost: source).isEmpty)
        #expect(destinationAgent.vms(onHost: destination).map(\.id) == [vmId])

        // A host that went Disconnected is Up again when its agent registers again.
        #expect(try await cloud.server.hostHA.hostDisconnected(id1))
        #expect(try await store.get(Host.self, id: id1)?.state == "Disconnected")
        await registration1.deregister()
        let again = try await cloud.register(id1, port: agent1.port ?? 0)
        try await eventually("agent-1 reconnected") {
            try await store.get(Host.self, id: id1)?.state == "Up"
        }

        await again.deregister()
        await registration2.deregister()
        await agent1.shutdown()
        await agent2.shutdown()
        await cloud.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func agentsNameTheirZoneAndClusterAndAnUnreachableAgentFailsTheDeploy() async throws {
        let cloud = try await AgentCloud.make()
        let store = cloud.server.core.store
        let cluster = try #require(try await store.list(Cluster.self).items.first)
        let named = "00000000-0000-4000-8000-00000000b001"
        let agent = SimulatorAgent(hostIds: [named], secret: TestSecrets.agent)
        let port = try await agent.start()
        let registration = try await HostRegistration.connect(
            connectString: cloud.connectString,
            rootPath: cloud.root,
            sessionTimeout: .seconds(6),
            credentials: TestSecrets.credentials,
            host: HostInfo(
                id: named,
                address: "127.0.0.1:\(port)",
                cpuCores: 4,
                cpuSpeedMHz: 1000,
                memoryBytes: 8 << 30,
                clusterId: cluster.name
            )
        )
        try await eventually("host adopted") { try await store.get(Host.self, id: named)?.state == "Up" }
        #expect(try await store.get(Host.self, id: named)?.clusterId == cluster.id)

        // The agent dies but its node is still there (its session lives): the deploy fails with the agent's
        // error, and no capacity stays reserved.
        await agent.shutdown()
        let (status, body) = await cloud.call(
            "deployVirtualMachine",
            [
                "zoneid": cluster.zoneId,
                "templateid": try await cloud.firstId("listTemplates", ["templatefilter": "featured"]),
                "serviceofferingid": try await cloud.firstId("listServiceOfferings", ["name": "Small Instance"]),
            ]
        )
        #expect(status == 200)
        let jobId = try #require(body["jobid"]?.stringValue)
        await cloud.server.jobs.drain()
        let (_, job) = await cloud.call("queryAsyncJobResult", ["jobid": jobId])
        #expect(job["jobstatus"]?.int == 2, "\(job.json)")
        #expect(job["jobresult"]?["errortext"]?.stringValue?.contains("Unable to start VM") == true, "\(job.json)")
        #expect(try await store.get(Host.self, id: named)?.cpuUsed == 0)

        await registration.deregister()
        await cloud.stop()
    }
}
