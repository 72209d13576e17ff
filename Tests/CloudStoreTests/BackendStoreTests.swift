import CloudModel
import CloudTestSupport
import Foundation
import Testing

@testable import CloudStore

/// The store's SQL on both databases: SQLite (in memory or a file) and a real PostgreSQL (``PostgresTestCluster``).
struct BackendStoreTests {
    @Test(arguments: TestBackend.allCases)
    func rowsRoundTripWithEveryColumnType(backend: TestBackend) async throws {
        let store = try await SeededStore.make(backend: backend)
        let host = try #require(try await store.list(Host.self).items.first)
        // Bytes beyond 32 bits, fractional factors and flags read back exactly.
        #expect(host.memory > Int(Int32.max))
        let template = try #require(try await store.list(Template.self).items.first)
        try await store.setTemplateStatus(id: template.id, status: "Download Complete", isReady: false)
        #expect(try await store.get(Template.self, id: template.id)?.isReady == false)
        try await store.setTemplateStatus(id: template.id, status: "Download Complete", isReady: true)
        #expect(try await store.get(Template.self, id: template.id)?.isReady == true)
        try await store.setHostOverprovisioning(cpu: 2.5, memory: nil)
        #expect(try await store.get(Host.self, id: host.id)?.cpuOverprovisioning == 2.5)
        // Release never goes below zero (a CASE, not SQLite's two-argument max()).
        try await store.releaseCapacity(hostId: host.id, cpu: 1_000_000, memory: 1 << 40)
        let released = try #require(try await store.get(Host.self, id: host.id))
        #expect(released.cpuUsed == 0 && released.memUsed == 0)
        // A uniqueness violation is `duplicate` on both databases.
        let domain = Domain(id: UUID().uuidString, name: "dup", path: "/dup/", parentId: nil)
        try await store.insert(domain)
        await #expect(throws: StoreError(.duplicate, "insert domain: already exists")) {
            try await store.insert(Domain(id: UUID().uuidString, name: "dup", path: "/dup/", parentId: nil))
        }
        // Upserts and per-zone sums.
        try await store.setConfiguration(name: "x.y", value: "1")
        try await store.setConfiguration(name: "x.y", value: "2")
        #expect(try await store.configurationValues()["x.y"] == "2")
        #expect((try await store.templateBytesByZone()[host.zoneId] ?? -1) >= 0)
    }

    @Test(arguments: TestBackend.allCases)
    func listsKeepInsertionOrderAndPageFilterAndSearch(backend: TestBackend) async throws {
        let store = try await SeededStore.make(backend: backend)
        let names = (0..<12).map { "Zone-\(String(format: "%02d", 11 - $0))" }
        for name in names {
            try await store.insert(
                Zone(id: UUID().uuidString, name: name, networkType: "Advanced", allocationState: "Enabled")
            )
        }
        var query = ListQuery(keyword: "zONE-", page: 2, pageSize: 5)
        let page = try await store.list(Zone.self, query)
        #expect(page.total == 12)
        #expect(page.items.map(\.name) == Array(names[5..<10]))
        query.page = 3
        #expect(try await store.list(Zone.self, query).items.map(\.name) == Array(names[10..<12]))
        let exact = try await store.list(Zone.self, ListQuery(equals: [("name", "Zone-03")]))
        #expect(exact.items.map(\.name) == ["Zone-03"])
        // An integer column filtered with a string value, as API filters are.
        let pending = try await store.list(AsyncJob.self, ListQuery(equals: [("status", "0")]))
        #expect(pending.total == 0)
    }

    @Test(arguments: TestBackend.allCases)
    func fortyConcurrentReservationsNeverOvercommit(backend: TestBackend) async throws {
        let store = try await SeededStore.make(backend: backend)
        let host = try #require(try await store.list(Host.self).items.first)
        let capacity = Int(Double(host.cpuNumber * host.cpuSpeed) * host.cpuOverprovisioning)
        let demand = capacity / 8
        // Two management servers' stores race on the same host row on PostgreSQL.
        let other =
            backend == .postgres
            ? try await CloudStore.open(store.location, maxConnections: 8) : store
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<40 {
                let target = index % 2 == 0 ? store : other
                group.addTask { try await target.reserveCapacity(hostId: host.id, cpu: demand, memory: 1) }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 8)
        #expect(try await store.get(Host.self, id: host.id)?.cpuUsed == 8 * demand)
        if other !== store { await other.close() }
    }

    @Test(arguments: TestBackend.allCases)
    func concurrentNicAllocationsNeverDuplicateAnAddress(backend: TestBackend) async throws {
        let store = try await SeededStore.make(backend: backend)
        let network = try #require(try await store.list(Network.self).items.first)
        // On PostgreSQL, a second store (a second management server) starts from the same address cursor, so
        // half the inserts collide and only the UNIQUE constraint keeps the addresses apart.
        let other =
            backend == .postgres
            ? try await CloudStore.open(store.location, maxConnections: 8) : store
        let nics = try await withThrowingTaskGroup(of: Nic.self) { group in
            for index in 0..<40 {
                let target = index % 2 == 0 ? store : other
                group.addTask {
                    try await target.allocateNic(
                        vmId: "vm-\(index)",
                        network: network,
                        nicId: UUID().uuidString,
                        macAddress: "02:00:00:00:00:\(String(format: "%02x", index))"
                    )
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(nics.count == 40)
        #expect(Set(nics.map(\.ipAddress)).count == 40)
        let stored = try await store.list(Nic.self, ListQuery(equals: [("network_id", network.id)])).items
        #expect(Set(stored.map(\.ipAddress)).count == stored.count)
        #expect(stored.count >= 40)
        #expect(stored.allSatisfy { $0.isDefault })
        if other !== store { await other.close() }
    }
}
