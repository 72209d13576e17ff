import CloudModel
import Testing

@testable import CloudStore

/// Capacity reservations are atomic in the database, whatever a cache saw.
struct CapacityReservationTests {
    @Test func concurrentReservationsNeverOvercommit() async throws {
        let store = try await SeededStore.make()
        let host = try #require(try await store.list(Host.self).items.first)
        // 32000 MHz of CPU: at most 8 reservations of 4000 MHz fit, whatever the interleaving.
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask { try await store.reserveCapacity(hostId: host.id, cpu: 4000, memory: 1) }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 8)
        let after = try #require(try await store.get(Host.self, id: host.id))
        #expect(after.cpuUsed == 32000)
    }

    @Test func reservationsNeedAnUpAndEnabledHostWhateverACacheSaw() async throws {
        let store = try await SeededStore.make()
        let host = try #require(try await store.list(Host.self).items.first)
        #expect(try await store.reserveCapacity(hostId: host.id, cpu: 500, memory: 1))
        try await store.updateHost(id: host.id, resourceState: "Disabled")
        #expect(try await store.reserveCapacity(hostId: host.id, cpu: 500, memory: 1) == false)
        try await store.updateHost(id: host.id, resourceState: "Enabled")
        #expect(try await store.transitionHost(id: host.id, from: "Enabled", to: "Maintenance"))
        #expect(try await store.reserveCapacity(hostId: host.id, cpu: 500, memory: 1) == false)
        let after = try #require(try await store.get(Host.self, id: host.id))
        #expect(after.cpuUsed == 500)
    }
}
