import CloudModel
import Testing

struct VirtualMachineStateMachineTests {
    @Test func deployStartsThenRuns() {
        var machine = VirtualMachineStateMachine(state: .stopped)
        #expect(machine.handle(.startRequested) == .transition(from: .stopped, to: .starting))
        #expect(machine.handle(.operationSucceeded) == .transition(from: .starting, to: .running))
        #expect(machine.state == .running)
    }

    @Test func stopDestroyRecoverExpunge() {
        var machine = VirtualMachineStateMachine(state: .running)
        let actions = [
            machine.handle(.stopRequested), machine.handle(.operationSucceeded),
            machine.handle(.destroyRequested), machine.handle(.recoveryRequested),
            machine.handle(.destroyRequested), machine.handle(.expungeOperation),
        ]
        #expect(
            actions == [
                .transition(from: .running, to: .stopping), .transition(from: .stopping, to: .stopped),
                .transition(from: .stopped, to: .destroyed), .transition(from: .destroyed, to: .stopped),
                .transition(from: .stopped, to: .destroyed), .transition(from: .destroyed, to: .expunging),
            ]
        )
    }

    @Test func failedStartFallsBackToStopped() {
        var machine = VirtualMachineStateMachine(state: .starting)
        #expect(machine.handle(.operationFailed) == .transition(from: .starting, to: .stopped))
    }

    @Test func failedMigrationReturnsToRunning() {
        var machine = VirtualMachineStateMachine(state: .running)
        _ = machine.handle(.migrationRequested)
        #expect(machine.handle(.operationFailed) == .transition(from: .migrating, to: .running))
    }

    @Test(arguments: [
        (VirtualMachineState.running, VirtualMachineEvent.startRequested),
        (.running, .destroyRequested),
        (.running, .recoveryRequested),
        (.stopped, .recoveryRequested),
        (.destroyed, .startRequested),
        (.expunging, .recoveryRequested),
        (.error, .startRequested),
    ])
    func illegalEventsAreRefused(state: VirtualMachineState, event: VirtualMachineEvent) {
        var machine = VirtualMachineStateMachine(state: state)
        #expect(machine.handle(event) == .refuse(state: state, event: event))
        #expect(machine.state == state)
    }

    @Test func capacityIsHeldOnlyWhileOnAHost() {
        let holding = VirtualMachineState.allCases.filter(\.holdsCapacity)
        #expect(Set(holding) == [.starting, .running, .stopping, .migrating])
    }
}
