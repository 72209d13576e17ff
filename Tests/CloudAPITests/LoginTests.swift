import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import CloudTestSupport
import Testing

/// `login`: per-domain user names, `incorrect.login.attempts.allowed`, and the same work for unknown users.
struct LoginTests {
    static func login(_ cloud: TestCloud, _ parameters: [String: String]) async -> (status: Int, body: APIValue) {
        let response = await cloud.server.handle(
            APIRequest(
                method: "POST",
                parameters: APIParameters(
                    [("command", "login"), ("response", "json")]
                        + parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                )
            )
        )
        return (response.status, APIValue.parse(json: response.body)?["loginresponse"] ?? .object([]))
    }

    static func login(_ cloud: TestCloud, _ username: String, _ password: String, domain: String? = nil) async -> Int {
        var parameters = ["username": username, "password": password]
        if let domain { parameters["domain"] = domain }
        return await Self.login(cloud, parameters).status
    }

    // MARK: incorrect.login.attempts.allowed

    @Test func fiveWrongPasswordsDisableTheUserAndRaiseAnAlert() async throws {
        let cloud = try await TestCloud.make()
        let tina = try await cloud.account("tina")
        for _ in 1...4 { #expect(await Self.login(cloud, "tina", "wrong") == 531) }
        #expect(try await cloud.server.core.store.get(User.self, id: tina.userId)?.state == "enabled")
        #expect(await Self.login(cloud, "tina", "wrong") == 531)
        #expect(try await cloud.server.core.store.get(User.self, id: tina.userId)?.state == "disabled")
        // Now even the right password fails, and so do the user's keys.
        #expect(await Self.login(cloud, "tina", "pw-tina") == 531)
        #expect(await cloud.call("listZones", keys: tina.keys).status == 401)
        let (_, alerts) = await cloud.call("listAlerts", [:])
        let texts = alerts.items.compactMap { $0["description"]?.stringValue }
        #expect(texts.contains { $0.contains("tina") && $0.contains("failed login") }, "\(texts)")
        // enableUser gives it back, with a fresh count.
        #expect(await cloud.call("enableUser", ["id": tina.userId]).status == 200)
        #expect(try await cloud.server.core.store.loginAttempts(userId: tina.userId) == 0)
        #expect(await Self.login(cloud, "tina", "pw-tina") == 200)
    }

    @Test func aSuccessResetsTheCount() async throws {
        let cloud = try await TestCloud.make()
        let rita = try await cloud.account("rita")
        for _ in 1...4 { #expect(await Self.login(cloud, "rita", "wrong") == 531) }
        #expect(await Self.login(cloud, "rita", "pw-rita") == 200)
        #expect(try await cloud.server.core.store.loginAttempts(userId: rita.userId) == 0)
        for _ in 1...4 { #expect(await Self.login(cloud, "rita", "wrong") == 531) }
        #expect(await Self.login(cloud, "rita", "pw-rita") == 200)
    }

    @Test func theLimitIsAGlobalSettingAndRootAdminsAreExempt() async throws {
        let cloud = try await TestCloud.make()
        let (listed, settings) = await cloud.call("listConfigurations", ["name": "incorrect.login.attempts.allowed"])
        #expect(listed == 200)
        #expect(settings.items.first?["value"]?.stringValue == "5")
        #expect(
            await cloud.call("updateConfiguration", ["name": "incorrect.login.attempts.allowed", "value": "2"]).status
                == 200
        )
        let dina = try await cloud.account("dina", type: 2)
        for _ in 1...2 { #expect(await Self.login(cloud, "dina", "wrong") == 531) }
        #expect(try await cloud.server.core.store.get(User.self, id: dina.userId)?.state == "disabled")
        // CloudStack's internal accounts (root admins) are never disabled by failed logins.
        for _ in 1...3 { #expect(await Self.login(cloud, "admin", "wrong") == 531) }
        #expect(await Self.login(cloud, "admin", cloud.admin.password) == 200)
        #expect(
            await cloud.call("updateConfiguration", ["name": "incorrect.login.attempts.allowed", "value": "-1"]).status
                == 431
        )
    }

    @Test func anUnknownUserOrDomainCostsAPasswordHashToo() async throws {
        let cloud = try await TestCloud.make()
        _ = try await cloud.account("kim")
        for (username, domain) in [("nobody", "/"), ("kim", "/nosuchdomain"), ("kim", "/")] {
            let counter = PasswordHasher.VerificationCounter()
            let status = await PasswordHasher.$verificationCounter.withValue(counter) {
                await Self.login(cloud, username, "wrong", domain: domain)
            }
            #expect(status == 531)
            #expect(counter.count == 1, "\(username) in \(domain)")
        }
    }

    // MARK: user names per domain

    @Test(arguments: TestBackend.allCases)
    func aUserNameIsUniquePerDomain(backend: TestBackend) async throws {
        let cloud = try await TestCloud.make(backend: backend)
        let dom1 = try await cloud.domain("dom1")
        let dom2 = try await cloud.domain("dom2")
        func createAccount(_ account: String, _ username: String, _ domainId: String) async -> Int {
            await cloud.call(
                "createAccount",
                [
                    "account": account, "username": username, "password": "pw-\(domainId)", "email": "e@x",
                    "firstname": "F", "lastname": "L", "domainid": domainId,
                ]
            ).status
        }
        #expect(await createAccount("one", "dup", dom1) == 200)
        #expect(await createAccount("two", "dup", dom2) == 200)
        // Within one domain the name stays unique, whatever the account.
        #expect(await createAccount("three", "dup", dom1) == 431)
        func createUser(_ account: String, _ username: String, _ domainId: String) async -> Int {
            await cloud.call(
                "createUser",
                [
                    "account": account, "username": username, "password": "pw", "email": "e@x", "firstname": "F",
                    "lastname": "L", "domainid": domainId,
                ]
            ).status
        }
        #expect(await createUser("one", "second", dom1) == 200)
        #expect(await createUser("two", "second", dom2) == 200)
        #expect(await createUser("two", "dup", dom2) == 431)
        #expect(await createUser("one", "admin", dom1) == 200)

        // login finds the user of the domain it names.
        let (status, first) = await Self.login(
            cloud,
            ["username": "dup", "password": "pw-\(dom1)", "domain": "/dom1"]
        )
        #expect(status == 200)
        #expect(first["domainid"]?.stringValue == dom1)
        #expect(await Self.login(cloud, "dup", "pw-\(dom2)", domain: "dom2/") == 200)
        #expect(await Self.login(cloud, ["username": "dup", "password": "pw-\(dom2)", "domainid": dom2]).status == 200)
        #expect(await Self.login(cloud, "admin", cloud.admin.password, domain: "ROOT") == 200)
        #expect(await Self.login(cloud, "admin", cloud.admin.password) == 200)
    }

    @Test func loginWithTheWrongDomainIsRefused() async throws {
        let cloud = try await TestCloud.make()
        let dom1 = try await cloud.domain("dom1")
        _ = try await cloud.domain("dom2")
        _ = try await cloud.account("dora", domainId: dom1)
        #expect(await Self.login(cloud, "dora", "pw-dora", domain: "/dom1") == 200)
        #expect(await Self.login(cloud, "dora", "pw-dora", domain: "/dom2") == 531)
        #expect(await Self.login(cloud, "dora", "pw-dora", domain: "/nosuchdomain") == 531)
        #expect(await Self.login(cloud, "dora", "pw-dora") == 531)
        #expect(await Self.login(cloud, "dora", "pw-dora", domain: "ROOT") == 531)
        let unknownId = await Self.login(cloud, ["username": "dora", "password": "pw-dora", "domainid": "nosuch"])
        #expect(unknownId.status == 531)
    }
}
