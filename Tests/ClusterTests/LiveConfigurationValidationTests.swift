import CloudAPI
import CloudCore
import CloudModel
import Cluster
import Coordination
import Orchestrator
import Testing

/// Issue 11 item 3: a value pushed through `/zoostack/config/KEY` is validated exactly as updateConfiguration
/// validates it; an invalid one is logged and ignored by every server, never applied.
@Suite(.serialized)
struct LiveConfigurationValidationTests {
    @Test func anInvalidPushedValueIsIgnoredByEveryServer() async throws {
        let harness = try await ClusterHarness()
        let a = try await harness.start("ms-a")
        let b = try await harness.start("ms-b")
        defer { Task { await harness.close() } }
        let coordinator = try #require(a.coordinator)
        // Written straight to ZooKeeper, as a client that bypasses updateConfiguration could.
        try await coordinator.publish(key: "cpu.overprovisioning.factor", value: "1e308")
        try await coordinator.publish(key: "default.page.size", value: "0")
        try await coordinator.publish(key: "vm.allocation.algorithm", value: "firstfitleastconsumed")
        try await eventually("the valid value applied on both servers") {
            [a, b].allSatisfy { $0.core.configuration.cached.placement.allocationAlgorithm == .firstfitleastconsumed }
        }
        for runtime in [a, b] {
            let settings = runtime.core.configuration.cached
            #expect(settings.double("cpu.overprovisioning.factor") == 1.0)
            #expect(settings.placement.cpuOverprovisioningFactor == 1.0)
            #expect(settings.int("default.page.size") == 500)
        }
        // The servers still compute capacity and place VMs.
        let (status, body) = try await harness.call(b, "listCapacity")
        #expect(status == 200, "\(body.json)")
        _ = try await harness.deploy(b)
    }
}
