import Coordination
import Foundation
import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperTestSupport

/// ZooStack's nodes under its root carry the cluster credentials' digest ACL: anonymous clients can neither read
/// nor write them (NoAuth, -102), on Apache ZooKeeper 3.8 and on the embedded server alike.
@Suite("Coordination access control", .serialized)
struct AccessControlTests {
    @Test(.timeLimit(.minutes(3)), arguments: CoordinationTarget.all)
    func anonymousClientsCannotTouchZooStacksNodes(_ target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let credentials = ClusterCredentials.generate()
        let coordinator = try await cluster.coordinator("ms-1", credentials: credentials)
        defer { Task { await coordinator.stop() } }
        let registration = try await HostRegistration.connect(
            connectString: cluster.connectString,
            rootPath: cluster.root,
            sessionTimeout: .seconds(6),
            credentials: credentials,
            host: HostInfo(id: "h1", address: "127.0.0.1:1", cpuCores: 4, cpuSpeedMHz: 2000, memoryBytes: 1 << 33)
        )
        defer { Task { await registration.deregister() } }
        // The management server works: configuration, membership, leadership, hosts.
        try await coordinator.publish(key: "max.account.user.vms", value: "20")
        try await eventually("the value applied") { coordinator.configurationValues["max.account.user.vms"] == "20" }
        #expect(try await coordinator.members().map(\.id) == ["ms-1"])
        _ = try await first(coordinator.leadershipChanges()) { $0.isLeader }
        try await eventually("the host owned") { coordinator.hostOwners()["h1"] == "ms-1" }

        let layout = cluster.layout
        let anonymous = try await cluster.client()
        defer { Task { await anonymous.close() } }
        let leaderNode = try #require(try await Self.children(cluster, credentials, layout.leader).first)
        let nodes = [
            layout.root, layout.config, layout.config + "/max.account.user.vms", layout.epoch,
            layout.managementServers, layout.managementServers + "/ms-1", layout.leader,
            layout.leader + "/" + leaderNode, layout.hosts, layout.hostBucket(of: "h1"), layout.hostPath("h1"),
            layout.hostOwners, layout.hostOwnerPath("h1"), layout.locks,
        ]
        for path in nodes {
            await Self.expectNoAuth("getData \(path)") { _ = try await anonymous.getData(path) }
            await Self.expectNoAuth("getChildren \(path)") { _ = try await anonymous.getChildren(path) }
            await Self.expectNoAuth("setData \(path)") { _ = try await anonymous.setData(path, data: Array("0".utf8)) }
            await Self.expectNoAuth("create under \(path)") { try await anonymous.create(path + "/x", data: []) }
            await Self.expectNoAuth("setACL \(path)") { _ = try await anonymous.setACL(path, acl: ACL.openUnsafe) }
        }
        for path in [
            layout.config + "/max.account.user.vms", layout.hostPath("h1"), layout.leader + "/" + leaderNode,
            layout.managementServers + "/ms-1", layout.hostOwnerPath("h1"), layout.epoch,
        ] {
            await Self.expectNoAuth("delete \(path)") { try await anonymous.delete(path) }
        }
        // Every node has the cluster's ACL, nothing else.
        let authenticated = try await cluster.client(credentials: credentials)
        defer { Task { await authenticated.close() } }
        for path in nodes {
            #expect(try await authenticated.getACL(path).acl == credentials.acl, "\(path)")
        }
        #expect(try await authenticated.getData(layout.hostPath("h1")).data.isEmpty == false)
    }

    @Test(.timeLimit(.minutes(3)), arguments: CoordinationTarget.all)
    func otherCredentialsAreRefusedWithAClearError(_ target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let coordinator = try await cluster.coordinator("ms-1", credentials: .generate())
        defer { Task { await coordinator.stop() } }
        await expectCoordinationError(.accessDenied) {
            let intruder = try await cluster.coordinator("ms-2", credentials: .generate())
            await intruder.stop()
        }
        await expectCoordinationError(.accessDenied) {
            let anonymous = try await cluster.coordinator("ms-3")
            await anonymous.stop()
        }
        await expectCoordinationError(.accessDenied) {
            let registration = try await HostRegistration.connect(
                connectString: cluster.connectString,
                rootPath: cluster.root,
                sessionTimeout: .seconds(6),
                credentials: nil,
                host: HostInfo(id: "h9", address: "127.0.0.1:1", cpuCores: 1, cpuSpeedMHz: 1, memoryBytes: 1)
            )
            await registration.deregister()
        }
        #expect(try await coordinator.members().map(\.id) == ["ms-1"])
    }

    @Test(.timeLimit(.minutes(3)), arguments: CoordinationTarget.all)
    func openNodesOfAnEarlierDeploymentAreSecuredAtStart(_ target: ZooKeeperTarget) async throws {
        let cluster = try await TestCluster(target)
        let layout = cluster.layout
        // A deployment from before cluster credentials: every node open, an agent's host registered.
        let old = try await cluster.coordinator("ms-1")
        try await old.publish(key: "default.page.size", value: "500")
        let agent = try await HostRegistration.connect(
            connectString: cluster.connectString,
            rootPath: cluster.root,
            sessionTimeout: .seconds(6),
            credentials: nil,
            host: HostInfo(id: "h1", address: "127.0.0.1:1", cpuCores: 4, cpuSpeedMHz: 2000, memoryBytes: 1 << 33)
        )
        defer { Task { await agent.deregister() } }
        await old.stop()
        let anonymous = try await cluster.client()
        defer { Task { await anonymous.close() } }
        #expect(try await anonymous.getData(layout.config + "/default.page.size").data == Array("500".utf8))

        // The upgraded server starts with credentials: the open nodes get the cluster's ACL.
        let credentials = ClusterCredentials.generate()
        let upgraded = try await cluster.coordinator("ms-1", credentials: credentials)
        defer { Task { await upgraded.stop() } }
        try await eventually("the old value applied") { upgraded.configurationValues["default.page.size"] == "500" }
        let authenticated = try await cluster.client(credentials: credentials)
        defer { Task { await authenticated.close() } }
        for path in [
            layout.root, layout.config, layout.config + "/default.page.size", layout.epoch, layout.hosts,
            layout.hostPath("h1"), layout.hostOwners, layout.managementServers, layout.leader, layout.locks,
        ] {
            #expect(try await authenticated.getACL(path).acl == credentials.acl, "\(path)")
            await Self.expectNoAuth("getData \(path)") { _ = try await anonymous.getData(path) }
        }
        await Self.expectNoAuth("setData") {
            _ = try await anonymous.setData(layout.config + "/default.page.size", data: Array("0".utf8))
        }
        await Self.expectNoAuth("delete") { try await anonymous.delete(layout.hostPath("h1")) }
    }

    @Test func credentialsFilesAreWrittenPrivatelyAndReadBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-creds-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cluster-credentials").path
        let (created, isNew) = try ClusterCredentials.readOrCreate(path: path)
        #expect(isNew)
        #expect(created.user == "zoostack" && created.password.count == 64)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let (again, isNewAgain) = try ClusterCredentials.readOrCreate(path: path)
        #expect(!isNewAgain && again == created)
        #expect(!"\(created)".contains(created.password))
        #expect(!String(reflecting: created).contains(created.password))
        var dumped = ""
        dump(created, to: &dumped)
        #expect(!dumped.contains(created.password))
        // A file others can read is refused, as ssh refuses such a key.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: CoordinationError.self) { _ = try ClusterCredentials.read(path: path) }
        #expect(throws: CoordinationError.self) { _ = try ClusterCredentials(parsing: "no-colon") }
        #expect(throws: CoordinationError.self) { _ = try ClusterCredentials(parsing: "user:short") }
        #expect(try ClusterCredentials(parsing: "ops:0123456789abcdef\n").digestId.id.hasPrefix("ops:"))
    }

    // MARK: helpers

    static func children(
        _ cluster: TestCluster,
        _ credentials: ClusterCredentials,
        _ path: String
    ) async throws
        -> [String]
    {
        let client = try await cluster.client(credentials: credentials)
        defer { Task { await client.close() } }
        return try await client.getChildren(path)
    }

    static func expectNoAuth(
        _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            Issue.record("\(what) succeeded anonymously", sourceLocation: sourceLocation)
        } catch let error as KeeperError {
            #expect(error.code == .noAuth, "\(what): \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(what): \(error)", sourceLocation: sourceLocation)
        }
    }
}
