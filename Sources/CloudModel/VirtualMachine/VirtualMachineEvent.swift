/// The events that move a virtual machine between states (CloudStack's `VirtualMachine.Event`).
public enum VirtualMachineEvent: String, Sendable, Hashable, CaseIterable {
    case startRequested = "StartRequested"
    case stopRequested = "StopRequested"
    case destroyRequested = "DestroyRequested"
    case recoveryRequested = "RecoveryRequested"
    case expungeOperation = "ExpungeOperation"
    case migrationRequested = "MigrationRequested"
    case operationSucceeded = "OperationSucceeded"
    case operationFailed = "OperationFailed"
    case operationFailedToError = "OperationFailedToError"
    case agentReportRunning = "AgentReportRunning"
    case agentReportStopped = "AgentReportStopped"
}
