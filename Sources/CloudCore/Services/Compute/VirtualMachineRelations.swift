import CloudModel
import CloudStore

/// What the responses of a page of VMs show besides the VMs (UserVmResponse): their zones, templates and ISOs,
/// offerings, owners, hosts, NICs, tags, details and groups, loaded with one query per related table, not one per
/// VM.
public struct VirtualMachineRelations: Sendable {
    /// Zones by UUID.
    public var zones: [String: Zone] = [:]
    /// Templates and attached ISOs by UUID.
    public var templates: [String: Template] = [:]
    /// Service offerings by UUID.
    public var offerings: [String: ServiceOffering] = [:]
    /// Owner accounts by UUID.
    public var accounts: [String: Account] = [:]
    /// The owners' domains by UUID.
    public var domains: [String: Domain] = [:]
    /// Projects by their project account's UUID.
    public var projects: [String: Project] = [:]
    /// Hosts by UUID (loaded only when they are shown).
    public var hosts: [String: Host] = [:]
    /// NICs by VM UUID.
    public var nics: [String: [Nic]] = [:]
    /// `UserVm` tags by VM UUID.
    public var tags: [String: [ResourceTag]] = [:]
    /// Details by VM UUID.
    public var details: [String: [String: String]] = [:]
    /// Security groups by VM UUID.
    public var securityGroups: [String: [SecurityGroup]] = [:]
    /// Affinity groups by VM UUID.
    public var affinityGroups: [String: [AffinityGroup]] = [:]
    /// The instance group of each VM in one, by VM UUID.
    public var instanceGroups: [String: InstanceGroup] = [:]
    /// The last measured counters of the running real VMs.
    public var stats: [String: VirtualMachineStats] = [:]
    /// The hypervisor of each VM deployed from an ISO (whose hypervisor is `None`), by VM UUID: its host's, else its
    /// root volume's pool's (CloudStack keeps the one it was deployed on in `vm_instance.hypervisor_type`).
    public var isoHypervisors: [String: String] = [:]

    /// Loads the relations of `vms`.
    /// - Parameters:
    ///   - vms: the page.
    ///   - showHost: whether the responses show hosts (admins').
    ///   - services: the core.
    /// - Throws: ``StoreError``.
    public static func load(
        _ vms: [VirtualMachine],
        showHost: Bool,
        services: CloudServices
    ) async throws -> VirtualMachineRelations {
        let store = services.store
        func load<Row: StoreRow>(_ type: Row.Type, _ ids: [String?], column: String = "id") async throws -> [Row] {
            let wanted = Array(Set(ids.compactMap { $0 }))
            guard !wanted.isEmpty else { return [] }
            var query = ListQuery(idIn: wanted)
            query.inColumn = column
            return try await store.list(Row.self, query).items
        }
        var relations = VirtualMachineRelations()
        relations.zones = Dictionary(try await load(Zone.self, vms.map(\.zoneId)).map { ($0.id, $0) }) { a, _ in a }
        relations.details = try await store.details(of: vms.map(\.id))
        let isoIds = vms.map { relations.details[$0.id]?[VMDetailNames.iso] }
        relations.templates = Dictionary(
            try await load(Template.self, vms.map(\.templateId) + isoIds).map { ($0.id, $0) }
        ) { a, _ in a }
        let fromISO = vms.filter { relations.templates[$0.templateId]?.format.uppercased() == "ISO" }
        if !fromISO.isEmpty { relations.isoHypervisors = try await Self.hypervisors(of: fromISO, store: store) }
        relations.offerings = Dictionary(
            try await load(ServiceOffering.self, vms.map(\.serviceOfferingId)).map { ($0.id, $0) }
        ) { a, _ in a }
        relations.accounts = Dictionary(try await load(Account.self, vms.map(\.accountId)).map { ($0.id, $0) }) {
            a,
            _ in a
        }
        relations.domains = try await services.domains(of: relations.accounts.values)
        relations.projects = try await services.projects(behind: relations.accounts.values)
        relations.hosts = Dictionary(try await load(Host.self, showHost ? vms.map(\.hostId) : []).map { ($0.id, $0) }) {
            a,
            _ in a
        }
        relations.nics = Dictionary(grouping: try await load(Nic.self, vms.map(\.id), column: "vm_id"), by: \.vmId)
        relations.tags = try await store.tags(of: vms.map(\.id), resourceType: "UserVm")
        try await relations.loadGroups(vms.map(\.id), store: store)
        relations.instanceGroups = try await services.instanceGroups.groups(ofVMs: vms.map(\.id))
        relations.stats = Dictionary(
            try await load(VirtualMachineStats.self, vms.filter { $0.state == .running }.map(\.id)).map { ($0.id, $0) }
        ) { first, _ in first }
        return relations
    }

    /// The hypervisors of VMs deployed from ISOs (a query for their root volumes, one for their hosts and pools).
    static func hypervisors(of vms: [VirtualMachine], store: CloudStore) async throws -> [String: String] {
        var query = ListQuery(idIn: vms.map(\.id))
        query.inColumn = "vm_id"
        let roots = try await store.list(Volume.self, query).items.filter { $0.type == "ROOT" }
        let hosts = try await StorageLookup.rows(store, Host.self, vms.map(\.hostId), \.id)
        let pools = try await StorageLookup.rows(store, StoragePool.self, roots.map(\.poolId), \.id)
        let poolHypervisors = try await VolumeOperations.poolHypervisors(Array(pools.values), store: store)
        var result: [String: String] = [:]
        for vm in vms {
            let root = roots.first { $0.vmId == vm.id }
            result[vm.id] =
                vm.hostId.flatMap { hosts[$0]?.hypervisor } ?? root?.poolId.flatMap { poolHypervisors[$0] }
        }
        return result
    }

    /// The security and affinity groups (two queries a page, two more only when some VM belongs to a group).
    mutating func loadGroups(_ vmIds: [String], store: CloudStore) async throws {
        guard !vmIds.isEmpty else { return }
        let security = try await store.members(.securityGroup, vmIds: vmIds)
        if !security.isEmpty {
            let groups = Dictionary(
                try await store.list(SecurityGroup.self, ListQuery(idIn: Array(Set(security.map(\.groupId))))).items.map
                {
                    ($0.id, $0)
                }
            ) { first, _ in first }
            for (groupId, vmId) in security {
                if let group = groups[groupId] { self.securityGroups[vmId, default: []].append(group) }
            }
        }
        let affinity = try await store.members(.affinityGroup, vmIds: vmIds)
        if !affinity.isEmpty {
            let groups = Dictionary(
                try await store.list(AffinityGroup.self, ListQuery(idIn: Array(Set(affinity.map(\.groupId))))).items.map
                {
                    ($0.id, $0)
                }
            ) { first, _ in first }
            for (groupId, vmId) in affinity {
                if let group = groups[groupId] { self.affinityGroups[vmId, default: []].append(group) }
            }
        }
    }
}

extension UserVMService {
    /// The relations of a page of VMs, for their responses.
    /// - Parameters:
    ///   - vms: the page.
    ///   - showHost: whether the responses show hosts (admins').
    /// - Throws: ``StoreError``.
    public func relations(of vms: [VirtualMachine], showHost: Bool) async throws -> VirtualMachineRelations {
        try await VirtualMachineRelations.load(vms, showHost: showHost, services: self.services)
    }
}
