import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Projects (CloudStack's `ProjectManager`): create, list, update, delete, suspend and activate; members in
/// ProjectService+Members.swift. A project's resources belong to its project account.
public struct ProjectService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// Filters of listProjects besides the request's.
    public struct Filters: Sendable {
        /// A display text.
        public var displayText: String?
        /// A state (`Active`, `Suspended`).
        public var state: String?

        /// Creates filters.
        public init(displayText: String?, state: String?) {
            self.displayText = displayText
            self.state = state
        }
    }

    /// Creates a project for its owner, within the owner's `project` limit (max.account.projects).
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - owner: the account that administers it (default: the caller).
    ///   - name: its name, unique in the owner's domain.
    ///   - displayText: its display text (default: the name).
    /// - Throws: 431 for a name taken or an unknown owner, 531 out of reach, 535 over the limit.
    public func create(
        _ access: Access,
        owner request: OwnerRequest,
        name: String,
        displayText: String?
    ) async throws -> Project {
        let owner = try await access.targetAccount(request)
        let existing = try await self.store.list(
            Project.self,
            ListQuery(equals: [("domain_id", owner.domainId), ("name", name)])
        )
        if !existing.items.isEmpty {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Project with name \(name) already exists in domain id=\(owner.domainId)"
            )
        }
        let id = UUID().uuidString.lowercased()
        let now = self.services.clock.now
        let project = Project(
            id: id,
            name: name,
            displayText: displayText ?? name,
            domainId: owner.domainId,
            accountId: UUID().uuidString.lowercased(),
            ownerId: owner.id,
            created: now
        )
        let account = Account(
            id: project.accountId,
            name: Project.accountName(project: name, id: id),
            domainId: owner.domainId,
            role: .user,
            created: now
        )
        // The project counts against its creator's `project` limit (max.account.projects).
        try await self.services.limits.withReservation(for: owner, [.project: 1]) {
            try await self.store.createProject(project, account: account)
        }
        return project
    }

    /// The projects the caller may see: an admin with `listAll`/`isRecursive` or `domainId` those of a domain
    /// (subtree), anyone else those it (or `account`) is a member of.
    /// - Throws: 431 for bad paging or unknown names, 531 out of reach.
    public func list(_ access: Access, _ request: ListRequest, _ filters: Filters) async throws -> ListPage<Project> {
        var query = try access.query(request)
        if let text = filters.displayText { query.equals.append(("display_text", text)) }
        if let state = filters.state { query.equals.append(("state", state)) }
        let listAll = request.listAll || request.isRecursive
        switch access.caller.role {
        case .rootAdmin where listAll || request.domainId != nil:
            if let domainId = request.domainId {
                let domain = try await access.domain(id: domainId)
                query.domainScope = DomainScope(column: .domain("domain_id"), path: domain.path, recursive: listAll)
            }
        case .domainAdmin where listAll || request.domainId != nil:
            let domain: Domain
            if let domainId = request.domainId {
                domain = try await access.domain(id: domainId)
            } else {
                domain = try await access.callerDomain()
            }
            query.domainScope = DomainScope(column: .domain("domain_id"), path: domain.path, recursive: true)
        default:
            let member =
                request.account != nil
                ? try await access.namedAccount(request.account ?? "", domainId: request.domainId)
                : access.caller.account
            query.idIn = try await self.store.projectIds(memberId: member.id)
            if let id = request.id { query.idIn = query.idIn?.filter { $0 == id } }
        }
        return try await self.store.list(Project.self, query)
    }

    /// The project with this UUID, checked that the caller administers it: the root admin, a domain admin of its
    /// domain subtree, or the project's admin.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - id: the project's UUID.
    ///   - parameter: the parameter it came in, for the error text.
    /// - Throws: 431 when unknown, 531 otherwise.
    public func administered(_ access: Access, id: String, parameter: String = "id") async throws -> Project {
        guard let project = try await self.store.get(Project.self, id: id) else {
            throw access.unknown(parameter, id)
        }
        if access.caller.role == .rootAdmin || project.ownerId == access.caller.account.id { return project }
        if access.caller.role == .domainAdmin,
            let domain = try await self.store.get(Domain.self, id: project.domainId),
            try await access.callerDomain().contains(domain)
        {
            return project
        }
        throw Access.permissionDenied(
            "Account \(access.caller.account.name) does not have permission to operate on project \(project.id)"
        )
    }

    /// Changes a project's display text.
    /// - Throws: as ``administered(_:id:parameter:)``.
    public func update(_ access: Access, id: String, displayText: String?) async throws -> Project {
        var project = try await self.administered(access, id: id)
        if let displayText { project.displayText = displayText }
        try await self.store.updateProject(project)
        return project
    }

    /// Checks a project can be deleted: CloudStack refuses a project with resources unless `cleanup` asks to
    /// remove them.
    /// - Returns: the project; delete it with ``delete(_:)``.
    /// - Throws: as ``administered(_:id:parameter:)``; 536 when it has resources.
    public func prepareDelete(_ access: Access, id: String, cleanup: Bool) async throws -> Project {
        let project = try await self.administered(access, id: id)
        if !cleanup {
            let usage = try await self.store.resourceUsage(
                [.userVM, .volume, .snapshot, .template, .publicIP, .network, .vpc],
                scope: .account(project.accountId)
            )
            if let (type, _) = usage.first(where: { $0.value > 0 }) {
                throw CloudError(
                    .resourceInUse,
                    csErrorCode: 4375,
                    "Project \(project.name) has resources (\(type.name)); delete them first or use cleanup=true"
                )
            }
        }
        return project
    }

    /// Deletes a project with its account and everything it owns (deleteProject's job).
    /// - Throws: ``StoreError``, ``OrchestratorError``.
    public func delete(_ project: Project) async throws {
        if let account = try await self.store.get(Account.self, id: project.accountId) {
            try await AccountCleanup.remove(account, server: self.services)
        }
        try await self.store.deleteProject(project)
    }

    /// Suspends a project (suspendProject's job): its VMs are stopped and nothing new is created in it until it
    /// is activated.
    /// - Parameter project: the project, from ``administered(_:id:parameter:)``.
    /// - Returns: the project in its new state.
    /// - Throws: ``StoreError``, ``OrchestratorError``.
    public func suspend(_ project: Project) async throws -> Project {
        var project = project
        let vms = try await self.store.list(
            VirtualMachine.self,
            ListQuery(equals: [("account_id", project.accountId), ("state", VirtualMachineState.running.rawValue)])
        )
        for vm in vms.items { _ = try await self.services.virtualMachines.stop(id: vm.id, forced: false) }
        project.state = "Suspended"
        try await self.store.updateProject(project)
        return project
    }

    /// Activates a project.
    /// - Throws: as ``administered(_:id:parameter:)``.
    public func activate(_ access: Access, id: String) async throws -> Project {
        var project = try await self.administered(access, id: id)
        project.state = "Active"
        try await self.store.updateProject(project)
        return project
    }

    /// A project's owner account and domain, for rendering.
    /// - Throws: ``StoreError``.
    public func owner(of project: Project) async throws -> (owner: Account?, domain: Domain?) {
        let owner = try await self.store.get(Account.self, id: project.ownerId)
        return (owner, try await self.store.get(Domain.self, id: project.domainId))
    }
}

extension CloudServices {
    /// Projects.
    public var projects: ProjectService { ProjectService(services: self) }
}
