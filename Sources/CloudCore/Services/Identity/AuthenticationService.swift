import CloudModel
import CloudStore
import Foundation
import Logging
import Orchestrator

/// Who is calling (CloudStack's `AccountManagerImpl.authenticateUser` and the API key lookup): a login by username,
/// password and domain, a session's user, or the user an API key names with its secret key. Sessions, cookies and
/// request signatures are the transport's.
public struct AuthenticationService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// Logs a user in.
    ///
    /// The user is looked up in `domainId`, or the domain whose path is `domainPath` (`/dom1`, `/dom1/sub`, `ROOT`
    /// or `/`), ROOT by default; each failed password of an enabled user counts, and
    /// `incorrect.login.attempts.allowed` consecutive ones disable it and end its sessions (an alert is raised;
    /// root admins are never disabled); a success resets the count and records a `USER.LOGIN` event. An unknown user or domain costs a
    /// password hash too, so that the answer's time does not tell whether the user exists.
    /// - Parameters:
    ///   - username: the login name.
    ///   - password: the clear text password.
    ///   - domainId: the user's domain by UUID.
    ///   - domainPath: the user's domain by path, when `domainId` is nil.
    /// - Returns: the caller.
    /// - Throws: 531 for bad credentials; ``StoreError``.
    public func login(
        username: String,
        password: String,
        domainId: String?,
        domainPath: String?
    ) async throws -> Caller {
        let failure = CloudError(
            .accountError,
            csErrorCode: 4365,
            "Failed to authenticate user \(username); please provide valid credentials"
        )
        let domain = try await self.loginDomain(id: domainId, path: domainPath)
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
        await self.services.events.record(
            EventType.userLogin.rawValue,
            "user has logged in",
            accountId: caller.account.id,
            userId: user.id,
            resourceId: user.id,
            resourceType: "User"
        )
        return caller
    }

    /// The enabled user with this UUID and its enabled account, nil otherwise.
    /// - Throws: ``StoreError``.
    public func caller(userId: String) async throws -> Caller? {
        guard let (user, account) = try await self.store.userAndAccount(userId: userId), user.state == "enabled",
            account.state == "enabled"
        else { return nil }
        return Caller(user: user, account: account)
    }

    /// The user an API key names and its secret key, opened; the states are not checked (the transport verifies
    /// the signature first).
    /// - Parameter apiKey: the API key.
    /// - Returns: the user and account (enabled or not) and the secret key; nil when no user has this key or it
    ///   has no secret key.
    /// - Throws: 401 when the secret key cannot be opened (logged); ``StoreError``.
    public func apiKeyUser(_ apiKey: String) async throws -> (caller: Caller, secretKey: String)? {
        guard let (user, account) = try await self.store.userAndAccount(apiKey: apiKey), let stored = user.secretKey
        else { return nil }
        do {
            return (Caller(user: user, account: account), try self.services.secrets.open(stored))
        } catch {
            self.services.logger.error(
                "cannot open a secret key",
                metadata: ["user": "\(user.id)", "error": "\(error)"]
            )
            throw CloudError.unableToVerify
        }
    }

    /// The domain a login names: `id`, else the path, else ROOT; nil when it does not exist.
    func loginDomain(id: String?, path: String?) async throws -> Domain? {
        if let id { return try await self.store.get(Domain.self, id: id) }
        return try await self.store.domain(path: Self.domainPath(path ?? "/"))
    }

    /// A login's `domain` as a stored path: `ROOT`, `/` and empty are `/`; `/dom1`, `dom1/`, `ROOT/dom1` are
    /// `/dom1/`.
    public static func domainPath(_ text: String) -> String {
        var path = text.trimmingCharacters(in: .whitespaces)
        if path == "ROOT" || path.hasPrefix("ROOT/") { path.removeFirst(4) }
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasSuffix("/") { path += "/" }
        return path
    }

    /// Counts a wrong password of an enabled user, disabling it at `incorrect.login.attempts.allowed` (CloudStack's
    /// `updateLoginAttemptsWhenIncorrectLoginAttemptsEnabled`; internal accounts — root admins — are exempt).
    private func countFailedLogin(
        _ user: User,
        domain: Domain
    ) async throws {
        guard let (_, account) = try await self.store.userAndAccount(userId: user.id), account.role != .rootAdmin
        else { return }
        let allowed =
            try await self.services.configuration.snapshot().int(GlobalSettings.incorrectLoginAttemptsAllowed) ?? 5
        guard allowed > 0, let count = try await self.store.recordFailedLogin(userId: user.id, allowed: allowed)
        else { return }
        guard count.disabled else {
            self.services.logger.warning(
                "login attempt failed",
                metadata: ["user": "\(user.id)", "remaining": "\(max(allowed - count.attempts, 0))"]
            )
            return
        }
        try await self.services.loginSessions.closeAll(userId: user.id)
        await self.services.alerts.raise(
            .userLoginDisabled,
            "User \(user.username) in domain \(domain.displayPath) has been disabled due to \(count.attempts) "
                + "consecutive failed login attempts"
        )
    }
}

extension CloudServices {
    /// Logins, sessions' users and API keys.
    public var authentication: AuthenticationService { AuthenticationService(services: self) }
}
