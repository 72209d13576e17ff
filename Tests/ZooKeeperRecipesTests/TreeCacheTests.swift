import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes

@Suite struct TreeCacheTests {
    @Test func seesAddsUpdatesAndRemoves() async throws {
        let bed = try await RecipeBed()
        let writer = try await bed.client()
        let root = bed.path("tree")
        try await writer.create(bed.base)
        try await writer.create(root, data: Array("root".utf8))
        try await writer.create(root + "/a", data: [1])
        let cache = TreeCache(client: try await bed.client(), path: root)
        try await cache.start()
        #expect(await cache.currentData(root + "/a")?.data == [1])
        #expect(await cache.snapshot().count == 2)
        let changes = cache.changes()
        try await writer.create(root + "/a/b", data: [2])
        let added = try await first(changes) { $0.path == root + "/a/b" }
        #expect(added == .nodeAdded(try #require(await cache.currentData(root + "/a/b"))))
        try await writer.setData(root + "/a", data: [3])
        let updated = try await first(changes) { $0.path == root + "/a" }
        guard case .nodeUpdated(let data) = updated else {
            Issue.record("expected nodeUpdated, got \(updated)")
            return
        }
        #expect(data.data == [3])
        try await writer.delete(root + "/a/b")
        #expect(try await first(changes) { $0.path == root + "/a/b" } == .nodeRemoved(path: root + "/a/b"))
        #expect(await cache.currentData(root + "/a/b") == nil)
        #expect(await cache.currentData(root + "/a")?.data == [3])
        await cache.stop()
        await cache.client.close()
        await writer.close()
    }
}
