import CloudModel
import CloudStore

/// A project's members (addAccountToProject, listProjectAccounts).
extension ProjectService {
    /// Adds an account of the project's domain to a project.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - projectId: the project's UUID.
    ///   - account: the account's name.
    ///   - roleType: `Admin` (case-insensitive) or anything else for `Regular`.
    /// - Returns: the project.
    /// - Throws: 431 for an unknown project or account, 531 when the caller does not administer the project.
    public func addMember(
        _ access: Access,
        projectId: String,
        account name: String,
        roleType: String?
    ) async throws -> Project {
        let project = try await self.administered(access, id: projectId, parameter: "projectid")
        let found = try await self.store.list(
            Account.self,
            ListQuery(equals: [("domain_id", project.domainId), ("name", name)])
        )
        guard let account = found.items.first else {
            throw CloudError(.paramError, csErrorCode: 4350, "Unable to find account name \(name)")
        }
        let role = roleType?.lowercased() == "admin" ? "Admin" : "Regular"
        try await self.store.addProjectMember(ProjectMember(projectId: project.id, accountId: account.id, role: role))
        return project
    }

    /// A project's members with their accounts, in the store's order.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - projectId: the project's UUID.
    ///   - role: a member role (case-insensitive).
    ///   - account: an account's name.
    /// - Returns: the project and its members.
    /// - Throws: 431 for an unknown project, 531 out of reach.
    public func members(
        _ access: Access,
        projectId: String,
        role: String?,
        account name: String?
    ) async throws -> (project: Project, members: [(member: ProjectMember, account: Account)]) {
        let project = try await access.project(id: projectId)
        var members = try await self.store.projectMembers(projectId: project.id)
        if let role { members = members.filter { $0.role.lowercased() == role.lowercased() } }
        let accounts = try await self.store.list(Account.self, ListQuery(idIn: members.map(\.accountId))).items
        let byId = Dictionary(accounts.map { ($0.id, $0) }) { first, _ in first }
        var found: [(member: ProjectMember, account: Account)] = []
        for member in members {
            guard let account = byId[member.accountId] else { continue }
            if let name, account.name != name { continue }
            found.append((member, account))
        }
        return (project, found)
    }
}
