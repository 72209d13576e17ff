import CloudCore
import CloudModel
import CloudStore
import Foundation
import Logging
import Orchestrator

extension ManagementServer {
    /// `login` (POST only): resolves the user in the given domain, verifies the password, and opens a session.
    ///
    /// As CloudStack's `AccountManagerImpl.authenticateUser`: the user is looked up in `domainId`, or the domain
    /// whose path is `domain` (`/dom1`, `/dom1/sub`, `ROOT` or `/`), ROOT by default; each failed password of an
    /// enabled user counts, and `incorrect.login.attempts.allowed` consecutive ones disable it (an alert is
    /// raised; root admins are never disabled); a success resets the count. An unknown user or domain costs a
    /// password hash too, so that the answer's time does not tell whether the user exists.
    func login(_ request: APIRequest, json: Bool) async throws -> APIResponse {
        guard request.method == "POST" else {
            throw CloudError(.methodNotAllowed, "Please use HTTP POST to authenticate using this API")
        }
        let parameters = request.parameters
        let username = parameters["username"] ?? ""
        let password = parameters["password"] ?? ""
        let failure = CloudError(
            .accountError,
            csErrorCode: 4365,
            "Failed to authenticate user \(username); please provide valid credentials"
        )
        let domain = try await self.loginDomain(parameters)
        guard !username.isEmpty, !password.isEmpty, let domain,
            let user = try await self.store.user(named: username, domainId: domain.id)
        else {
            _ = PasswordHasher.verify(password, against: PasswordHasher.dummyHash)
            throw failure
        }
        guard PasswordHasher.verify(password, against: user.passwordHash) else {
            try await self.countFailedLogin(user, domain: domain)
            throw failure
        }
        guard let caller = try await self.caller(userId: user.id) else { throw failure }
        try await self.store.resetLoginAttempts(userId: user.id)
        let session = self.sessions.open(userId: user.id)
        await self.events.record(
            EventType.userLogin.rawValue,
            "user has logged in",
            accountId: caller.account.id,
            userId: user.id,
            resourceId: user.id,
            resourceType: "User"
        )
        let body = APIValue.object([
            ("username", .string(user.username)), ("userid", .string(user.id)),
            ("domainid", .string(caller.account.domainId)), ("timeout", .int(1800)),
            ("account", .string(caller.account.name)), ("firstname", .string(user.firstname)),
            ("lastname", .string(user.lastname)), ("type", .string(caller.role.typeName)),
            ("timezone", .string("UTC")), ("registered", .string("false")), ("sessionkey", .string(session.key)),
        ])
        var response = Self.render("loginresponse", body, status: 200, json: json)
        response.setCookies = [
            "JSESSIONID=\(session.id); Path=/client; HttpOnly", "sessionkey=\(session.key); HttpOnly; SameSite=Lax",
        ]
        return response
    }

    /// The domain a login names: `domainid`, else the path `domain`, else ROOT; nil when it does not exist.
    func loginDomain(_ parameters: APIParameters) async throws -> Domain? {
        if let id = parameters["domainid"] { return try await self.store.get(Domain.self, id: id) }
        return try await self.store.domain(path: Self.domainPath(parameters["domain"] ?? "/"))
    }

    /// A login's `domain` as a stored path: `ROOT`, `/` and empty are `/`; `/dom1`, `dom1/`, `ROOT/dom1` are
    /// `/dom1/`.
    static func domainPath(_ text: String) -> String {
        var path = text.trimmingCharacters(in: .whitespaces)
        if path == "ROOT" || path.hasPrefix("ROOT/") { path.removeFirst(4) }
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasSuffix("/") { path += "/" }
        return path
    }

    /// Counts a wrong password of an enabled user, disabling it at `incorrect.login.attempts.allowed` (CloudStack's
    /// `updateLoginAttemptsWhenIncorrectLoginAttemptsEnabled`; internal accounts — root admins — are exempt).
    private func countFailedLogin(_ user: User, domain: Domain) async throws {
        guard let (_, account) = try await self.store.userAndAccount(userId: user.id), account.role != .rootAdmin
        else { return }
        let allowed = try await self.configuration.snapshot().int(GlobalSettings.incorrectLoginAttemptsAllowed) ?? 5
        guard allowed > 0, let count = try await self.store.recordFailedLogin(userId: user.id, allowed: allowed)
        else { return }
        guard count.disabled else {
            self.logger.warning(
                "login attempt failed",
                metadata: ["user": "\(user.id)", "remaining": "\(max(allowed - count.attempts, 0))"]
            )
            return
        }
        self.sessions.closeAll(userId: user.id)
        await self.alerts.raise(
            .userLoginDisabled,
            "User \(user.username) in domain \(domain.displayPath) has been disabled due to \(count.attempts) "
                + "consecutive failed login attempts"
        )
    }
}
