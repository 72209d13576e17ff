import CloudModel
import Orchestrator

extension UserVMService {
    /// The lines `getVirtualMachineConsoleOutput` returns by default.
    public static let consoleOutputDefaultLines = 100
    /// The most lines it returns.
    public static let consoleOutputMaxLines = 1000

    /// The tail of a running VM's serial console, for its owner (ZooStack's `getVirtualMachineConsoleOutput`; AWS's
    /// GetConsoleOutput, Nova's console log).
    /// - Parameters:
    ///   - access: the caller.
    ///   - id: the VM.
    ///   - lines: how many lines of the tail (nil: ``consoleOutputDefaultLines``).
    /// - Returns: the VM and the text.
    /// - Throws: 431 for a VM that is not Running or a bad `lines`, 531 for another's VM, 534 when its host cannot
    ///   answer (a simulated VM has no console).
    public func consoleOutput(
        _ access: Access,
        id: String,
        lines: Int?
    ) async throws -> (
        vm: VirtualMachine, output: String
    ) {
        let vm = try await access.virtualMachine(id: id)
        let lines = lines ?? Self.consoleOutputDefaultLines
        guard (1...Self.consoleOutputMaxLines).contains(lines) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "lines must be between 1 and \(Self.consoleOutputMaxLines)"
            )
        }
        guard vm.state == .running else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "VM \(vm.name) is not running (\(vm.state.rawValue)): it has no console output"
            )
        }
        return (vm, try await self.services.driver.consoleOutput(vm, lines: lines))
    }
}
