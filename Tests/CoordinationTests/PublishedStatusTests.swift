import Coordination
import Foundation
import Testing
import ZooKeeperTestSupport

@Suite("Coordination: each server's published status")
struct PublishedStatusTests {
    /// Each member node carries the leader's epoch (only the leader's) and the configuration version its server has
    /// applied; a set and a removal under `/config` each move every server's version forward, to the same value.
    @Test(arguments: CoordinationTarget.all)
    func membersPublishLeadershipAndTheConfigurationTheyApplied(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let a = try await cluster.coordinator("ms-a")
        let b = try await cluster.coordinator("ms-b")
        defer { Task { await stopAll([a, b]) } }
        try await eventually("one leader published") {
            let members = try await a.members()
            let epochs = members.compactMap(\.leaderEpoch)
            return members.count == 2 && epochs.count == 1 && epochs == [a.leadership.epoch ?? b.leadership.epoch]
        }
        try await a.publish(key: "expunge.delay", value: "60")
        let afterSet = try await Self.agreedVersion(a, b)
        try await b.removeConfiguration(key: "expunge.delay")
        let afterRemoval = try await Self.agreedVersion(a, b, newerThan: afterSet)
        #expect(afterRemoval > afterSet)
        #expect(a.configurationValues.isEmpty && b.configurationValues.isEmpty)

        let decoded = try JSONDecoder.iso8601.decode(
            ManagementServerInfo.self,
            from: JSONEncoder.iso8601.encode(a.publishedInfo)
        )
        #expect(decoded.configurationVersion == a.configurationVersion)
        #expect(decoded.leaderEpoch == a.leadership.epoch)
    }

    /// Waits until both servers publish the same configuration version, newer than `floor`; returns it.
    static func agreedVersion(_ a: Coordinator, _ b: Coordinator, newerThan floor: Int64 = 0) async throws -> Int64 {
        try await eventually("both servers publish the same configuration version") {
            let versions = Set(try await a.members().compactMap(\.configurationVersion))
            return versions.count == 1 && versions.first ?? 0 > floor
        }
        return try await a.members().first?.configurationVersion ?? 0
    }
}

extension JSONEncoder {
    fileprivate static var iso8601: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    fileprivate static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
