/// The events that move a host between statuses (CloudStack's `Status.Event`).
public enum HostStatusEvent: String, Sendable, Hashable, CaseIterable {
    /// The agent connected.
    case agentConnected = "AgentConnected"
    /// The agent is behind on ping.
    case pingTimeout = "PingTimeout"
    /// The agent asked to shut down.
    case shutdownRequested = "ShutdownRequested"
    /// The agent disconnected.
    case agentDisconnected = "AgentDisconnected"
    /// The host was found to be down.
    case hostDown = "HostDown"
    /// A ping was received from the host.
    case ping = "Ping"
    /// The management server the agent was connected to went down.
    case managementServerDown = "ManagementServerDown"
    /// The agent did not reconnect on its own in time.
    case waitedTooLong = "WaitedTooLong"
    /// The host is removed.
    case remove = "Remove"
    /// The host is ready for commands.
    case ready = "Ready"
    /// A rebalance of the host's agent was requested.
    case requestAgentRebalance = "RequestAgentRebalance"
    /// A rebalance of the host's agent started.
    case startAgentRebalance = "StartAgentRebalance"
    /// The host's agent was rebalanced.
    case rebalanceCompleted = "RebalanceCompleted"
    /// The host's agent could not be rebalanced.
    case rebalanceFailed = "RebalanceFailed"
    /// An internal error happened.
    case error = "Error"
}
