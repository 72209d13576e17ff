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
