import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes

@Suite struct DistributedLockTests {
    @Test func neverTwoHoldersAcrossFiveClients() async throws {
        let bed = try await RecipeBed()
        let lockPath = bed.path("lock")
        let holders = Shared(0)
        let maxHolders = Shared(0)
        let acquisitions = Shared(0)
        let rounds = 6
        var clients: [ZooKeeperClient] = []
        for _ in 0..<5 { clients.append(try await bed.client()) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients {
                group.addTask {
                    let lock = DistributedLock(client: client, path: lockPath)
                    for _ in 0..<rounds {
                        #expect(try await lock.acquire(timeout: .seconds(20)))
                        let now = holders.withLock { count in
                            count += 1
                            return count
                        }
                        maxHolders.withLock { $0 = max($0, now) }
                        acquisitions.withLock { $0 += 1 }
                        try await Task.sleep(for: .milliseconds(5))
                        holders.withLock { $0 -= 1 }
                        try await lock.release()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(maxHolders.withLock { $0 } == 1)
        #expect(acquisitions.withLock { $0 } == 5 * rounds)
        // Every contender node is gone.
        #expect(try await clients[0].getChildren(lockPath).isEmpty)
        for client in clients { await client.close() }
    }

    @Test func protectedNodeNamesAndTimeout() async throws {
        let bed = try await RecipeBed()
        let a = try await bed.client()
        let b = try await bed.client()
        let lockA = DistributedLock(client: a, path: bed.path("lock"))
        let lockB = DistributedLock(client: b, path: bed.path("lock"))
        #expect(try await lockA.acquire())
        let node = try #require(await lockA.nodePath)
        #expect(node.contains("/_c_") && node.contains("-lock-"))
        // B times out and leaves no node behind.
        #expect(try await lockB.acquire(timeout: .milliseconds(300)) == false)
        #expect(try await lockA.participantNodes().count == 1)
        await #expect(throws: RecipeError(.alreadyAcquired)) { try await lockA.acquire() }
        try await lockA.release()
        await #expect(throws: RecipeError(.notAcquired)) { try await lockA.release() }
        #expect(try await lockB.acquire(timeout: .seconds(5)))
        #expect(await lockB.isAcquired)
        try await lockB.release()
        await a.close()
        await b.close()
    }

    @Test func killedHolderReleasesWhenSessionEnds() async throws {
        let bed = try await RecipeBed()
        let victim = try await bed.client(timeout: .seconds(1))
        let waiter = try await bed.client()
        let held = DistributedLock(client: victim, path: bed.path("lock"))
        #expect(try await held.acquire())
        let lock = DistributedLock(client: waiter, path: bed.path("lock"))
        let clock = ContinuousClock()
        let start = clock.now
        await victim.disconnectKeepingSession()
        // The waiter gets the lock once the victim's session times out (about 1 s).
        #expect(try await lock.acquire(timeout: .seconds(10)))
        #expect(clock.now - start < .seconds(8))
        try await lock.release()
        await waiter.close()
    }

    @Test func suspendedOrClosedHolderIsNotAcquired() async throws {
        let bed = try await RecipeBed()
        let client = try await bed.client()
        let lock = DistributedLock(client: client, path: bed.path("lock"))
        #expect(try await lock.acquire())
        await client.close()
        try await eventually { await !lock.isAcquired }
    }
}
