import CloudAPI
import CloudCore
import Testing

/// CloudStack's session rules (`HttpUtils.validateSessionKey`): the `JSESSIONID` cookie names the session, and the
/// `sessionkey` parameter or cookie must be that session's key.
struct SessionTests {
    /// A login's session: the `JSESSIONID` cookie and the session key.
    struct Login {
        let sessionId: String
        let key: String
    }

    static func login(_ cloud: TestCloud, _ username: String, _ password: String) async throws -> Login {
        let response = await cloud.server.handle(
            APIRequest(
                method: "POST",
                parameters: APIParameters([
                    ("command", "login"), ("username", username), ("password", password), ("response", "json"),
                ])
            )
        )
        #expect(response.status == 200, "\(response.body)")
        let key = try #require(APIValue.parse(json: response.body)?["loginresponse"]?["sessionkey"]?.stringValue)
        let cookie = try #require(response.setCookies.first { $0.hasPrefix("JSESSIONID=") })
        let sessionId = String(cookie.dropFirst("JSESSIONID=".count).prefix { $0 != ";" })
        #expect(sessionId != key)
        return Login(sessionId: sessionId, key: key)
    }

    static func call(
        _ cloud: TestCloud,
        _ command: String,
        sessionId: String?,
        keyParameter: String?,
        keyCookie: String? = nil
    ) async -> (status: Int, body: APIValue) {
        var pairs: [(name: String, value: String)] = [("command", command), ("response", "json")]
        if let keyParameter { pairs.append(("sessionkey", keyParameter)) }
        var cookies: [String: String] = [:]
        if let sessionId { cookies["JSESSIONID"] = sessionId }
        if let keyCookie { cookies["sessionkey"] = keyCookie }
        let response = await cloud.server.handle(
            APIRequest(method: "GET", parameters: APIParameters(pairs), cookies: cookies)
        )
        let body = APIValue.parse(json: response.body).flatMap { value -> APIValue? in
            guard case .object(let members) = value else { return nil }
            return members.first?.1
        }
        return (response.status, body ?? .object([]))
    }

    @Test func theCookieAndTheKeyMustBothMatch() async throws {
        let cloud = try await TestCloud.make()
        let login = try await Self.login(cloud, "admin", cloud.admin.password)
        // The key alone, as before the fix, is refused.
        #expect(await Self.call(cloud, "listZones", sessionId: nil, keyParameter: login.key).status == 401)
        // The cookie alone proves nothing.
        #expect(await Self.call(cloud, "listZones", sessionId: login.sessionId, keyParameter: nil).status == 401)
        // A key that is not the session's is refused.
        #expect(await Self.call(cloud, "listZones", sessionId: "nosuchsession", keyParameter: login.key).status == 401)
        let fresh = try await Self.login(cloud, "admin", cloud.admin.password)
        #expect(
            await Self.call(cloud, "listZones", sessionId: fresh.sessionId, keyParameter: fresh.key).status == 200
        )
        #expect(
            await Self.call(cloud, "listZones", sessionId: fresh.sessionId, keyParameter: nil, keyCookie: fresh.key)
                .status == 200
        )
        // A present key cookie must match too, even beside a right parameter.
        #expect(
            await Self.call(
                cloud,
                "listZones",
                sessionId: fresh.sessionId,
                keyParameter: fresh.key,
                keyCookie: "wrong"
            ).status == 401
        )
    }

    @Test func oneUsersCookieWithAnothersKeyIsRefusedAndEndsTheSession() async throws {
        let cloud = try await TestCloud.make()
        _ = try await cloud.account("sally")
        let admin = try await Self.login(cloud, "admin", cloud.admin.password)
        let sally = try await Self.login(cloud, "sally", "pw-sally")
        #expect(await Self.call(cloud, "listZones", sessionId: admin.sessionId, keyParameter: sally.key).status == 401)
        #expect(await Self.call(cloud, "listZones", sessionId: sally.sessionId, keyParameter: admin.key).status == 401)
        // As CloudStack invalidates a session a wrong key was presented with, both sessions are over.
        #expect(await Self.call(cloud, "listZones", sessionId: admin.sessionId, keyParameter: admin.key).status == 401)
        // Each user's own pair runs as that user.
        let again = try await Self.login(cloud, "sally", "pw-sally")
        let (status, accounts) = await Self.call(
            cloud,
            "listAccounts",
            sessionId: again.sessionId,
            keyParameter: again.key
        )
        #expect(status == 200)
        #expect(accounts.items.map { $0["name"]?.stringValue } == ["sally"])
    }

    @Test func logoutEndsTheSession() async throws {
        let cloud = try await TestCloud.make()
        let login = try await Self.login(cloud, "admin", cloud.admin.password)
        #expect(await Self.call(cloud, "logout", sessionId: login.sessionId, keyParameter: login.key).status == 200)
        #expect(await Self.call(cloud, "listZones", sessionId: login.sessionId, keyParameter: login.key).status == 401)
    }
}
