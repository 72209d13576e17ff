import CloudModel
import CloudStore
import Orchestrator

/// Removing accounts and domains with what they own: each VM is destroyed and expunged through the orchestrator
/// (releasing its capacity and addresses), then the rows go.
public enum AccountCleanup {
    /// Destroys and expunges every VM of `account`, then deletes its users and the account.
    /// - Parameters:
    ///   - account: the account.
    ///   - server: the services (the store and the VM lifecycle).
    /// - Throws: ``StoreError``, ``OrchestratorError``.
    public static func remove(_ account: Account, server: CloudServices) async throws {
        let vms = try await server.store.list(VirtualMachine.self, ListQuery(equals: [("account_id", account.id)]))
        for vm in vms.items {
            let service = server.virtualMachines
            switch vm.state {
            case .destroyed, .error: _ = try await service.expunge(id: vm.id)
            case .expunging: try await server.store.deleteVirtualMachine(id: vm.id)
            default: _ = try await service.destroy(id: vm.id, expunge: true)
            }
        }
        try await server.store.deleteStorage(ofAccount: account.id)
        try await server.store.deleteNetworkingResources(accountId: account.id)
        try await server.store.deleteAccount(id: account.id)
        // A project's account goes with its project (deleting a domain removes the projects in it).
        if Project.isProjectAccountName(account.name),
            let project = try await server.store.projects(ofAccounts: [account.id])[account.id]
        {
            try await server.store.deleteProject(project)
        }
    }

    /// Removes `domain`'s subtree: the accounts of every domain in it (deepest first), then the domains.
    /// - Parameters:
    ///   - domain: the domain.
    ///   - server: the services.
    /// - Throws: ``StoreError``, ``OrchestratorError``.
    public static func remove(_ domain: Domain, server: CloudServices) async throws {
        let subtree = try await server.store.list(
            Domain.self,
            ListQuery(domainScope: DomainScope(column: .domain("id"), path: domain.path, recursive: true))
        ).items
        for member in subtree.sorted(by: { $0.level > $1.level }) {
            let accounts = try await server.store.list(Account.self, ListQuery(equals: [("domain_id", member.id)]))
            for account in accounts.items { try await Self.remove(account, server: server) }
            try await server.store.deleteDomain(id: member.id)
        }
    }
}
