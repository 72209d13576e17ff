import CloudModel
import CloudStore
import Orchestrator
import Testing

@testable import Agent
@testable import HostManagement

@Suite("AgentDriver over loopback")
struct AgentDriverTests {
    static func host(_ id: String, address: String?) -> Host {
        Host(
            id: id,
            name: "host-\(id)",
            zoneId: "z",
            podId: "p",
            clusterId: "c",
            ipAddress: "127.0.0.1",
            hypervisor: "Simulator",
            cpuNumber: 8,
            cpuSpeed: 2000,
            memory: 8 << 30,
            agentAddress: address
        )
    }

    static func vm(_ id: String, on hostId: String?) -> VirtualMachine {
        VirtualMachine(
            id: id,
            name: "i-2-\(id)-VM",
            displayName: id,
            accountId: "a",
            zoneId: "z",
            hostId: hostId,
            templateId: "t",
            serviceOfferingId: "o",
            state: .running,
            cpuNumber: 1,
            cpuSpeed: 500,
            memory: 512,
            created: 0
        )
    }

    static func store() async throws -> CloudStore {
        try await OpenStores.inMemory()
    }

    @Test(.timeLimit(.minutes(1)))
    func startStopRebootMigrateScaleReachTheAgent() async throws {
        let store = try await Self.store()
        let agent = SimulatorAgent(hostIds: ["h1", "h2"], secret: TestSecrets.agent)
        let port = try await agent.start()
        let address = "127.0.0.1:\(port)"
        let simulator = SimulatorDriver()
        let driver = AgentDriver(store: store, simulator: simulator, secret: TestSecrets.agent)
        let h1 = Self.host("h1", address: address)
        let h2 = Self.host("h2", address: address)
        // Pipelined on one connection: many starts at once.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask { try await driver.start(Self.vm("v\(index)", on: "h1"), on: h1) }
            }
            try await group.waitForAll()
        }
        #expect(agent.vms(onHost: "h1").count == 20)
        #expect(try await driver.vmStates(hostId: "h1").map(\.id).sorted() == (0..<20).map { "v\($0)" }.sorted())
        try await driver.ping(hostId: "h1")

        var vm = Self.vm("v0", on: "h1")
        try await driver.reboot(vm)
        try await driver.scale(vm, cpuNumber: 2, cpuSpeed: 1000, memory: 1024)
        #expect(agent.vms(onHost: "h1").first { $0.id == "v0" }?.memory == 1024)
        // What the scale plugged is recorded for a later migration's destination, and a scale of vCPUs alone adds
        // no DIMM; a start (a fresh boot at the new size) clears it, below.
        #expect(
            try await driver.hotplugLayout(of: vm) == AgentHotplugLayout(bootCpus: 1, bootMemory: 512, dimms: [512])
        )
        var scaled = vm
        (scaled.cpuNumber, scaled.memory) = (2, 1024)
        try await driver.scale(scaled, cpuNumber: 3, cpuSpeed: 1000, memory: 1024)
        #expect(
            try await driver.hotplugLayout(of: vm) == AgentHotplugLayout(bootCpus: 1, bootMemory: 512, dimms: [512])
        )

        try await driver.migrate(vm, from: h1, to: h2)
        #expect(agent.vms(onHost: "h1").contains { $0.id == "v0" } == false)
        #expect(agent.vms(onHost: "h2").map(\.id) == ["v0"])
        vm.hostId = "h2"
        try await driver.stop(vm, forced: false)
        #expect(agent.vms(onHost: "h2").isEmpty)
        try await driver.start(vm, on: h2)
        #expect(try await driver.hotplugLayout(of: vm) == nil)
        try await driver.stop(vm, forced: false)

        // A command the agent refuses maps to CloudStack's resource-unavailable error.
        do {
            try await driver.reboot(Self.vm("ghost", on: "h2"))
            Issue.record("rebooting a VM the agent does not run succeeded")
        } catch {
            #expect(error.kind == .resourceUnavailable)
            #expect(error.message.contains("Unable to reboot VM i-2-ghost-VM due to"))
        }

        // Injected failures (configureSimulator) apply to agent hosts too, before the command is sent.
        simulator.configure(SimulatorDriver.Rule(fail: true, remaining: 1), for: "StartCommand")
        await #expect(throws: OrchestratorError.self) { try await driver.start(Self.vm("x", on: "h1"), on: h1) }
        #expect(agent.vms(onHost: "h1").contains { $0.id == "x" } == false)
        try await driver.start(Self.vm("x", on: "h1"), on: h1)
        #expect(agent.vms(onHost: "h1").contains { $0.id == "x" })
        await agent.shutdown()
        await driver.pool.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnreachableAgentIsResourceUnavailable() async throws {
        let store = try await Self.store()
        let agent = SimulatorAgent(hostIds: ["h1"], secret: TestSecrets.agent)
        let port = try await agent.start()
        let driver = AgentDriver(store: store, simulator: SimulatorDriver(), secret: TestSecrets.agent)
        let h1 = Self.host("h1", address: "127.0.0.1:\(port)")
        try await store.insert(h1)
        try await driver.start(Self.vm("v1", on: "h1"), on: h1)
        await agent.shutdown()
        do {
            try await driver.start(Self.vm("v2", on: "h1"), on: h1)
            Issue.record("start on a dead agent succeeded")
        } catch {
            #expect(error.kind == .resourceUnavailable)
            #expect(error.message.hasPrefix("Unable to start VM i-2-v2-VM due to"), "\(error.message)")
        }
        await #expect(throws: OrchestratorError.self) { try await driver.stop(Self.vm("v1", on: "h1"), forced: false) }
        await driver.pool.close()
    }

    @Test(.timeLimit(.minutes(1)))
    func aStaleAddressIsLookedUpAgain() async throws {
        let store = try await OpenStores.inMemory()
        let old = SimulatorAgent(hostIds: ["other"], secret: TestSecrets.agent)
        let oldPort = try await old.start()
        let current = SimulatorAgent(hostIds: ["h1"], secret: TestSecrets.agent)
        let currentPort = try await current.start()
        let driver = AgentDriver(store: store, simulator: SimulatorDriver(), secret: TestSecrets.agent)
        // The row says where h1's agent is now; the caller's copy of the host still has the old address.
        try await store.insert(Self.host("h1", address: "127.0.0.1:\(currentPort)"))
        try await driver.start(Self.vm("v1", on: "h1"), on: Self.host("h1", address: "127.0.0.1:\(oldPort)"))
        #expect(current.vms(onHost: "h1").map(\.id) == ["v1"])
        #expect(old.vms(onHost: "h1").isEmpty)
        // Later commands use the address looked up.
        try await driver.reboot(Self.vm("v1", on: "h1"))
        await old.shutdown()
        await current.shutdown()
        await driver.pool.close()
    }

    @Test func hostsWithoutAnAgentUseTheInProcessSimulator() async throws {
        let store = try await Self.store()
        let simulator = SimulatorDriver()
        let driver = AgentDriver(store: store, simulator: simulator, secret: TestSecrets.agent)
        let plain = Self.host("plain", address: nil)
        try await driver.start(Self.vm("v1", on: "plain"), on: plain)
        try await driver.stop(Self.vm("v1", on: "plain"), forced: false)
        simulator.configure(SimulatorDriver.Rule(fail: true, remaining: 1), for: "RebootCommand")
        await #expect(throws: OrchestratorError.self) { try await driver.reboot(Self.vm("v1", on: "plain")) }
        try await driver.reboot(Self.vm("v1", on: "plain"))
    }
}
