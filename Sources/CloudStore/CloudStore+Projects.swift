import CloudModel
import SQLiteKit

extension Project: StoreRow { public static var table: String { "project" } }
extension ProjectMember: StoreRow { public static var table: String { "project_account" } }

extension CloudStore {
    /// Creates a project with its account and its creator as the project's admin, all or nothing.
    /// - Parameters:
    ///   - project: the project.
    ///   - account: its project account.
    /// - Throws: ``StoreError`` (``StoreError/Kind/duplicate`` when the domain has a project of that name).
    public func createProject(_ project: Project, account: Account) async throws(StoreError) {
        let owner = ProjectMember(projectId: project.id, accountId: project.ownerId, role: "Admin")
        try await self.transaction("create project") { session in
            try await session.insert(into: Account.table).model(account, keyEncodingStrategy: .convertToSnakeCase)
                .run()
            try await session.insert(into: Project.table).model(project, keyEncodingStrategy: .convertToSnakeCase)
                .run()
            try await session.insert(into: ProjectMember.table).model(owner, keyEncodingStrategy: .convertToSnakeCase)
                .run()
        }
    }

    /// The projects whose accounts are among `accountIds`, by account UUID.
    /// - Throws: ``StoreError``.
    public func projects(ofAccounts accountIds: [String]) async throws(StoreError) -> [String: Project] {
        let ids = Array(Set(accountIds))
        guard !ids.isEmpty else { return [:] }
        var query = ListQuery(idIn: ids)
        query.inColumn = "account_id"
        let projects = try await self.list(Project.self, query).items
        return Dictionary(projects.map { ($0.accountId, $0) }) { first, _ in first }
    }

    /// Whether an account is a member of a project.
    /// - Throws: ``StoreError``.
    public func isProjectMember(projectId: String, accountId: String) async throws(StoreError) -> Bool {
        try await self.guarded("read project membership") {
            try await self.sql.raw(
                """
                SELECT project_id FROM project_account WHERE project_id = \(bind: projectId) \
                AND account_id = \(bind: accountId)
                """
            ).first(decodingColumn: "project_id", as: String.self) != nil
        }
    }

    /// Whether `memberId` belongs to the project whose account is `projectAccountId`.
    /// - Throws: ``StoreError``.
    public func isMember(ofProjectAccount projectAccountId: String, memberId: String) async throws(StoreError) -> Bool {
        try await self.guarded("read project membership") {
            try await self.sql.raw(
                """
                SELECT project.id FROM project JOIN project_account ON project_account.project_id = project.id \
                WHERE project.account_id = \(bind: projectAccountId) AND project_account.account_id = \(bind: memberId)
                """
            ).first(decodingColumn: "id", as: String.self) != nil
        }
    }

    /// Adds an account to a project (a no-op when it is already a member).
    /// - Throws: ``StoreError``.
    public func addProjectMember(_ member: ProjectMember) async throws(StoreError) {
        try await self.guarded("add project member") {
            try await self.sql.raw(
                """
                INSERT INTO project_account (project_id, account_id, role) VALUES (\(bind: member.projectId), \
                \(bind: member.accountId), \(bind: member.role)) ON CONFLICT (project_id, account_id) DO NOTHING
                """
            ).run()
        }
    }

    /// Updates a project's display text, state and owner.
    /// - Throws: ``StoreError``.
    public func updateProject(_ project: Project) async throws(StoreError) {
        try await self.guarded("update project") {
            try await self.sql.raw(
                """
                UPDATE project SET display_text = \(bind: project.displayText), state = \(bind: project.state), \
                owner_id = \(bind: project.ownerId) WHERE id = \(bind: project.id)
                """
            ).run()
        }
    }

    /// Deletes a project's row, memberships, limits and guard (its account and resources are removed first).
    /// - Throws: ``StoreError``.
    public func deleteProject(_ project: Project) async throws(StoreError) {
        try await self.transaction("delete project") { session in
            try await session.raw("DELETE FROM project_account WHERE project_id = \(bind: project.id)").run()
            try await session.raw("DELETE FROM resource_limit WHERE owner_id = \(bind: project.accountId)").run()
            try await session.raw("DELETE FROM resource_guard WHERE owner_id = \(bind: project.accountId)").run()
            try await session.raw("DELETE FROM project WHERE id = \(bind: project.id)").run()
        }
    }
}

extension CloudStore {
    /// The projects an account is a member of, in creation order.
    /// - Throws: ``StoreError``.
    public func projectIds(memberId: String) async throws(StoreError) -> [String] {
        try await self.guarded("read project memberships") {
            try await self.sql.raw(
                "SELECT project_id FROM project_account WHERE account_id = \(bind: memberId)"
            ).all(decodingColumn: "project_id", as: String.self)
        }
    }

    /// The members of a project.
    /// - Throws: ``StoreError``.
    public func projectMembers(projectId: String) async throws(StoreError) -> [ProjectMember] {
        try await self.list(ProjectMember.self, ListQuery(equals: [("project_id", projectId)])).items
    }
}
