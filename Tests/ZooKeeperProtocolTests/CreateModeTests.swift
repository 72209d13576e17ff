import Testing
import ZooKeeperProtocol

/// `CreateMode` flags and predicates (reference §3).
struct CreateModeTests {
    struct Row: Sendable {
        var mode: CreateMode
        var flag: Int32
        var name: String
        var ephemeral: Bool
        var sequential: Bool
        var container: Bool
        var ttl: Bool
    }

    static let table: [Row] = [
        Row(
            mode: .persistent,
            flag: 0,
            name: "PERSISTENT",
            ephemeral: false,
            sequential: false,
            container: false,
            ttl: false
        ),
        Row(
            mode: .ephemeral,
            flag: 1,
            name: "EPHEMERAL",
            ephemeral: true,
            sequential: false,
            container: false,
            ttl: false
        ),
        Row(
            mode: .persistentSequential,
            flag: 2,
            name: "PERSISTENT_SEQUENTIAL",
            ephemeral: false,
            sequential: true,
            container: false,
            ttl: false
        ),
        Row(
            mode: .ephemeralSequential,
            flag: 3,
            name: "EPHEMERAL_SEQUENTIAL",
            ephemeral: true,
            sequential: true,
            container: false,
            ttl: false
        ),
        Row(
            mode: .container,
            flag: 4,
            name: "CONTAINER",
            ephemeral: false,
            sequential: false,
            container: true,
            ttl: false
        ),
        Row(
            mode: .persistentWithTTL,
            flag: 5,
            name: "PERSISTENT_WITH_TTL",
            ephemeral: false,
            sequential: false,
            container: false,
            ttl: true
        ),
        Row(
            mode: .persistentSequentialWithTTL,
            flag: 6,
            name: "PERSISTENT_SEQUENTIAL_WITH_TTL",
            ephemeral: false,
            sequential: true,
            container: false,
            ttl: true
        ),
    ]

    @Test(arguments: Self.table)
    func flagAndPredicates(_ row: Row) throws {
        #expect(row.mode.rawValue == row.flag)
        #expect(CreateMode(rawValue: row.flag) == row.mode)
        #expect(row.mode.description == row.name)
        #expect(row.mode.isValid)
        #expect(row.mode.isEphemeral == row.ephemeral)
        #expect(row.mode.isSequential == row.sequential)
        #expect(row.mode.isContainer == row.container)
        #expect(row.mode.isTTL == row.ttl)
        let request = CreateRequest(path: "/a", data: nil, acl: [], flags: row.mode)
        #expect(try decodeWhole(CreateRequest.self, bytes(of: request)).flags == row.mode)
    }

    @Test(arguments: [Int32(-1), 7, 8, 100, .max, .min])
    func otherFlagsAreInvalid(flag: Int32) {
        let mode = CreateMode(rawValue: flag)
        #expect(!mode.isValid)
        #expect(!mode.isEphemeral && !mode.isSequential && !mode.isContainer && !mode.isTTL)
        #expect(mode.description == "CreateMode(\(flag))")
    }
}
