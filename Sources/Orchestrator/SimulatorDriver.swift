import CloudModel
import Synchronization

/// The simulator hypervisor: every operation succeeds after a configurable latency unless a failure is injected
/// (CloudStack's `configureSimulator`: a command name, a fault, and how many times it applies).
public final class SimulatorDriver: HypervisorDriver {
    /// An injected behaviour for one agent command.
    public struct Rule: Sendable, Hashable {
        /// Fail the command.
        public var fail: Bool
        /// Extra latency in milliseconds.
        public var delayMilliseconds: Int
        /// How many more times the rule applies; nil = forever.
        public var remaining: Int?

        /// Creates a rule.
        public init(fail: Bool, delayMilliseconds: Int = 0, remaining: Int? = nil) {
            self.fail = fail
            self.delayMilliseconds = delayMilliseconds
            self.remaining = remaining
        }
    }

    private let state: Mutex<(latency: Duration, rules: [String: Rule])>

    /// Creates a driver.
    /// - Parameter latency: the delay of every operation.
    public init(latency: Duration = .zero) {
        self.state = Mutex((latency, [:]))
    }

    /// Sets the base latency.
    /// - Parameter latency: the delay of every operation.
    public func setLatency(_ latency: Duration) {
        self.state.withLock { $0.latency = latency }
    }

    /// Installs (or with nil, removes) the rule for an agent command such as `StartCommand`.
    /// - Parameters:
    ///   - rule: the rule.
    ///   - command: the agent command name.
    public func configure(_ rule: Rule?, for command: String) {
        self.state.withLock { $0.rules[command] = rule }
    }

    /// Applies the base latency and the rule for an agent command (consuming one use of it), as before every
    /// simulated operation; an agent-aware driver calls it before forwarding the command to a real agent, so
    /// `configureSimulator` injects failures there too.
    /// - Parameter command: the agent command name, e.g. `StartCommand`.
    /// - Throws: ``OrchestratorError`` `.resourceUnavailable` when the rule fails the command.
    public func perform(_ command: String) async throws(OrchestratorError) {
        let (latency, rule) = self.state.withLock { state -> (Duration, Rule?) in
            guard var rule = state.rules[command] else { return (state.latency, nil) }
            if let remaining = rule.remaining {
                rule.remaining = remaining - 1
                state.rules[command] = remaining <= 1 ? nil : rule
            }
            return (state.latency, rule)
        }
        let delay = latency + .milliseconds(rule?.delayMilliseconds ?? 0)
        if delay > .zero { try? await Task.sleep(for: delay) }
        if rule?.fail == true {
            throw OrchestratorError(.resourceUnavailable, "\(command) failed on the simulator (injected)")
        }
    }

    public func start(_ vm: VirtualMachine, on host: Host) async throws(OrchestratorError) {
        try await self.perform("StartCommand")
    }

    public func stop(_ vm: VirtualMachine, forced: Bool) async throws(OrchestratorError) {
        try await self.perform("StopCommand")
    }

    public func reboot(_ vm: VirtualMachine) async throws(OrchestratorError) {
        try await self.perform("RebootCommand")
    }

    @discardableResult
    public func migrate(
        _ vm: VirtualMachine,
        from source: Host,
        to destination: Host
    ) async throws(OrchestratorError) -> MigrationFigures? {
        try await self.perform("MigrateCommand")
        return nil
    }

    public func scale(_ vm: VirtualMachine, cpuNumber: Int, cpuSpeed: Int, memory: Int) async throws(OrchestratorError)
    {
        try await self.perform("ScaleVmCommand")
    }
}
