import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes

@Suite struct SetPartitionerTests {
    @Test func assignmentIsDeterministicAndComplete() {
        let items = (0..<50).map { "item-\($0)" }
        let members = ["m1", "m2", "m3"]
        let first = SetPartitioner.assign(items: items, members: members)
        let second = SetPartitioner.assign(items: items.reversed(), members: members.reversed())
        #expect(first == second)
        #expect(first.values.flatMap { $0 }.sorted() == items.sorted())
        #expect(first.values.allSatisfy { !$0.isEmpty })
        // Removing a member moves only its items.
        let after = SetPartitioner.assign(items: items, members: ["m1", "m3"])
        for member in ["m1", "m3"] {
            #expect(Set(first[member]!).isSubset(of: Set(after[member]!)))
        }
    }

    @Test func convergesAsMembersComeAndGo() async throws {
        let bed = try await RecipeBed()
        let path = bed.path("partition")
        let items = (0..<24).map { "vm-\($0)" }
        var live: [String: SetPartitioner] = [:]
        var clients: [String: ZooKeeperClient] = [:]
        func add(_ id: String) async throws {
            let client = try await bed.client(timeout: .seconds(1))
            let partitioner = SetPartitioner(client: client, path: path, memberId: id, items: items)
            try await partitioner.start()
            live[id] = partitioner
            clients[id] = client
        }
        func converged() async -> Bool {
            var owned: [String] = []
            let expected = SetPartitioner.assign(items: items, members: Array(live.keys))
            for (id, partitioner) in live {
                guard let mine = await partitioner.partition, mine == expected[id] else { return false }
                owned += mine
            }
            return owned.sorted() == items.sorted()
        }
        for id in ["a", "b", "c"] { try await add(id) }
        try await eventually { await converged() }
        // A member leaves, another joins, one's session is killed.
        let leaving = live.removeValue(forKey: "a")!
        await leaving.stop()
        try await add("d")
        try await eventually { await converged() }
        live.removeValue(forKey: "b")
        await clients["b"]!.disconnectKeepingSession()
        try await eventually { await converged() }
        #expect(live.count == 2)
        for (id, partitioner) in live {
            await partitioner.stop()
            await clients[id]!.close()
        }
        await clients["a"]!.close()
    }
}
