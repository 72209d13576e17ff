import CloudCore
import CloudModel

/// The `account` and `user` response objects, with their domain's name and path.
enum AccountResponses {
    static func user(_ user: User, account: Account, domain: Domain?, roleNames: [String: String] = [:]) -> APIValue {
        var fields: [(String, APIValue)] = [
            ("id", .string(user.id)), ("username", .string(user.username)), ("firstname", .string(user.firstname)),
            ("lastname", .string(user.lastname)), ("email", .string(user.email)),
            ("created", .string(DateFormat.string(user.created))), ("state", .string(user.state)),
            ("account", .string(account.name)), ("accountid", .string(account.id)),
            ("accounttype", .int(account.role.rawValue)), ("roleid", .string(account.roleId ?? account.role.roleId)),
            ("roletype", .string(account.role.typeName)),
            ("rolename", .string(account.roleId.flatMap { roleNames[$0] } ?? account.role.roleName)),
            ("domainid", .string(account.domainId)), ("domain", .string(domain?.name ?? "ROOT")),
            ("domainpath", .string(domain?.displayPath ?? "ROOT")),
        ]
        if let apiKey = user.apiKey { fields.append(("apikey", .string(apiKey))) }
        fields.append(("isdefault", .bool(false)))
        return .object(fields)
    }

    static func account(
        _ account: Account,
        users: [User],
        domain: Domain?,
        roleNames: [String: String] = [:]
    ) -> APIValue {
        .object([
            ("id", .string(account.id)), ("name", .string(account.name)),
            ("accounttype", .int(account.role.rawValue)), ("roleid", .string(account.roleId ?? account.role.roleId)),
            ("roletype", .string(account.role.typeName)),
            ("rolename", .string(account.roleId.flatMap { roleNames[$0] } ?? account.role.roleName)),
            ("domainid", .string(account.domainId)), ("domain", .string(domain?.name ?? "ROOT")),
            ("domainpath", .string(domain?.displayPath ?? "ROOT")), ("state", .string(account.state)),
            ("created", .string(DateFormat.string(account.created))),
            ("user", .array(users.map { Self.user($0, account: account, domain: domain, roleNames: roleNames) })),
        ])
    }

    /// Renders accounts with their users and domains (``AccountService/members(of:)``).
    static func render(_ accounts: [Account], core: CloudServices) async throws -> [APIValue] {
        guard !accounts.isEmpty else { return [] }
        let (users, domains) = try await core.accounts.members(of: accounts)
        let roleNames = try await core.roles.names(of: accounts.compactMap(\.roleId))
        return accounts.map {
            Self.account($0, users: users[$0.id] ?? [], domain: domains[$0.domainId], roleNames: roleNames)
        }
    }

    /// One account, rendered.
    static func render(_ account: Account, core: CloudServices) async throws -> APIValue {
        try await Self.render([account], core: core)[0]
    }

    /// One user, rendered with its account and domain.
    static func render(_ user: User, core: CloudServices) async throws -> APIValue {
        let (account, domain) = try await core.users.owner(of: user)
        let roleNames = try await core.roles.names(of: account.roleId.map { [$0] } ?? [])
        return Self.user(user, account: account, domain: domain, roleNames: roleNames)
    }

    /// The domains of `accounts`, by id.
    static func domains(of accounts: [Account], core: CloudServices) async throws -> [String: Domain] {
        try await core.domains(of: accounts)
    }

}
