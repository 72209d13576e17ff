import CloudModel
import Testing

struct HostStateMachineTests {
    /// CloudStack's `Status.s_fsm`, row by row (the `null` status is ``HostStatus/unknown``).
    static let table: [(HostStatus, HostStatusEvent, HostStatus)] = [
        (.unknown, .agentConnected, .connecting),
        (.creating, .agentConnected, .connecting),
        (.creating, .error, .error),
        (.connecting, .agentConnected, .connecting),
        (.connecting, .ready, .up),
        (.connecting, .pingTimeout, .alert),
        (.connecting, .shutdownRequested, .disconnected),
        (.connecting, .hostDown, .down),
        (.connecting, .ping, .connecting),
        (.connecting, .managementServerDown, .disconnected),
        (.connecting, .agentDisconnected, .alert),
        (.up, .pingTimeout, .alert),
        (.up, .agentDisconnected, .alert),
        (.up, .shutdownRequested, .disconnected),
        (.disconnected, .shutdownRequested, .disconnected),
        (.up, .hostDown, .down),
        (.up, .ping, .up),
        (.up, .agentConnected, .connecting),
        (.up, .managementServerDown, .disconnected),
        (.up, .startAgentRebalance, .rebalancing),
        (.up, .remove, .removed),
        (.disconnected, .pingTimeout, .alert),
        (.disconnected, .agentConnected, .connecting),
        (.disconnected, .ping, .up),
        (.disconnected, .hostDown, .down),
        (.disconnected, .managementServerDown, .disconnected),
        (.disconnected, .waitedTooLong, .alert),
        (.disconnected, .remove, .removed),
        (.disconnected, .agentDisconnected, .disconnected),
        (.down, .agentConnected, .connecting),
        (.down, .remove, .removed),
        (.down, .managementServerDown, .down),
        (.down, .agentDisconnected, .down),
        (.down, .pingTimeout, .down),
        (.down, .hostDown, .down),
        (.alert, .agentConnected, .connecting),
        (.alert, .ping, .up),
        (.alert, .remove, .removed),
        (.alert, .managementServerDown, .alert),
        (.alert, .agentDisconnected, .alert),
        (.alert, .shutdownRequested, .disconnected),
        (.alert, .hostDown, .down),
        (.rebalancing, .rebalanceFailed, .disconnected),
        (.rebalancing, .rebalanceCompleted, .connecting),
        (.rebalancing, .managementServerDown, .disconnected),
        (.rebalancing, .agentConnected, .connecting),
        (.rebalancing, .agentDisconnected, .rebalancing),
        (.error, .agentConnected, .connecting),
    ]

    @Test(arguments: Self.table)
    func legalEventsMoveAsCloudStackDoes(state: HostStatus, event: HostStatusEvent, next: HostStatus) {
        var machine = HostStateMachine(state: state)
        #expect(machine.handle(event) == .transition(from: state, to: next))
        #expect(machine.state == next)
    }

    @Test(arguments: HostStatus.allCases)
    func everyOtherEventIsRefused(state: HostStatus) {
        let legal = Set(Self.table.filter { $0.0 == state }.map(\.1))
        for event in HostStatusEvent.allCases where !legal.contains(event) {
            var machine = HostStateMachine(state: state)
            #expect(machine.handle(event) == .refuse(state: state, event: event), "\(state) \(event)")
            #expect(machine.state == state)
        }
    }

    @Test func removedIsFinal() {
        #expect(HostStatusEvent.allCases.allSatisfy { HostStateMachine.target(of: $0, from: .removed) == nil })
    }

    @Test func lostAgentThenHostDownThenReconnect() {
        var machine = HostStateMachine(state: .up)
        let actions = [
            machine.handle(.managementServerDown), machine.handle(.hostDown), machine.handle(.agentConnected),
            machine.handle(.ready),
        ]
        #expect(
            actions == [
                .transition(from: .up, to: .disconnected), .transition(from: .disconnected, to: .down),
                .transition(from: .down, to: .connecting), .transition(from: .connecting, to: .up),
            ]
        )
    }

    @Test func eventSequencesStopAtTheFirstRefusal() {
        #expect(HostStateMachine.target(of: [.agentConnected, .ready], from: .down) == .up)
        #expect(HostStateMachine.target(of: [.ready, .agentConnected], from: .down) == nil)
        #expect(HostStateMachine.target(of: [], from: .alert) == .alert)
    }

    /// The compare-and-set sources of host HA's three moves (`HostHAService`).
    @Test func sourcesOfHostHAMoves() {
        #expect(
            HostStateMachine.sources(of: [.managementServerDown], to: .disconnected)
                == [.connecting, .up, .rebalancing]
        )
        #expect(HostStateMachine.sources(of: [.hostDown], to: .down) == [.connecting, .up, .disconnected, .alert])
        #expect(
            HostStateMachine.sources(of: [.agentConnected, .ready], to: .up).filter(\.isAwaitingAgent)
                == [.down, .disconnected, .alert]
        )
        #expect(!HostStateMachine.sources(of: [.ping], to: .up).contains(.up))
    }

    @Test func awaitingAgentIsDownDisconnectedOrAlert() {
        #expect(Set(HostStatus.allCases.filter(\.isAwaitingAgent)) == [.down, .disconnected, .alert])
    }

    @Test func hostEntityReadsAndWritesTypedStates() {
        var host = Host(
            id: "h",
            name: "h",
            zoneId: "z",
            podId: "p",
            clusterId: "c",
            ipAddress: "10.0.0.1",
            hypervisor: "Simulator",
            cpuNumber: 1,
            cpuSpeed: 1000,
            memory: 1 << 30
        )
        #expect(host.status == .up && host.resourceStatus == .enabled)
        #expect(host.state == "Up" && host.resourceState == "Enabled")
        host.status = .disconnected
        host.resourceStatus = .prepareForMaintenance
        #expect(host.state == "Disconnected" && host.resourceState == "PrepareForMaintenance")
        host.state = "Sideways"
        host.resourceState = "Sideways"
        #expect(host.status == .unknown && host.resourceStatus == .error)
    }

    @Test func rawValuesAreCloudStacks() {
        #expect(
            HostStatus.allCases.map(\.rawValue) == [
                "Creating", "Connecting", "Up", "Down", "Disconnected", "Alert", "Removed", "Error", "Rebalancing",
                "Unknown",
            ]
        )
        #expect(
            HostResourceState.allCases.map(\.rawValue) == [
                "Creating", "Enabled", "Disabled", "ErrorInPrepareForMaintenance", "PrepareForMaintenance",
                "ErrorInMaintenance", "Maintenance", "Error", "Degraded",
            ]
        )
    }
}
