import CloudModel
import CloudStore
import Orchestrator

/// The user VM operations above the VM lifecycle (CloudStack's `UserVmManagerImpl`): listing, the checks a command
/// makes before its job is queued, recovery, resizing, renaming, NICs, user data and migration. The lifecycle
/// itself (start, stop, ...) is Orchestrator's `VirtualMachineService` (``CloudServices/virtualMachines``).
///
/// ```swift
/// let vm = try await services.userVMs.prepareStop(access, id: vmId)
/// _ = try await services.virtualMachines.stop(id: vm.id, forced: false)
/// ```
public struct UserVMService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The filters of listVirtualMachines beyond paging and scope.
    public struct Filter: Sendable, Hashable {
        /// A state's name.
        public var state: String?
        /// A zone's UUID.
        public var zoneId: String?
        /// A host's UUID.
        public var hostId: String?
        /// A template's UUID.
        public var templateId: String?
        /// A service offering's UUID.
        public var serviceOfferingId: String?
        /// A network's UUID: the VMs with a NIC on it.
        public var networkId: String?
        /// An instance group's UUID: the VMs in it.
        public var groupId: String?

        /// Creates a filter; every field is optional.
        public init(
            state: String? = nil,
            zoneId: String? = nil,
            hostId: String? = nil,
            templateId: String? = nil,
            serviceOfferingId: String? = nil,
            networkId: String? = nil,
            groupId: String? = nil
        ) {
            self.networkId = networkId
            self.groupId = groupId
            self.state = state
            self.zoneId = zoneId
            self.hostId = hostId
            self.templateId = templateId
            self.serviceOfferingId = serviceOfferingId
        }
    }

    /// The VMs the caller may see (Expunging ones only when asked for by state), filtered by the request's tags,
    /// the networks of their NICs and their instance group.
    /// - Throws: 431 for bad paging or scope or an unknown network or group, 531 out of reach.
    public func list(_ access: Access, _ request: ListRequest, filter: Filter) async throws -> ListPage<VirtualMachine>
    {
        var filters: [(column: String, value: String)] = []
        for (value, column) in [
            (filter.state, "state"), (filter.zoneId, "zone_id"), (filter.hostId, "host_id"),
            (filter.templateId, "template_id"), (filter.serviceOfferingId, "service_offering_id"),
        ] {
            if let value { filters.append((column, value)) }
        }
        var query = try await access.scopedQuery(request, filters)
        if filter.state == nil { query.excludeStates = ["Expunging"] }
        query.tags = request.tags
        query.tagResourceType = "UserVm"
        if let networkId = filter.networkId {
            guard try await self.store.get(Network.self, id: networkId) != nil else {
                throw access.unknown("networkid", networkId)
            }
            var nics = ListQuery(equals: [("network_id", networkId)])
            nics.pageSize = nil
            query.narrow(toIds: try await self.store.list(Nic.self, nics).items.map(\.vmId))
        }
        if let groupId = filter.groupId {
            guard try await self.store.get(InstanceGroup.self, id: groupId) != nil else {
                throw access.unknown("groupid", groupId)
            }
            query.narrow(toIds: try await self.services.instanceGroups.members(of: groupId))
        }
        return try await self.store.list(VirtualMachine.self, query)
    }

    /// The VM as stored now, else `vm` (a job's result shows the VM after the job).
    /// - Throws: ``StoreError``.
    public func current(_ vm: VirtualMachine) async throws -> VirtualMachine {
        try await self.store.get(VirtualMachine.self, id: vm.id) ?? vm
    }

    /// The `hostid` of deploy and start: root admins only (CloudStack: "Parameter hostid can only be specified by
    /// a Root Admin"), a 431 for an unknown host.
    /// - Throws: 531 for other callers, 431 for an unknown host.
    public func explicitHostId(_ access: Access, _ hostId: String?) async throws -> String? {
        guard let hostId else { return nil }
        guard access.caller.role == .rootAdmin else {
            throw CloudError(
                .accountError,
                csErrorCode: 4365,
                "Parameter hostid can only be specified by a Root Admin, permission denied"
            )
        }
        guard try await self.store.get(Host.self, id: hostId) != nil else { throw access.unknown("hostid", hostId) }
        return hostId
    }

    /// The checks of startVirtualMachine before its job: the VM, its state, the explicit host.
    /// - Returns: the VM and the host to start it on, if one was named.
    /// - Throws: 431/531.
    public func prepareStart(
        _ access: Access,
        id: String,
        hostId: String?
    ) async throws -> (vm: VirtualMachine, hostId: String?) {
        let vm = try await access.virtualMachine(id: id)
        try Self.precheck(vm, .startRequested)
        return (vm, try await self.explicitHostId(access, hostId))
    }

    /// The checks of stopVirtualMachine before its job.
    /// - Throws: 431/531.
    public func prepareStop(_ access: Access, id: String) async throws -> VirtualMachine {
        let vm = try await access.virtualMachine(id: id)
        try Self.precheck(vm, .stopRequested)
        return vm
    }

    /// The checks of rebootVirtualMachine before its job: the VM must be running.
    /// - Throws: 431/531.
    public func prepareReboot(_ access: Access, id: String) async throws -> VirtualMachine {
        let vm = try await access.virtualMachine(id: id)
        guard vm.state == .running else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "VM \(vm.name) is not in Running state (\(vm.state.rawValue))"
            )
        }
        return vm
    }

    /// The checks of destroyVirtualMachine before its job: `expunge` is the root admin's, and the state must allow
    /// it (a destroyed VM only with `expunge`).
    /// - Throws: 431/531.
    public func prepareDestroy(_ access: Access, id: String, expunge: Bool) async throws -> VirtualMachine {
        let vm = try await access.virtualMachine(id: id)
        if expunge && access.caller.role != .rootAdmin {
            throw CloudError(.accountError, csErrorCode: 4365, "Parameter expunge can be passed by Admin only")
        }
        guard [.running, .stopped, .error, .destroyed].contains(vm.state), vm.state != .destroyed || expunge else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "VM \(vm.name) cannot be destroyed in state \(vm.state.rawValue)"
            )
        }
        return vm
    }

    /// The checks of expungeVirtualMachine before its job: the VM must be destroyed (or in error).
    /// - Throws: 431/531.
    public func prepareExpunge(_ access: Access, id: String) async throws -> VirtualMachine {
        let vm = try await access.virtualMachine(id: id)
        try Self.precheck(vm, .expungeOperation)
        guard vm.state == .destroyed || vm.state == .error else {
            throw CloudError(.paramError, csErrorCode: 4350, "Please destroy vm with id \(vm.id) first")
        }
        return vm
    }

    /// Recovers a destroyed VM, within its owner's limits (a recovered VM counts again; CloudStack checks the limits
    /// before recovering).
    /// - Returns: the recovered VM.
    /// - Throws: 431/531, 535 over a limit, the lifecycle's errors.
    public func recover(_ access: Access, id: String) async throws -> VirtualMachine {
        let vm = try await access.virtualMachine(id: id)
        try Self.precheck(vm, .recoveryRequested)
        return try await self.withinLimits(of: vm.accountId, [.userVM: 1, .cpu: vm.cpuNumber, .memory: vm.memory]) {
            try await self.services.virtualMachines.recover(id: vm.id)
        }
    }

    /// Refuses an illegal event at once (431), before a job is queued, as CloudStack's command checks do.
    /// - Throws: 431.
    public static func precheck(_ vm: VirtualMachine, _ event: VirtualMachineEvent) throws(CloudError) {
        guard VirtualMachineStateMachine.target(of: event, from: vm.state) != nil else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to perform \(event.rawValue) on VM \(vm.name): it is in \(vm.state.rawValue) state"
            )
        }
    }

    /// The user data recorded on a VM the caller may reach.
    /// - Throws: 431/531.
    public func userData(_ access: Access, vmId: String) async throws -> (vm: VirtualMachine, userData: String?) {
        let vm = try await access.virtualMachine(id: vmId, parameter: "virtualmachineid")
        return (vm, try await self.store.details(of: vm.id)[VMDetailNames.userData])
    }

    /// The resource limits over this core's store and settings.
    var limits: ResourceLimitService { self.services.limits }

    /// Runs `body`, which adds resources for the account `accountId`, within that account's limits (and its
    /// domains'); an unknown account has none.
    func withinLimits<T: Sendable>(
        of accountId: String,
        _ demands: [ResourceType: Int],
        _ body: () async throws -> T
    ) async throws -> T {
        guard let owner = try await self.store.get(Account.self, id: accountId) else { return try await body() }
        return try await self.limits.withReservation(for: owner, demands, body)
    }
}

extension CloudServices {
    /// The user VM operations above the VM lifecycle.
    public var userVMs: UserVMService { UserVMService(services: self) }
}
