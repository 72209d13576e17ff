/// CloudStack's virtual-machine state machine (`VirtualMachine.State.s_fsm`), as a value with no I/O.
///
/// Each event returns an ``Action``: either the transition to persist (with a compare-and-set on the row's
/// update counter) or a refusal, which the API reports as CloudStack does.
public struct VirtualMachineStateMachine: Sendable, Hashable {
    /// What the caller must do after an event.
    public enum Action: Sendable, Hashable {
        /// Persist the move `from` → `to`.
        case transition(from: VirtualMachineState, to: VirtualMachineState)
        /// The event is not legal in `state`; nothing changes.
        case refuse(state: VirtualMachineState, event: VirtualMachineEvent)
    }

    /// The current state.
    public private(set) var state: VirtualMachineState

    /// Creates a machine in `state`.
    /// - Parameter state: the VM's persisted state.
    public init(state: VirtualMachineState) {
        self.state = state
    }

    /// Applies `event`.
    /// - Parameter event: what happened.
    /// - Returns: the transition to persist, or a refusal.
    public mutating func handle(_ event: VirtualMachineEvent) -> Action {
        guard let next = Self.target(of: event, from: self.state) else {
            return .refuse(state: self.state, event: event)
        }
        let previous = self.state
        self.state = next
        return .transition(from: previous, to: next)
    }

    /// The state `event` leads to from `state`, or nil when the event is illegal there.
    /// - Parameters:
    ///   - event: the event.
    ///   - state: the state it happens in.
    /// - Returns: the next state, or nil.
    public static func target(of event: VirtualMachineEvent, from state: VirtualMachineState) -> VirtualMachineState? {
        switch state {
        case .stopped:
            switch event {
            case .startRequested: return .starting
            case .destroyRequested: return .destroyed
            case .expungeOperation: return .expunging
            case .operationFailedToError: return .error
            case .agentReportRunning: return .running
            case .stopRequested, .operationFailed, .agentReportStopped: return .stopped
            case .recoveryRequested, .migrationRequested, .operationSucceeded: return nil
            }
        case .starting:
            switch event {
            case .operationSucceeded, .agentReportRunning: return .running
            case .operationFailed, .agentReportStopped: return .stopped
            case .operationFailedToError: return .error
            case .startRequested: return .starting
            case .stopRequested, .destroyRequested, .recoveryRequested, .expungeOperation, .migrationRequested:
                return nil
            }
        case .running:
            switch event {
            case .stopRequested: return .stopping
            case .migrationRequested: return .migrating
            case .agentReportStopped: return .stopped
            case .agentReportRunning, .operationSucceeded: return .running
            case .startRequested, .destroyRequested, .recoveryRequested, .expungeOperation, .operationFailed,
                .operationFailedToError:
                return nil
            }
        case .stopping:
            switch event {
            case .operationSucceeded, .agentReportStopped: return .stopped
            case .operationFailed, .agentReportRunning: return .running
            case .stopRequested: return .stopping
            case .startRequested, .destroyRequested, .recoveryRequested, .expungeOperation, .migrationRequested,
                .operationFailedToError:
                return nil
            }
        case .migrating:
            switch event {
            case .operationSucceeded, .operationFailed, .agentReportRunning: return .running
            case .agentReportStopped: return .stopped
            case .migrationRequested: return .migrating
            case .startRequested, .stopRequested, .destroyRequested, .recoveryRequested, .expungeOperation,
                .operationFailedToError:
                return nil
            }
        case .destroyed:
            switch event {
            case .recoveryRequested: return .stopped
            case .expungeOperation: return .expunging
            case .destroyRequested: return .destroyed
            case .startRequested, .stopRequested, .migrationRequested, .operationSucceeded, .operationFailed,
                .operationFailedToError, .agentReportRunning, .agentReportStopped:
                return nil
            }
        case .error:
            switch event {
            case .expungeOperation: return .expunging
            case .destroyRequested: return .destroyed
            case .startRequested, .stopRequested, .recoveryRequested, .migrationRequested, .operationSucceeded,
                .operationFailed, .operationFailedToError, .agentReportRunning, .agentReportStopped:
                return nil
            }
        case .expunging:
            switch event {
            case .expungeOperation, .operationSucceeded, .operationFailed: return .expunging
            case .startRequested, .stopRequested, .destroyRequested, .recoveryRequested, .migrationRequested,
                .operationFailedToError, .agentReportRunning, .agentReportStopped:
                return nil
            }
        case .unknown, .shutdown:
            switch event {
            case .agentReportRunning: return .running
            case .agentReportStopped: return .stopped
            case .destroyRequested: return .destroyed
            case .startRequested, .stopRequested, .recoveryRequested, .expungeOperation, .migrationRequested,
                .operationSucceeded, .operationFailed, .operationFailedToError:
                return nil
            }
        }
    }
}
