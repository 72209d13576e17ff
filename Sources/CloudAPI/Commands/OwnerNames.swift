import CloudCore
import CloudModel

/// The `account`, `domainid` and `domain` fields of owned resources, loaded once per page.
struct OwnerNames {
    var accounts: [String: Account] = [:]
    var domains: [String: Domain] = [:]
    var projects = ProjectOwners()

    /// Loads the accounts (and their domains and projects) of a page of rows.
    static func load(_ accountIds: [String?], core: CloudServices) async throws -> OwnerNames {
        OwnerNames(try await core.owners(of: accountIds))
    }

    /// The owner fields of a row owned by `accountId` (the root domain's for unowned rows).
    func fields(_ accountId: String?) -> [(String, APIValue)] {
        let account = accountId.flatMap { self.accounts[$0] }
        let domain = account.flatMap { self.domains[$0.domainId] }
        var fields: [(String, APIValue)] = []
        if let account { fields += self.projects.ownerFields(account.id, accountName: account.name) }
        fields += [
            ("domainid", .string(account?.domainId ?? domain?.id ?? "")),
            ("domain", .string(domain?.name ?? "ROOT")),
        ]
        return fields
    }
}

extension OwnerNames {
    /// The names of owners the core loaded.
    init(_ owners: Owners) {
        self.init(
            accounts: owners.accounts,
            domains: owners.domains,
            projects: ProjectOwners(byAccount: owners.projects)
        )
    }
}
