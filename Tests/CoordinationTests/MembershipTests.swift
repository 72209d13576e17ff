import Coordination
import Foundation
import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes
import ZooKeeperTestSupport

@Suite("Coordination: layout and membership")
struct MembershipTests {
    @Test(arguments: CoordinationTarget.all)
    func layoutIsCreatedIdempotentlyAndMembersRegister(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let a = try await cluster.coordinator("ms-a")
        let b = try await cluster.coordinator("ms-b")
        let observer = try await cluster.client()
        defer {
            Task {
                await stopAll([a, b])
                await observer.close()
            }
        }
        for path in cluster.layout.persistentNodes + [cluster.layout.epoch] {
            #expect(try await observer.exists(path) != nil, "\(path)")
        }
        let members = try await a.members()
        #expect(members.map(\.id) == ["ms-a", "ms-b"])
        #expect(members.allSatisfy { $0.state == .up && $0.version == "test" })
        #expect(members.first?.address == a.info.address)
        let stat = try #require(try await observer.exists(cluster.layout.managementServers + "/ms-a"))
        #expect(stat.ephemeralOwner != 0)

        let changes = b.membershipChanges()
        _ = try await first(changes) { $0.map(\.id) == ["ms-a", "ms-b"] }
        await a.stop()
        // Closing the session deletes the node at once; the watch reports it.
        let after = b.membershipChanges()
        _ = try await first(after) { $0.map(\.id) == ["ms-b"] }
        #expect(try await observer.exists(cluster.layout.managementServers + "/ms-a") == nil)
    }

    @Test(arguments: CoordinationTarget.all)
    func aSecondLiveServerWithTheSameIdIsRefused(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let a = try await cluster.coordinator("ms-a")
        defer { Task { await a.stop() } }
        do {
            let twin = try await cluster.coordinator("ms-a")
            await twin.stop()
            Issue.record("a second ms-a was accepted")
        } catch let error as RecipeError {
            #expect(error.code == .memberIdTaken)
        }
        await expectCoordinationError(.invalidName) {
            _ = try await cluster.coordinator("bad/id")
        }
    }

    @Test func downServersAreMergedFromTheKnownList() {
        let date = Date(timeIntervalSince1970: 0)
        let live = [ManagementServerInfo(id: "b", address: "b:8080", version: "2", started: date)]
        let known = [
            ManagementServerInfo(id: "a", address: "a:8080", version: "1", started: date),
            ManagementServerInfo(id: "b", address: "old", version: "1", started: date),
        ]
        let merged = ManagementServerInfo.merged(live: live, known: known)
        #expect(merged.map(\.id) == ["a", "b"])
        #expect(merged.map(\.state) == [.down, .up])
        #expect(merged[1].address == "b:8080")
    }
}
