import Coordination
import Foundation
import Testing
import ZooKeeperTestSupport

@Suite("Coordination: live configuration")
struct LiveConfigurationTests {
    @Test(arguments: CoordinationTarget.all)
    func aPublishedValueReachesEveryCoordinator(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let a = try await cluster.coordinator("ms-a")
        try await a.publish(key: "vm.allocation.algorithm", value: "random")
        let b = try await cluster.coordinator("ms-b")
        let c = try await cluster.coordinator("ms-c")
        defer { Task { await stopAll([a, b, c]) } }

        // The initial load: a value published before b started.
        let bChanges = b.configurationChanges()
        _ = try await first(bChanges) { $0 == ConfigurationChange(key: "vm.allocation.algorithm", value: "random") }

        try await a.publish(key: "expunge.delay", value: "60")
        for coordinator in [a, b, c] {
            let change = try await first(coordinator.configurationChanges()) { $0.key == "expunge.delay" }
            #expect(change.value == "60")
        }
        try await a.publish(key: "expunge.delay", value: "120")
        try await c.removeConfiguration(key: "vm.allocation.algorithm")
        for coordinator in [a, b, c] {
            try await eventually("applied") {
                coordinator.configurationValues == ["expunge.delay": "120"]
            }
        }
        await expectCoordinationError(.invalidName) { try await a.publish(key: "a/b", value: "x") }
    }

    @Test(arguments: CoordinationTarget.all)
    func propagationDelayIsMeasurable(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let a = try await cluster.coordinator("ms-a")
        let b = try await cluster.coordinator("ms-b")
        defer { Task { await stopAll([a, b]) } }
        let changes = b.configurationChanges()
        let rounds = 30
        let receiver = Task {
            var delays: [Int64] = []
            for await change in changes where change.key == "bench" {
                delays.append(Int64(Date().timeIntervalSince1970 * 1000) - change.writtenMilliseconds)
                if change.value == String(rounds) { break }
            }
            return delays
        }
        for round in 1...rounds {
            try await a.publish(key: "bench", value: String(round))
        }
        let delays = try await withThrowingTaskGroup(of: [Int64].self) { group in
            group.addTask { await receiver.value }
            group.addTask {
                try await Task.sleep(for: .seconds(40))
                receiver.cancel()
                throw TimedOut(what: "last value")
            }
            let result = try await group.next()!
            group.cancelAll()
            return result.sorted()
        }
        #expect(!delays.isEmpty)
        let p99 = delays[min(delays.count - 1, delays.count * 99 / 100)]
        print("config propagation over \(delays.count) changes (\(target.name)): p99 \(p99) ms, max \(delays.last!) ms")
    }
}
