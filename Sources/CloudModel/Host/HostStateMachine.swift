/// CloudStack's host status state machine (`Status.s_fsm`), as a value with no I/O.
///
/// Each event returns an ``Action``: either the transition to persist (with a compare-and-set on the statuses the
/// move is legal from) or a refusal. The status a host has before its first `AgentConnected` is ``HostStatus/unknown``
/// (CloudStack's `null`).
public struct HostStateMachine: Sendable, Hashable {
    /// What the caller must do after an event.
    public enum Action: Sendable, Hashable {
        /// Persist the move `from` → `to`.
        case transition(from: HostStatus, to: HostStatus)
        /// The event is not legal in `state`; nothing changes.
        case refuse(state: HostStatus, event: HostStatusEvent)
    }

    /// The current status.
    public private(set) var state: HostStatus

    /// Creates a machine in `state`.
    /// - Parameter state: the host's persisted status.
    public init(state: HostStatus) {
        self.state = state
    }

    /// Applies `event`.
    /// - Parameter event: what happened.
    /// - Returns: the transition to persist, or a refusal.
    public mutating func handle(_ event: HostStatusEvent) -> Action {
        guard let next = Self.target(of: event, from: self.state) else {
            return .refuse(state: self.state, event: event)
        }
        let previous = self.state
        self.state = next
        return .transition(from: previous, to: next)
    }

    /// The statuses, other than `target`, from which `events` (applied in order, each legal) lead to `target`: the
    /// statuses a compare-and-set may move from.
    /// - Parameters:
    ///   - events: the events, in order.
    ///   - target: the status they must end in.
    /// - Returns: the statuses, in declaration order.
    public static func sources(of events: [HostStatusEvent], to target: HostStatus) -> [HostStatus] {
        HostStatus.allCases.filter { state in
            state != target && Self.target(of: events, from: state) == target
        }
    }

    /// The status `events` lead to from `state`, applied in order, or nil when one of them is illegal on the way.
    /// - Parameters:
    ///   - events: the events, in order.
    ///   - state: the status the first happens in.
    /// - Returns: the final status, or nil.
    public static func target(of events: [HostStatusEvent], from state: HostStatus) -> HostStatus? {
        var current: HostStatus? = state
        for event in events {
            current = current.flatMap { Self.target(of: event, from: $0) }
        }
        return current
    }

    /// The status `event` leads to from `state`, or nil when the event is illegal there.
    /// - Parameters:
    ///   - event: the event.
    ///   - state: the status it happens in.
    /// - Returns: the next status, or nil.
    public static func target(of event: HostStatusEvent, from state: HostStatus) -> HostStatus? {
        switch state {
        case .creating:
            switch event {
            case .agentConnected: return .connecting
            case .error: return .error
            case .pingTimeout, .shutdownRequested, .agentDisconnected, .hostDown, .ping, .managementServerDown,
                .waitedTooLong, .remove, .ready, .requestAgentRebalance, .startAgentRebalance, .rebalanceCompleted,
                .rebalanceFailed:
                return nil
            }
        case .connecting:
            switch event {
            case .agentConnected, .ping: return .connecting
            case .ready: return .up
            case .pingTimeout, .agentDisconnected: return .alert
            case .shutdownRequested, .managementServerDown: return .disconnected
            case .hostDown: return .down
            case .waitedTooLong, .remove, .requestAgentRebalance, .startAgentRebalance, .rebalanceCompleted,
                .rebalanceFailed, .error:
                return nil
            }
        case .up:
            switch event {
            case .pingTimeout, .agentDisconnected: return .alert
            case .shutdownRequested, .managementServerDown: return .disconnected
            case .hostDown: return .down
            case .ping: return .up
            case .agentConnected: return .connecting
            case .startAgentRebalance: return .rebalancing
            case .remove: return .removed
            case .waitedTooLong, .ready, .requestAgentRebalance, .rebalanceCompleted, .rebalanceFailed, .error:
                return nil
            }
        case .disconnected:
            switch event {
            case .shutdownRequested, .managementServerDown, .agentDisconnected: return .disconnected
            case .pingTimeout, .waitedTooLong: return .alert
            case .agentConnected: return .connecting
            case .ping: return .up
            case .hostDown: return .down
            case .remove: return .removed
            case .ready, .requestAgentRebalance, .startAgentRebalance, .rebalanceCompleted, .rebalanceFailed, .error:
                return nil
            }
        case .down:
            switch event {
            case .agentConnected: return .connecting
            case .remove: return .removed
            case .managementServerDown, .agentDisconnected, .pingTimeout, .hostDown: return .down
            case .shutdownRequested, .ping, .waitedTooLong, .ready, .requestAgentRebalance, .startAgentRebalance,
                .rebalanceCompleted, .rebalanceFailed, .error:
                return nil
            }
        case .alert:
            switch event {
            case .agentConnected: return .connecting
            case .ping: return .up
            case .remove: return .removed
            case .managementServerDown, .agentDisconnected: return .alert
            case .shutdownRequested: return .disconnected
            case .hostDown: return .down
            case .pingTimeout, .waitedTooLong, .ready, .requestAgentRebalance, .startAgentRebalance,
                .rebalanceCompleted, .rebalanceFailed, .error:
                return nil
            }
        case .rebalancing:
            switch event {
            case .rebalanceFailed, .managementServerDown: return .disconnected
            case .rebalanceCompleted, .agentConnected: return .connecting
            case .agentDisconnected: return .rebalancing
            case .pingTimeout, .shutdownRequested, .hostDown, .ping, .waitedTooLong, .remove, .ready,
                .requestAgentRebalance, .startAgentRebalance, .error:
                return nil
            }
        case .error, .unknown:
            switch event {
            case .agentConnected: return .connecting
            case .pingTimeout, .shutdownRequested, .agentDisconnected, .hostDown, .ping, .managementServerDown,
                .waitedTooLong, .remove, .ready, .requestAgentRebalance, .startAgentRebalance, .rebalanceCompleted,
                .rebalanceFailed, .error:
                return nil
            }
        case .removed:
            switch event {
            case .agentConnected, .pingTimeout, .shutdownRequested, .agentDisconnected, .hostDown, .ping,
                .managementServerDown, .waitedTooLong, .remove, .ready, .requestAgentRebalance, .startAgentRebalance,
                .rebalanceCompleted, .rebalanceFailed, .error:
                return nil
            }
        }
    }
}
