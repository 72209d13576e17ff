import CloudModel
import CloudStore
import Orchestrator

/// migrateVirtualMachine and findHostsForMigration (the root admin's, as in CloudStack).
extension UserVMService {
    /// The checks of migrateVirtualMachine before its job: a migratable VM and, when named, a suitable host. Run it
    /// with the lifecycle's `migrate(id:to:)`.
    /// - Throws: 431 for an unknown VM or host; the lifecycle's refusals.
    public func prepareMigration(_ access: Access, vmId: String, hostId: String?) async throws -> VirtualMachine {
        guard let vm = try await self.store.get(VirtualMachine.self, id: vmId) else {
            throw access.unknown("virtualmachineid", vmId)
        }
        _ = try VirtualMachineService.checkMigratable(vm)
        if let hostId {
            guard let host = try await self.store.get(Host.self, id: hostId) else {
                throw access.unknown("hostid", hostId)
            }
            try VirtualMachineService.checkDestination(host, for: vm)
        }
        return vm
    }

    /// A page of the hosts a VM could migrate to, with the names their responses show.
    public struct MigrationHosts: Sendable {
        /// The page's hosts.
        public var hosts: [Host]
        /// How many hosts match in all.
        public var total: Int
        /// The UUIDs of the hosts suitable for the VM.
        public var suitable: Set<String>
        /// Every zone, by UUID.
        public var zones: [String: Zone]
        /// Every pod, by UUID.
        public var pods: [String: Pod]
        /// Every cluster, by UUID.
        public var clusters: [String: Cluster]
    }

    /// The hosts a VM could migrate to (findHostsForMigration), filtered by the request's keyword and paged.
    /// - Throws: 431 for an unknown VM or bad paging; the lifecycle's errors.
    public func hostsForMigration(
        _ access: Access,
        vmId: String,
        _ request: ListRequest
    ) async throws
        -> MigrationHosts
    {
        guard let vm = try await self.store.get(VirtualMachine.self, id: vmId) else {
            throw access.unknown("virtualmachineid", vmId)
        }
        let query = try access.query(request)
        let (hosts, suitable) = try await self.services.virtualMachines.hostsForMigration(id: vm.id)
        let matching = hosts.filter { host in
            guard let keyword = query.keyword, !keyword.isEmpty else { return true }
            return host.name.lowercased().contains(keyword.lowercased())
        }
        let size = query.pageSize ?? max(matching.count, 1)
        let page = Array(matching.dropFirst(ListQuery.offset(page: query.page, size: size)).prefix(max(0, size)))
        return MigrationHosts(
            hosts: page,
            total: matching.count,
            suitable: suitable,
            zones: Dictionary(try await self.store.list(Zone.self).items.map { ($0.id, $0) }) { first, _ in first },
            pods: Dictionary(try await self.store.list(Pod.self).items.map { ($0.id, $0) }) { first, _ in first },
            clusters: Dictionary(try await self.store.list(Cluster.self).items.map { ($0.id, $0) }) { first, _ in
                first
            }
        )
    }
}
