import Testing
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperTestSupport

@Suite("Client sessions")
struct ClientSessionTests {
    @Test(arguments: IntegrationTargets.all)
    func timeoutIsNegotiatedWithinTheServersBounds(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let short = try await bed.client(timeout: .milliseconds(100))
        let long = try await bed.client(timeout: .seconds(600))
        defer {
            Task {
                await short.close()
                await long.close()
            }
        }
        // tickTime 500 ms: [2, 20] x tickTime = [1 s, 10 s].
        #expect(try await short.session.negotiatedTimeout == .seconds(1))
        #expect(try await long.session.negotiatedTimeout == .seconds(10))
    }

    @Test(arguments: IntegrationTargets.all)
    func pingsKeepAnIdleSessionAlive(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client(timeout: .seconds(2))
        let observer = try await bed.client()
        defer { Task { await observer.close() } }
        let states = zk.connectionStates()
        try await zk.create(bed.path("alive"), mode: .ephemeral)
        let owner = try await zk.session.sessionId
        // Idle for three session timeouts: only the pings keep the session (and its ephemeral node) alive.
        try await Task.sleep(for: .seconds(6))
        #expect(try await observer.exists(bed.path("alive"))?.ephemeralOwner == owner)
        await zk.close()
        var seen: [ConnectionState] = []
        for await state in states { seen.append(state) }
        #expect(!seen.contains(.expired))
        #expect(seen.last == .closed)
        #expect(try await observer.exists(bed.path("alive")) == nil)
    }

    @Test(arguments: IntegrationTargets.all)
    func expiryIsReportedAndEndsWatches(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let observer = try await bed.client()
        defer { Task { await observer.close() } }
        // The client reaches the server through a proxy the test can cut.
        let (proxy, zk) = try await bed.clientBehindProxy(timeout: .seconds(2))
        defer { Task { await zk.close() } }
        let states = zk.connectionStates()
        let path = bed.path("doomed")
        try await zk.create(path, mode: .ephemeral)
        let (_, _, watch) = try await zk.getDataWatch(path)
        let persistent = try await zk.addWatch(bed.base, mode: .persistentRecursive)

        // Cut the client off, and end its session from another connection while it cannot reconnect.
        let credentials = try await zk.session
        proxy.partition()
        let thief = try await ZooKeeperClient.connect(
            configuration: try ZooKeeperClientConfiguration(connectString: bed.connectString),
            session: credentials
        )
        #expect(try await thief.session.sessionId == credentials.sessionId)
        await thief.close()
        #expect(try await observer.exists(path) == nil)
        proxy.heal()

        var seen: [ConnectionState] = []
        for await state in states {
            seen.append(state)
            if state == .expired { break }
        }
        #expect(seen == [.suspended, .expired])
        await expectKeeperError(.sessionExpired) { _ = try await zk.getData(bed.base) }
        await expectKeeperError(.sessionExpired) { _ = try await watch.event() }
        await #expect(throws: KeeperError(.sessionExpired)) { _ = try await next(persistent) }
        await proxy.stop()
    }

    @Test(arguments: IntegrationTargets.all)
    func requestsInFlightFailWithConnectionLossAndTheSessionResumes(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let (proxy, zk) = try await bed.clientBehindProxy(timeout: .seconds(10))
        defer { Task { await zk.close() } }
        let states = zk.connectionStates()
        let path = bed.path("survivor")
        try await zk.create(path, mode: .ephemeral)
        let (_, _, watch) = try await zk.getDataWatch(path)
        let sessionId = try await zk.session.sessionId

        let outcomes = try await withThrowingTaskGroup(of: KeeperError.Code.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    do {
                        _ = try await zk.getData(path)
                        return .ok
                    } catch let error as KeeperError {
                        return error.code
                    }
                }
            }
            proxy.partition()
            var codes: [KeeperError.Code] = []
            for try await code in group { codes.append(code) }
            return codes
        }
        #expect(outcomes.allSatisfy { $0 == .ok || $0 == .connectionLoss })
        proxy.heal()
        var seen: [ConnectionState] = []
        for await state in states {
            seen.append(state)
            if state == .reconnected { break }
        }
        #expect(seen == [.suspended, .reconnected])
        #expect(try await zk.session.sessionId == sessionId)
        #expect(try await zk.exists(path)?.ephemeralOwner == sessionId)
        // The watch was re-registered with setWatches2 and still fires.
        let other = try await bed.client()
        try await other.setData(path, data: bytes("changed"))
        #expect(try await fired(watch) == WatchEvent(type: .nodeDataChanged, path: path))
        await other.close()
        await proxy.stop()
    }

    @Test(arguments: IntegrationTargets.all)
    func changesMissedWhileDisconnectedFireOnReconnect(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let (proxy, zk) = try await bed.clientBehindProxy(timeout: .seconds(10))
        let other = try await bed.client()
        defer {
            Task {
                await zk.close()
                await other.close()
            }
        }
        let path = bed.path("missed")
        try await zk.create(path, data: bytes("0"))
        let (_, _, watch) = try await zk.getDataWatch(path)
        let (_, created) = try await zk.existsWatch(bed.path("later"))
        proxy.partition()
        try await other.setData(path, data: bytes("1"))
        try await other.create(bed.path("later"))
        #expect(!watch.isTriggered)
        proxy.heal()
        // setWatches2 from the last zxid seen: the server fires both at once.
        #expect(try await fired(watch) == WatchEvent(type: .nodeDataChanged, path: path))
        #expect(try await fired(created) == WatchEvent(type: .nodeCreated, path: bed.path("later")))
        await proxy.stop()
    }

    @Test(arguments: IntegrationTargets.all)
    func aResumedSessionKeepsItsEphemerals(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let first = try await bed.client()
        let path = bed.path("kept")
        try await first.create(path, mode: .ephemeral)
        let credentials = try await first.session
        await first.disconnectKeepingSession()
        let configuration = try ZooKeeperClientConfiguration(connectString: bed.connectString)
        let second = try await ZooKeeperClient.connect(configuration: configuration, session: credentials)
        #expect(try await second.exists(path)?.ephemeralOwner == credentials.sessionId)
        await second.close()
    }

    @Test(arguments: IntegrationTargets.all)
    func aBadPasswordIsAnExpiredSession(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        var credentials = try await zk.session
        credentials.password = [UInt8](repeating: 7, count: 16)
        let configuration = try ZooKeeperClientConfiguration(connectString: bed.connectString)
        await expectKeeperError(.sessionExpired) {
            _ = try await ZooKeeperClient.connect(configuration: configuration, session: credentials)
        }
    }

    @Test(arguments: IntegrationTargets.all)
    func digestAuthAndACLs(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let alice = try await bed.client()
        let anonymous = try await bed.client()
        let admin = try await bed.client()
        defer {
            Task {
                await alice.close()
                await anonymous.close()
                await admin.close()
            }
        }
        try await alice.addAuth(scheme: "digest", auth: bytes("alice:secret"))
        #expect(try await alice.whoAmI().contains(ClientInfo(authScheme: "digest", user: "alice")))
        let path = bed.path("private")
        try await alice.create(path, data: bytes("mine"), acl: ACL.creatorAll)
        let (acl, _) = try await alice.getACL(path)
        #expect(acl == [ACL(perms: .all, id: Id(scheme: "digest", id: DigestAuth.digestId("alice:secret")))])
        #expect(try await alice.getData(path).data == bytes("mine"))
        await expectKeeperError(.noAuth) { _ = try await anonymous.getData(path) }
        await expectKeeperError(.noAuth) { try await anonymous.setData(path, data: []) }

        let shared = bed.path("readable")
        try await alice.create(
            shared,
            acl: [
                ACL(perms: .read, id: .anyone),
                ACL(perms: .all, id: Id(scheme: "digest", id: DigestAuth.digestId("alice:secret"))),
            ]
        )
        #expect(try await anonymous.getData(shared).data == [])
        await expectKeeperError(.noAuth) { try await anonymous.setData(shared, data: bytes("x")) }
        let stat = try await alice.setACL(shared, acl: ACL.openUnsafe, version: 0)
        #expect(stat.aversion == 1)
        try await anonymous.setData(shared, data: bytes("x"))

        try await admin.addAuth(scheme: "digest", auth: bytes(IntegrationTargets.superCredentials))
        #expect(try await admin.getData(path).data == bytes("mine"))
    }

    @Test(arguments: IntegrationTargets.all)
    func aConfiguredDefaultACLProtectsEveryNodeCreatedWithoutOne(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let digest = [ACL(perms: .all, id: Id(scheme: "digest", id: DigestAuth.digestId("bob:secret")))]
        var configuration = try ZooKeeperClientConfiguration(connectString: bed.connectString)
        configuration.authInfo = [("digest", bytes("bob:secret"))]
        configuration.defaultACL = digest
        let bob = try await ZooKeeperClient.connect(configuration: configuration)
        let anonymous = try await bed.client()
        defer {
            Task {
                await bob.close()
                await anonymous.close()
            }
        }
        #expect(bob.defaultACL == digest)
        let path = bed.path("bob")
        try await bob.create(path, data: bytes("b"))
        let child = try await bob.create(path + "/e-", mode: .ephemeralSequential)
        _ = try await bob.createWithStat(path + "/s", data: [])
        for node in [path, child, path + "/s"] {
            #expect(try await bob.getACL(node).acl == digest, "\(node)")
            await expectKeeperError(.noAuth) { _ = try await anonymous.getData(node) }
        }
        // An explicit ACL still wins.
        try await bob.create(path + "/open", acl: ACL.openUnsafe)
        #expect(try await anonymous.getData(path + "/open").data == [])
    }

    @Test(arguments: IntegrationTargets.all)
    func badCredentialsFailTheClient(target: ZooKeeperTarget) async throws {
        let bed = try await TestBed(target)
        let zk = try await bed.client()
        defer { Task { await zk.close() } }
        let states = zk.connectionStates()
        await expectKeeperError(.authFailed) { try await zk.addAuth(scheme: "nosuchscheme", auth: bytes("x")) }
        for await state in states {
            #expect(state == .authFailed)
            break
        }
        await expectKeeperError(.authFailed) { _ = try await zk.exists("/") }
    }
}
