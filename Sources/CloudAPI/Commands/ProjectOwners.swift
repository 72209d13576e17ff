import CloudCore
import CloudModel

/// The projects behind the owners of a page of rows: a resource a project owns answers with `project` and
/// `projectid` in place of its project account's name (CloudStack's `populateOwner`).
struct ProjectOwners {
    var byAccount: [String: Project] = [:]

    /// Loads the projects among `accounts` (``CloudServices/projects(behind:)``).
    static func load(_ accounts: some Sequence<Account>, core: CloudServices) async throws -> ProjectOwners {
        ProjectOwners(byAccount: try await core.projects(behind: accounts))
    }

    /// The owner fields for a row of `accountId`: `project`/`projectid` for a project's, else `account`.
    func ownerFields(_ accountId: String?, accountName: String) -> [(String, APIValue)] {
        if let project = accountId.flatMap({ self.byAccount[$0] }) {
            return [("project", .string(project.name)), ("projectid", .string(project.id))]
        }
        return [("account", .string(accountName))]
    }

    /// Replaces the `account` field of a rendered object with the project's fields when a project owns it.
    func decorate(_ object: inout APIValue, accountId: String?) {
        guard let project = accountId.flatMap({ self.byAccount[$0] }), case .object(let fields) = object else {
            return
        }
        var replaced: [(String, APIValue)] = []
        for (name, value) in fields {
            if name == "account" {
                replaced += [("project", .string(project.name)), ("projectid", .string(project.id))]
            } else {
                replaced.append((name, value))
            }
        }
        object = .object(replaced)
    }
}
