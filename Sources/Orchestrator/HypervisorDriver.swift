import CloudModel

/// What the orchestrator asks of a hypervisor: the agent commands of CloudStack (`StartCommand`, ...).
public protocol HypervisorDriver: Sendable {
    /// Creates and boots `vm` on `host`.
    /// - Throws: ``OrchestratorError`` when the agent reports failure.
    func start(_ vm: VirtualMachine, on host: Host) async throws(OrchestratorError)
    /// Stops `vm` (forced: power off).
    /// - Throws: ``OrchestratorError``.
    func stop(_ vm: VirtualMachine, forced: Bool) async throws(OrchestratorError)
    /// Reboots `vm`.
    /// - Throws: ``OrchestratorError``.
    func reboot(_ vm: VirtualMachine) async throws(OrchestratorError)
}
