import Coordination
import Testing
import ZooKeeperTestSupport

@Suite("Coordination: hosts and ownership")
struct HostOwnershipTests {
    /// Each host owned by exactly one of `coordinators`, and all of `hosts` owned.
    static func settled(_ coordinators: [Coordinator], _ hosts: Set<String>) -> Bool {
        var owned: [String] = []
        for coordinator in coordinators {
            let me = coordinator.configuration.serverId
            owned += coordinator.hostOwners().filter { $0.value == me }.keys
        }
        return owned.count == hosts.count && Set(owned) == hosts
            && coordinators.allSatisfy { Set($0.hostOwners().keys) == hosts }
    }

    @Test(arguments: CoordinationTarget.all)
    func hostsArePartitionedAndMoveWhenAServerLeaves(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let coordinators = [
            try await cluster.coordinator("ms-a"),
            try await cluster.coordinator("ms-b"),
            try await cluster.coordinator("ms-c"),
        ]
        defer { Task { await stopAll(coordinators) } }
        let directory = coordinators[0].hostDirectory
        let events = directory.events()
        var registrations: [HostRegistration] = []
        for index in 1...9 {
            let host = HostInfo(
                id: "host-\(index)",
                address: "10.0.0.\(index)",
                cpuCores: 8,
                cpuSpeedMHz: 2400,
                memoryBytes: 16 << 30,
                zoneId: "zone-1"
            )
            registrations.append(
                try await HostRegistration.connect(
                    connectString: cluster.connectString,
                    rootPath: cluster.root,
                    sessionTimeout: .seconds(6),
                    credentials: nil,
                    host: host
                )
            )
        }
        let registered = registrations
        defer { Task { for registration in registered { await registration.deregister() } } }
        let hosts = Set((1...9).map { "host-\($0)" })
        #expect(Set(try await directory.hosts().map(\.id)) == hosts)
        #expect(try await directory.hosts().first?.memoryBytes == 16 << 30)

        try await eventually("hosts assigned") { Self.settled(coordinators, hosts) }
        // The "hosts I own" stream agrees.
        let bOwns = Set(coordinators[1].hostOwners().filter { $0.value == "ms-b" }.keys)
        _ = try await first(coordinators[1].ownedHosts()) { Set($0) == bOwns }

        // A management server goes; its hosts move to the survivors.
        let leaving = coordinators[2]
        await leaving.stop()
        let survivors = Array(coordinators.prefix(2))
        try await eventually("hosts moved") { Self.settled(survivors, hosts) }

        // A host goes: the directory reports it and it loses its owner.
        let ninth = await registrations[8].host
        _ = try await first(events) { $0 == .appeared(ninth) }
        await registrations[8].deregister()
        _ = try await first(events) { $0 == .disappeared("host-9") }
        try await eventually("owner removed") { Self.settled(survivors, hosts.subtracting(["host-9"])) }
    }

    @Test(arguments: CoordinationTarget.all)
    func aPartitionedLeadersHostsMoveAndComeBackWhenItReturns(target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let (proxy, a) = try await cluster.coordinatorBehindProxy("ms-a", timeout: .seconds(4))
        try await eventually("ms-a leads") { a.leadership.isLeader }
        let b = try await cluster.coordinator("ms-b")
        let c = try await cluster.coordinator("ms-c")
        let coordinators = [a, b, c]
        var registrations: [HostRegistration] = []
        for index in 1...8 {
            registrations.append(
                try await HostRegistration.connect(
                    connectString: cluster.connectString,
                    rootPath: cluster.root,
                    sessionTimeout: .seconds(6),
                    credentials: nil,
                    host: HostInfo(
                        id: "h\(index)",
                        address: "10.1.0.\(index)",
                        cpuCores: 4,
                        cpuSpeedMHz: 2000,
                        memoryBytes: 8 << 30
                    )
                )
            )
        }
        let registered = registrations
        defer {
            Task {
                await stopAll(coordinators)
                for registration in registered { await registration.deregister() }
                await proxy.stop()
            }
        }
        let hosts = Set((1...8).map { "h\($0)" })
        try await eventually("hosts assigned over three") { Self.settled(coordinators, hosts) }

        proxy.partition()
        _ = try await first(a.leadershipChanges()) { !$0.isLeader }
        try await eventually("hosts moved to the two others") { Self.settled([b, c], hosts) }
        #expect([b, c].filter { $0.leadership.isLeader }.count == 1)

        proxy.heal()
        try await eventually("ms-a back in the partition") {
            Self.settled(coordinators, hosts) && !a.hostOwners().filter { $0.value == "ms-a" }.isEmpty
        }
        #expect(!a.leadership.isLeader)
    }
}
