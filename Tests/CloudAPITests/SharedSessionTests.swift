import CloudAPI
import CloudCore
import CloudStore
import CloudTestSupport
import Logging
import Synchronization
import Testing

/// Sessions live in the database: a session opened on one management server works on every server sharing it, and
/// `logout` or a wrong key there ends it everywhere (CloudStack users report logins that work on one server of two).
struct SharedSessionTests {
    /// A second management server over the same database as `cloud`.
    static func secondServer(at location: StoreLocation) async throws -> ManagementServer {
        let logger = Logger(label: "test")
        let store = try await CloudStore.open(location, maxConnections: 2, logger: logger)
        TestCloud.openStores.withLock { $0.append(store) }
        return ManagementServer(core: CloudServices(store: store, logger: logger), logger: logger)
    }

    static func call(_ server: ManagementServer, _ command: String, _ login: SessionTests.Login) async -> Int {
        let response = await server.handle(
            APIRequest(
                method: "GET",
                parameters: APIParameters([("command", command), ("response", "json"), ("sessionkey", login.key)]),
                cookies: ["JSESSIONID": login.sessionId]
            )
        )
        return response.status
    }

    @Test(arguments: TestBackend.allCases)
    func aSessionWorksOnEveryServerAndLogoutEndsItEverywhere(backend: TestBackend) async throws {
        let location = try await backend.sharedLocation()
        let first = try await TestCloud.make(location: location)
        let second = try await Self.secondServer(at: location)
        let login = try await SessionTests.login(first, "admin", first.admin.password)
        #expect(await Self.call(second, "listZones", login) == 200)
        #expect(await Self.call(first.server, "listZones", login) == 200)
        #expect(await Self.call(second, "logout", login) == 200)
        #expect(await Self.call(first.server, "listZones", login) == 401)
        #expect(await Self.call(second, "listZones", login) == 401)
    }

    @Test func aWrongKeyOnOneServerEndsTheSessionOnTheOther() async throws {
        let location = try await TestBackend.sqlite.sharedLocation()
        let first = try await TestCloud.make(location: location)
        let second = try await Self.secondServer(at: location)
        let login = try await SessionTests.login(first, "admin", first.admin.password)
        let forged = SessionTests.Login(sessionId: login.sessionId, key: "not-the-key")
        #expect(await Self.call(second, "listZones", forged) == 401)
        #expect(await Self.call(first.server, "listZones", login) == 401)
    }

    @Test func aSessionIdleLongerThanTheTimeoutIsOverAndUseKeepsItAlive() async throws {
        let location = try await TestBackend.sqlite.sharedLocation()
        let cloud = try await TestCloud.make(location: location)
        let now = Mutex<Double>(1_000_000)
        let sessions = LoginSessions(store: cloud.server.core.store, timeout: 1800) { now.withLock { $0 } }
        let session = try await sessions.open(userId: "user-1")
        let check = { try await sessions.check(sessionId: session.id, keyParameter: session.key, keyCookie: nil) }
        now.withLock { $0 += 1700 }
        #expect(try await check() == .valid(userId: "user-1"))
        // Used 1700 s in, it lives until 1700 + 1800.
        now.withLock { $0 += 1700 }
        #expect(try await check() == .valid(userId: "user-1"))
        now.withLock { $0 += 1801 }
        #expect(try await check() == nil)
        // Over means gone, even if the clock were to go back.
        now.withLock { $0 -= 1801 }
        #expect(try await check() == nil)
    }
}
