import CloudModel
import CloudStore

extension VirtualMachineService {
    func transition(
        id: String,
        _ event: VirtualMachineEvent,
        hostId: String? = nil,
        keepHost: Bool = false
    )
        async throws(OrchestratorError) -> VirtualMachine
    {
        let vm = try await self.load(id)
        return try await self.transition(vm, event, hostId: keepHost ? vm.hostId : hostId)
    }

    /// Applies `event` through the state machine and persists it with the `update_count` CAS.
    func transition(
        _ vm: VirtualMachine,
        _ event: VirtualMachineEvent,
        hostId: String?,
        sameState: Bool = false
    )
        async throws(OrchestratorError) -> VirtualMachine
    {
        var machine = VirtualMachineStateMachine(state: vm.state)
        let target: VirtualMachineState
        if sameState {
            target = vm.state
        } else {
            switch machine.handle(event) {
            case .transition(_, let to): target = to
            case .refuse(let state, let event):
                throw OrchestratorError(
                    .invalidParameter,
                    "Unable to perform \(event.rawValue) on VM \(vm.name): it is in \(state.rawValue) state"
                )
            }
        }
        let won = try await self.run {
            try await self.store.transitionVirtualMachine(
                id: vm.id,
                from: vm.state,
                to: target,
                updateCount: vm.updateCount,
                hostId: hostId
            )
        }
        guard won else {
            throw OrchestratorError(.internalError, "VM \(vm.name) changed state concurrently; retry")
        }
        var next = vm
        next.state = target
        next.hostId = hostId
        next.updateCount += 1
        return next
    }

    /// Runs store work, mapping store errors to orchestrator errors without internals.
    func run<T>(_ body: () async throws -> T) async throws(OrchestratorError) -> T {
        do {
            return try await body()
        } catch let error as OrchestratorError {
            throw error
        } catch let error as StoreError {
            switch error.kind {
            case .notFound: throw OrchestratorError(.insufficientCapacity, error.message)
            case .duplicate: throw OrchestratorError(.invalidParameter, error.message)
            case .database: throw OrchestratorError(.internalError, "Internal error executing command")
            }
        } catch {
            throw OrchestratorError(.internalError, "Internal error executing command")
        }
    }
}
