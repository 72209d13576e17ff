import CloudModel
import CloudStore

/// Loading volumes, snapshots and the VMs storage operations act on, checked against the caller's reach.
extension Access {
    /// The volume with this UUID, when the caller may operate on it (CloudStack's checkAccess).
    /// - Parameters:
    ///   - id: the volume's UUID.
    ///   - parameter: the parameter it came in, for the error text.
    /// - Throws: 431 when unknown, 531 when out of the caller's reach.
    public func volume(id: String, parameter: String = "id") async throws -> Volume {
        guard let volume = try await self.store.get(Volume.self, id: id) else { throw self.unknown(parameter, id) }
        guard try await self.mayAccess(accountId: volume.accountId ?? "") else {
            throw Self.permissionDenied(
                "Account \(self.caller.account.name) does not have permission to operate on volume \(volume.id)"
            )
        }
        return volume
    }

    /// The snapshot with this UUID, when the caller may operate on it.
    /// - Throws: 431 when unknown, 531 when out of the caller's reach.
    public func snapshot(id: String, parameter: String = "id") async throws -> Snapshot {
        guard let snapshot = try await self.store.get(Snapshot.self, id: id) else {
            throw self.unknown(parameter, id)
        }
        guard try await self.mayAccess(accountId: snapshot.accountId) else {
            throw Self.permissionDenied(
                "Account \(self.caller.account.name) does not have permission to operate on snapshot \(snapshot.id)"
            )
        }
        return snapshot
    }

    /// The VM a volume or ISO operation acts on: not expunging, and in the caller's reach.
    /// - Throws: 431 when unknown or expunging, 531 when out of the caller's reach.
    public func storageVirtualMachine(id: String, parameter: String) async throws -> VirtualMachine {
        guard let vm = try await self.store.get(VirtualMachine.self, id: id) else { throw self.unknown(parameter, id) }
        guard vm.state != .expunging, try await self.mayAccess(accountId: vm.accountId) else {
            if vm.state == .expunging { throw self.unknown(parameter, vm.id) }
            throw Self.permissionDenied(
                "Account \(self.caller.account.name) does not have permission to operate on vm \(vm.id)"
            )
        }
        return vm
    }
}
