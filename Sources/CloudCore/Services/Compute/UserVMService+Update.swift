import CloudModel
import CloudStore

/// updateVirtualMachine: the host and display names, the group, HA, user data, OS type, display flag and the
/// free-form details.
extension UserVMService {
    /// What updateVirtualMachine changes; nil leaves a setting as it is.
    public struct Update: Sendable, Hashable {
        /// The VM's UUID.
        public var id: String
        /// A new host name (the VM must be stopped).
        public var name: String?
        /// A new display name.
        public var displayName: String?
        /// The instance group to move the VM to (created when its account has none of that name); empty takes it
        /// out of its group.
        public var group: String?
        /// Whether HA is enabled.
        public var haEnable: Bool?
        /// New base64 user data.
        public var userData: String?
        /// The OS type's UUID.
        public var osTypeId: String?
        /// Whether the VM is shown to its owner.
        public var displayVm: Bool?
        /// Free-form details to set (reserved names are ignored).
        public var details: [String: String]
        /// Whether to remove the free-form details first.
        public var cleanupDetails: Bool

        /// Creates an update of the VM `id` that changes nothing yet.
        public init(id: String, details: [String: String] = [:], cleanupDetails: Bool = false) {
            self.id = id
            self.details = details
            self.cleanupDetails = cleanupDetails
        }
    }

    /// Updates a VM the caller may reach.
    /// - Returns: the VM as updated.
    /// - Throws: 431 for an invalid or taken name, a VM not stopped for a new name, or user data not in base64;
    ///   531 out of reach; 530 when the VM changed concurrently.
    public func update(_ access: Access, _ update: Update) async throws -> VirtualMachine {
        var vm = try await access.virtualMachine(id: update.id)
        let newName = update.name
        if let newName, newName != vm.name {
            guard vm.state == .stopped else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Vm \(vm.name) should be stopped to do the hostname update"
                )
            }
            try VirtualMachineNames.checkValid(newName)
            let networkIds = try await self.store.list(Nic.self, ListQuery(equals: [("vm_id", vm.id)])).items.map(
                \.networkId
            )
            let networks =
                networkIds.isEmpty ? [] : try await self.store.list(Network.self, ListQuery(idIn: networkIds)).items
            try await VirtualMachineNames.checkUnique(newName, on: networks, store: self.store)
        }
        if let userData = update.userData, !Self.isBase64(userData) {
            throw CloudError(.paramError, csErrorCode: 4350, "User data is not base64 encoded")
        }
        let displayName = update.displayName
        if newName != nil || displayName != nil {
            let name = newName ?? vm.name
            let display = displayName ?? (vm.displayName == vm.name && newName != nil ? name : vm.displayName)
            guard try await self.rename(vm, name: name, displayName: display) else {
                throw CloudError(
                    .internalError,
                    csErrorCode: 4250,
                    "VM \(vm.name) changed state concurrently; retry"
                )
            }
            vm.name = name
            vm.displayName = display
        }
        var details: [String: String?] = [:]
        if update.cleanupDetails {
            for (name, _) in try await self.store.details(of: vm.id) where !VMDetailNames.reserved.contains(name) {
                details[name] = .some(nil)
            }
        }
        for (name, value) in update.details where !VMDetailNames.reserved.contains(name) {
            details[name] = value
        }
        if let group = update.group {
            try await self.services.instanceGroups.assign(vm, toGroupNamed: group)
            details[VMDetailNames.group] = .some(nil)
        }
        if let haEnable = update.haEnable { details[VMDetailNames.haEnable] = String(haEnable) }
        if let userData = update.userData { details[VMDetailNames.userData] = userData }
        if let osType = update.osTypeId { details[VMDetailNames.osTypeId] = osType }
        if let displayVm = update.displayVm { details[VMDetailNames.displayVm] = String(displayVm) }
        try await self.store.setDetails(of: vm.id, details)
        return vm
    }

    /// Renames a VM; false when it changed concurrently.
    /// - Throws: 431 when the name is taken.
    func rename(_ vm: VirtualMachine, name: String, displayName: String) async throws -> Bool {
        do {
            return try await self.store.renameVirtualMachine(vm, name: name, displayName: displayName)
        } catch {
            guard error.kind == .duplicate else { throw error }
            throw CloudError(.paramError, csErrorCode: 4350, "VM with name \(name) already exists")
        }
    }

    /// Whether `text` has the shape of base64 (updateVirtualMachine's check).
    public static func isBase64(_ text: String) -> Bool {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
        return text.count % 4 == 0 && text.allSatisfy { allowed.contains($0) }
    }
}
