import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes

@Suite struct GroupMemberTests {
    @Test func membersJoinLeaveAndAreWatched() async throws {
        let bed = try await RecipeBed()
        let group = bed.path("group")
        let a = try await bed.client()
        let b = try await bed.client(timeout: .seconds(1))
        let observer = GroupMembership(client: try await bed.client(), groupPath: group)
        let updates = observer.memberUpdates()
        let memberA = GroupMember(client: a, groupPath: group, memberId: "a", data: [1])
        let memberB = GroupMember(client: b, groupPath: group, memberId: "b", data: [2])
        try await memberA.join()
        try await memberB.join()
        _ = try await first(updates) { $0 == ["a": [1], "b": [2]] }
        #expect(try await observer.members() == ["a": [1], "b": [2]])
        // The same id from another session is refused.
        let clash = GroupMember(client: a, groupPath: group, memberId: "b")
        await #expect(throws: RecipeError(.memberIdTaken)) { try await clash.join() }
        try await memberA.update(data: [9])
        try await memberA.leave()
        _ = try await first(updates) { $0 == ["b": [2]] }
        // A member whose session ends drops out.
        await b.disconnectKeepingSession()
        _ = try await first(updates) { $0.isEmpty }
        await a.close()
        await observer.client.close()
    }
}

/// A member restarted after a crash, whose dead incarnation's session still holds its id (issue 11).
@Suite struct GroupMemberTakeoverTests {
    /// A client that joined as `id` and then "crashed": its session and node live on, and its credentials are
    /// what the crashed process recorded.
    private func crashedMember(
        _ bed: RecipeBed,
        _ group: String,
        _ id: String,
        timeout: Duration
    ) async throws
        -> SessionCredentials
    {
        let dead = try await bed.client(timeout: timeout)
        try await GroupMember(client: dead, groupPath: group, memberId: id, data: [0]).join()
        let session = try await dead.session
        await dead.disconnectKeepingSession()
        return session
    }

    @Test func aRecordedPreviousSessionIsClosedAndTheIdTakenOver() async throws {
        let bed = try await RecipeBed()
        let group = bed.path("group")
        // A long timeout: only closing the session frees the id in time.
        let previous = try await self.crashedMember(bed, group, "ms-1", timeout: .seconds(30))
        let client = try await bed.client()
        let recorded = Shared<[Int64]>([])
        let member = GroupMember(
            client: client,
            groupPath: group,
            memberId: "ms-1",
            data: [1],
            takeover: GroupMember.Takeover(
                previousSessions: [previous],
                recordSession: { session in recorded.withLock { $0.append(session.sessionId) } }
            )
        )
        try await member.join()
        let own = try await client.session.sessionId
        let stat = try #require(try await client.exists(group + "/ms-1"))
        #expect(stat.ephemeralOwner == own)
        #expect(try await client.getData(group + "/ms-1").data == [1])
        #expect(recorded.withLock { $0 } == [own])
        // The previous session is gone, not merely its node.
        var configuration = client.configuration
        configuration.reconnectWithNewSessionOnExpiry = false
        await #expect(throws: KeeperError.self) {
            let resumed = try await ZooKeeperClient.connect(configuration: configuration, session: previous)
            await resumed.close()
        }
        await client.close()
    }

    @Test func aPreviousSessionThatCannotBeResumedIsWaitedOut() async throws {
        let bed = try await RecipeBed()
        let group = bed.path("group")
        var previous = try await self.crashedMember(bed, group, "ms-1", timeout: .seconds(1))
        // A record whose password is wrong cannot resume the session: the member waits for it to expire.
        previous.password = previous.password.map { $0 ^ 0xFF }
        let client = try await bed.client()
        let member = GroupMember(
            client: client,
            groupPath: group,
            memberId: "ms-1",
            takeover: GroupMember.Takeover(previousSessions: [previous], wait: .seconds(30))
        )
        try await member.join()
        #expect(try await client.exists(group + "/ms-1")?.ephemeralOwner == client.session.sessionId)
        await client.close()
    }

    @Test func anUnknownLiveOwnerKeepsTheId() async throws {
        let bed = try await RecipeBed()
        let group = bed.path("group")
        let live = try await bed.client()
        try await GroupMember(client: live, groupPath: group, memberId: "ms-1").join()
        let client = try await bed.client()
        // Not a recorded session: refused at once, or after the wait for one that never ends.
        let strangers = [
            GroupMember.Takeover(
                previousSessions: [SessionCredentials(sessionId: 42, password: [])],
                wait: .seconds(30)
            ),
            GroupMember.Takeover(wait: .milliseconds(300), waitForUnknownOwner: true),
        ]
        for takeover in strangers {
            let twin = GroupMember(client: client, groupPath: group, memberId: "ms-1", takeover: takeover)
            await #expect(throws: RecipeError(.memberIdTaken)) { try await twin.join() }
        }
        #expect(try await client.exists(group + "/ms-1")?.ephemeralOwner == live.session.sessionId)
        await live.close()
        await client.close()
    }

    @Test func anUnknownDeadOwnerIsWaitedOutWhenAsked() async throws {
        let bed = try await RecipeBed()
        let group = bed.path("group")
        _ = try await self.crashedMember(bed, group, "host-1", timeout: .seconds(1))
        let client = try await bed.client()
        let member = GroupMember(
            client: client,
            groupPath: group,
            memberId: "host-1",
            takeover: GroupMember.Takeover(wait: .seconds(30), waitForUnknownOwner: true)
        )
        try await member.join()
        #expect(try await client.exists(group + "/host-1")?.ephemeralOwner == client.session.sessionId)
        await client.close()
    }
}
