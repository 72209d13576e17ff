import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes

@Suite struct LeaderElectionTests {
    /// Participants of one election, each with its own client.
    private func participants(
        _ bed: RecipeBed,
        count: Int,
        timeout: Duration = .seconds(4)
    ) async throws
        -> [LeaderElection]
    {
        var result: [LeaderElection] = []
        for index in 0..<count {
            let client = try await bed.client(timeout: timeout)
            let election = LeaderElection(client: client, path: bed.path("election"), participantId: "p\(index)")
            try await election.start()
            result.append(election)
        }
        return result
    }

    private func leaders(_ elections: [LeaderElection]) async -> [LeaderElection] {
        var result: [LeaderElection] = []
        for election in elections where await election.isLeader { result.append(election) }
        return result
    }

    @Test func oneLeaderAndLeadershipMovesOnClose() async throws {
        let bed = try await RecipeBed()
        let elections = try await self.participants(bed, count: 4)
        try await eventually { await self.leaders(elections).count == 1 }
        var seenTokens: [FencingToken] = []
        var live = elections
        for _ in 0..<3 {
            let leaders = await self.leaders(live)
            #expect(leaders.count == 1)
            let leader = try #require(leaders.first)
            let token = try #require(await leader.fencingToken)
            if let last = seenTokens.last { #expect(token > last) }
            seenTokens.append(token)
            await leader.close()
            await leader.client.close()
            live.removeAll { $0 === leader }
            try await eventually { await self.leaders(live).count == 1 }
        }
        #expect(await self.leaders(live).count == 1)
        for election in live {
            await election.close()
            await election.client.close()
        }
    }

    @Test func neverTwoLeadersWhileLeadershipChurns() async throws {
        let bed = try await RecipeBed()
        let elections = try await self.participants(bed, count: 3)
        let maxLeaders = Shared(0)
        let current = Shared(Set<String>())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for election in elections {
                group.addTask {
                    for await change in election.leadershipChanges() {
                        let count = current.withLock { set in
                            if change.isLeader {
                                set.insert(election.participantId)
                            } else {
                                set.remove(election.participantId)
                            }
                            return set.count
                        }
                        maxLeaders.withLock { $0 = max($0, count) }
                    }
                }
            }
            // Leadership rotates as leaders leave and the last comes back.
            try await eventually { await self.leaders(elections).count == 1 }
            for _ in 0..<2 {
                let leader = try #require(await self.leaders(elections).first)
                await leader.close()
                try await eventually { await self.leaders(elections).count == 1 }
            }
            for election in elections { await election.close() }
            try await group.waitForAll()
        }
        #expect(maxLeaders.withLock { $0 } == 1)
        for election in elections { await election.client.close() }
    }

    @Test func killedLeaderSessionMovesLeadership() async throws {
        let bed = try await RecipeBed()
        let victimClient = try await bed.client(timeout: .seconds(1))
        let victim = LeaderElection(client: victimClient, path: bed.path("election"), participantId: "victim")
        try await victim.start()
        try await eventually { await victim.isLeader }
        let oldToken = try #require(await victim.fencingToken)
        let otherClient = try await bed.client()
        let other = LeaderElection(client: otherClient, path: bed.path("election"), participantId: "other")
        try await other.start()
        try await eventually { try await other.participants() == ["victim", "other"] }
        await victimClient.disconnectKeepingSession()
        let change = try await first(other.leadershipChanges()) { $0.isLeader }
        let newToken = try #require(change.token)
        #expect(newToken > oldToken)
        // A delayed write carrying the dead leader's token is fenced off.
        let error = await #expect(throws: MultiError.self) {
            try await otherClient.fencedMulti(
                [
                    .create(
                        CreateRequest(path: bed.path("zombie"), data: [], acl: ACL.openUnsafe, flags: .persistent),
                        .create
                    )
                ],
                token: oldToken
            )
        }
        #expect(error?.code == .badVersion)
        #expect(error?.failedIndex == 0)
        #expect(try await otherClient.exists(bed.path("zombie")) == nil)
        // The new leader's fenced write goes through.
        try await other.fencedMulti([
            .create(CreateRequest(path: bed.path("ok"), data: [], acl: ACL.openUnsafe, flags: .persistent), .create)
        ])
        #expect(try await otherClient.exists(bed.path("ok")) != nil)
        await other.close()
        await otherClient.close()
    }

    @Test func deposedLiveLeaderWriteFails() async throws {
        let bed = try await RecipeBed()
        let elections = try await self.participants(bed, count: 2)
        try await eventually { await self.leaders(elections).count == 1 }
        let old = try #require(await self.leaders(elections).first)
        let next = try #require(elections.first { $0 !== old })
        let oldToken = try #require(await old.fencingToken)
        // Someone deletes the leader's node (as an expiry would): it is deposed while its client lives.
        let nodes = try await old.client.getChildren(bed.path("election")).filter { $0.contains("-latch-") }.sorted {
            $0.suffix(10) < $1.suffix(10)
        }
        try await old.client.delete(bed.path("election") + "/" + nodes[0])
        _ = try await first(next.leadershipChanges()) { $0.isLeader }
        let write = MultiOp.setData(SetDataRequest(path: bed.path("election"), data: [1], version: -1))
        let error = await #expect(throws: MultiError.self) {
            try await old.client.fencedMulti([write], token: oldToken)
        }
        #expect(error?.code == .badVersion)
        try await next.fencedMulti([write])
        for election in elections {
            await election.close()
            await election.client.close()
        }
    }
}
