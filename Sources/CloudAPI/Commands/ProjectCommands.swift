import CloudCore
import CloudModel

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
    static func render(_ project: Project, core: CloudServices) async throws -> APIValue {
        let (owner, domain) = try await core.projects.owner(of: project)
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
        let project = try await context.core.projects.create(
            context.access,
            owner: context.owner,
            name: try context.required("name"),
            displayText: context.string("displaytext")
        )
        let core = context.core
        return try await context.submitJob(instanceType: "Project", instanceId: project.id, returnsId: true) {
            ("project", try await Self.render(project, core: core))
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
        let page = try await context.core.projects.list(
            context.access,
            context.listRequest,
            ProjectService.Filters(displayText: context.string("displaytext"), state: context.string("state"))
        )
        var items: [APIValue] = []
        for project in page.items { items.append(try await Self.render(project, core: context.core)) }
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
        let project = try await context.core.projects.update(
            context.access,
            id: try context.required("id"),
            displayText: context.string("displaytext")
        )
        let core = context.core
        return try await context.submitJob(instanceType: "Project", instanceId: project.id) {
            ("project", try await Self.render(project, core: core))
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
        let projects = context.core.projects
        let project = try await projects.prepareDelete(
            context.access,
            id: try context.required("id"),
            cleanup: context.bool("cleanup")
        )
        return try await context.submitJob(instanceType: "Project", instanceId: project.id) {
            try await projects.delete(project)
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
        let project = try await context.core.projects.addMember(
            context.access,
            projectId: try context.required("projectid"),
            account: try context.required("account"),
            roleType: context.string("roletype")
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
        let (project, members) = try await context.core.projects.members(
            context.access,
            projectId: try context.required("projectid"),
            role: context.string("role"),
            account: context.string("account")
        )
        let items: [APIValue] = members.map { member, account in
            .object([
                ("projectid", .string(project.id)), ("project", .string(project.name)),
                ("accountid", .string(account.id)), ("account", .string(account.name)),
                ("role", .string(member.role)), ("domainid", .string(account.domainId)),
            ])
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
        let projects = context.core.projects
        let project = try await projects.administered(context.access, id: try context.required("id"))
        let core = context.core
        return try await context.submitJob(instanceType: "Project", instanceId: project.id) {
            let project = try await projects.suspend(project)
            return ("project", try await Self.render(project, core: core))
        }
    }

    static let activateProject = CommandDescriptor(
        "activateProject",
        "Activates a project",
        isAsync: true,
        events: .records(CommandEvent(.projectActivate, "activating project", .project)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "id of the project to be modified")]
    ) { context in
        let project = try await context.core.projects.activate(context.access, id: try context.required("id"))
        let core = context.core
        return try await context.submitJob(instanceType: "Project", instanceId: project.id) {
            ("project", try await Self.render(project, core: core))
        }
    }
}
