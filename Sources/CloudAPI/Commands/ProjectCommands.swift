import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Projects: createProject, listProjects, updateProject, deleteProject, addAccountToProject, listProjectAccounts,
/// suspendProject and activateProject.
/// A project's resources belong to its project account, which commands reach through `projectid`.
enum ProjectCommands {
    static var all: [CommandDescriptor] {
        [
            createProject, listProjects, updateProject, deleteProject, addAccountToProject, listProjectAccounts,
            suspendProject, activateProject,
        ]
    }

    /// The `project` object (ProjectResponse).
    static func render(_ project: Project, store: CloudStore) async throws -> APIValue {
        let owner = try await store.get(Account.self, id: project.ownerId)
        let domain = try await store.get(Domain.self, id: project.domainId)
        return .object([
            ("id", .string(project.id)), ("name", .string(project.name)),
            ("displaytext", .string(project.displayText)), ("domainid", .string(project.domainId)),
            ("domain", .string(domain?.name ?? "ROOT")), ("domainpath", .string(domain?.displayPath ?? "ROOT")),
            (
                "owner",
                .array([.object([("account", .string(owner?.name ?? "")), ("accountid", .string(project.ownerId))])])
            ),
            ("projectaccountname", .string(Project.accountName(project: project.name, id: project.id))),
            ("state", .string(project.state)), ("created", .string(DateFormat.string(project.created))),
            ("tags", .array([])),
        ])
    }

    /// Loads the project of `id` and checks the caller administers it: the root admin, a domain admin of its
    /// domain subtree, or the project's admin.
    static func administeredProject(_ context: CommandContext, _ parameter: String = "id") async throws -> Project {
        let project = try await context.entity(Project.self, parameter)
        if context.caller.role == .rootAdmin || project.ownerId == context.caller.account.id { return project }
        if context.caller.role == .domainAdmin,
            let domain = try await context.server.store.get(Domain.self, id: project.domainId),
            try await context.callerDomain().contains(domain)
        {
            return project
        }
        throw CommandContext.permissionDenied(
            "Account \(context.caller.account.name) does not have permission to operate on project \(project.id)"
        )
    }

    static let createProject = CommandDescriptor(
        "createProject",
        "Creates a project",
        isAsync: true,
        events: .records(CommandEvent(.projectCreate, "creating project", .project)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "name of the project"),
            ParameterDescriptor("displaytext", .string, "display text of the project"),
            ParameterDescriptor("account", .string, "account who will be Admin for the project"),
            ParameterDescriptor("domainid", .uuid, "domain ID of the account owning a project"),
        ]
    ) { context in
        let name = try context.required("name")
        let owner = try await context.targetAccount()
        let store = context.server.store
        let existing = try await store.list(
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
        let now = Timestamp.now
        let project = Project(
            id: id,
            name: name,
            displayText: context.string("displaytext") ?? name,
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
        try await context.server.limits.withReservation(for: owner, [.project: 1]) {
            try await store.createProject(project, account: account)
        }
        return try await context.submitJob(instanceType: "Project", instanceId: id, returnsId: true) {
            ("project", try await Self.render(project, store: store))
        }
    }

    static let listProjects = CommandDescriptor(
        "listProjects",
        "Lists projects and provides detailed information for listed projects",
        parameters: ListParameters.all + [
            ParameterDescriptor("displaytext", .string, "list projects by display text"),
            ParameterDescriptor("state", .string, "list projects by state"),
            ParameterDescriptor("account", .string, "list resources by account; must be used with domainId"),
            ParameterDescriptor("domainid", .uuid, "list only resources belonging to the domain specified"),
            ParameterDescriptor("isrecursive", .boolean, "also the domain's subdomains"),
        ]
    ) { context in
        let store = context.server.store
        var query = try context.listQuery()
        if let text = context.string("displaytext") { query.equals.append(("display_text", text)) }
        if let state = context.string("state") { query.equals.append(("state", state)) }
        let listAll = context.bool("listall") || context.bool("isrecursive")
        switch context.caller.role {
        case .rootAdmin where listAll || context.string("domainid") != nil:
            if context.string("domainid") != nil {
                let domain = try await context.accessibleDomain()
                query.domainScope = DomainScope(column: .domain("domain_id"), path: domain.path, recursive: listAll)
            }
        case .domainAdmin where listAll || context.string("domainid") != nil:
            let domain =
                context.string("domainid") != nil
                ? try await context.accessibleDomain() : try await context.callerDomain()
            query.domainScope = DomainScope(column: .domain("domain_id"), path: domain.path, recursive: true)
        default:
            let member =
                context.string("account") != nil
                ? try await context.namedAccount(context.required("account")) : context.caller.account
            query.idIn = try await store.projectIds(memberId: member.id)
            if let id = context.string("id") { query.idIn = query.idIn?.filter { $0 == id } }
        }
        let page = try await store.list(Project.self, query)
        var items: [APIValue] = []
        for project in page.items { items.append(try await Self.render(project, store: store)) }
        return .list(item: "project", total: page.total, items: items)
    }

    static let updateProject = CommandDescriptor(
        "updateProject",
        "Updates a project",
        isAsync: true,
        events: .records(CommandEvent(.projectUpdate, "updating project", .project)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "id of the project to be modified"),
            ParameterDescriptor("displaytext", .string, "display text of the project"),
        ]
    ) { context in
        var project = try await Self.administeredProject(context)
        if let text = context.string("displaytext") { project.displayText = text }
        let store = context.server.store
        try await store.updateProject(project)
        let updated = project
        return try await context.submitJob(instanceType: "Project", instanceId: project.id) {
            ("project", try await Self.render(updated, store: store))
        }
    }

    static let deleteProject = CommandDescriptor(
        "deleteProject",
        "Deletes a project",
        isAsync: true,
        events: .records(CommandEvent(.projectDelete, "deleting project", .project)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "id of the project to be deleted"),
            ParameterDescriptor("cleanup", .boolean, "true if all project resources have to be cleaned up"),
        ]
    ) { context in
        let project = try await Self.administeredProject(context)
        let server = context.server
        // CloudStack refuses a project with resources unless `cleanup=true` asks to remove them.
        if !context.bool("cleanup") {
            let usage = try await server.store.resourceUsage(
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
        return try await context.submitJob(instanceType: "Project", instanceId: project.id) {
            if let account = try await server.store.get(Account.self, id: project.accountId) {
                try await AccountCleanup.remove(account, server: server.core)
            }
            try await server.store.deleteProject(project)
            return ("success", .bool(true))
        }
    }

    static let addAccountToProject = CommandDescriptor(
        "addAccountToProject",
        "Adds account to a project",
        isAsync: true,
        events: .records(CommandEvent(.projectAccountAdd, "adding account to project", .project)),
        parameters: [
            ParameterDescriptor("projectid", .uuid, required: true, "ID of the project to add the account to"),
            ParameterDescriptor("account", .string, required: true, "name of the account to be added to the project"),
            ParameterDescriptor("roletype", .string, "Project role type: Admin or Regular (default)"),
        ]
    ) { context in
        let project = try await Self.administeredProject(context, "projectid")
        let name = try context.required("account")
        let found = try await context.server.store.list(
            Account.self,
            ListQuery(equals: [("domain_id", project.domainId), ("name", name)])
        )
        guard let account = found.items.first else {
            throw CloudError(.paramError, csErrorCode: 4350, "Unable to find account name \(name)")
        }
        let role = context.string("roletype")?.lowercased() == "admin" ? "Admin" : "Regular"
        try await context.server.store.addProjectMember(
            ProjectMember(projectId: project.id, accountId: account.id, role: role)
        )
        return try await context.submitJob(instanceType: "Project", instanceId: project.id) {
            ("success", .bool(true))
        }
    }

    static let listProjectAccounts = CommandDescriptor(
        "listProjectAccounts",
        "Lists project's accounts",
        parameters: [
            ParameterDescriptor("projectid", .uuid, required: true, "ID of the project"),
            ParameterDescriptor("account", .string, "list accounts of the project by account name"),
            ParameterDescriptor("role", .string, "list accounts of the project by role"),
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        let project = try await context.accessibleProject()
        let store = context.server.store
        var members = try await store.projectMembers(projectId: project.id)
        if let role = context.string("role") { members = members.filter { $0.role.lowercased() == role.lowercased() } }
        let accounts = try await store.list(Account.self, ListQuery(idIn: members.map(\.accountId))).items
        let byId = Dictionary(accounts.map { ($0.id, $0) }) { first, _ in first }
        var items: [APIValue] = []
        for member in members {
            guard let account = byId[member.accountId] else { continue }
            if let name = context.string("account"), account.name != name { continue }
            items.append(
                .object([
                    ("projectid", .string(project.id)), ("project", .string(project.name)),
                    ("accountid", .string(account.id)), ("account", .string(account.name)),
                    ("role", .string(member.role)), ("domainid", .string(account.domainId)),
                ])
            )
        }
        return .list(item: "projectaccount", total: items.count, items: items)
    }

    static let suspendProject = CommandDescriptor(
        "suspendProject",
        "Suspends a project",
        isAsync: true,
        events: .records(CommandEvent(.projectSuspend, "suspending project", .project)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "id of the project to be suspended")]
    ) { context in
        let project = try await Self.administeredProject(context)
        let server = context.server
        return try await context.submitJob(instanceType: "Project", instanceId: project.id) {
            var project = project
            // A suspended project's VMs are stopped and nothing new is created in it until it is activated.
            let vms = try await server.store.list(
                VirtualMachine.self,
                ListQuery(equals: [("account_id", project.accountId), ("state", VirtualMachineState.running.rawValue)])
            )
            for vm in vms.items { _ = try await server.virtualMachines.stop(id: vm.id, forced: false) }
            project.state = "Suspended"
            try await server.store.updateProject(project)
            return ("project", try await Self.render(project, store: server.store))
        }
    }

    static let activateProject = CommandDescriptor(
        "activateProject",
        "Activates a project",
        isAsync: true,
        events: .records(CommandEvent(.projectActivate, "activating project", .project)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "id of the project to be modified")]
    ) { context in
        var project = try await Self.administeredProject(context)
        project.state = "Active"
        let activated = project
        try await context.server.store.updateProject(activated)
        return try await context.submitJob(instanceType: "Project", instanceId: project.id) {
            ("project", try await Self.render(activated, store: context.server.store))
        }
    }
}
