import CloudModel
import CloudStore

/// Loading owned resources by UUID, checked against the caller's reach.
extension Access {
    /// The VM with this UUID, when the caller may operate on it.
    /// - Parameters:
    ///   - id: the VM's UUID.
    ///   - parameter: the parameter it came in, for the error text.
    /// - Throws: 431 when unknown, 531 when out of the caller's reach.
    public func virtualMachine(id: String, parameter: String = "id") async throws -> VirtualMachine {
        guard let vm = try await self.store.get(VirtualMachine.self, id: id) else { throw self.unknown(parameter, id) }
        if try await !self.mayAccess(accountId: vm.accountId) {
            throw CloudError(
                .accountError,
                csErrorCode: 4365,
                "Account \(self.caller.account.name) does not have permission to operate on VM \(vm.id)"
            )
        }
        return vm
    }
}
