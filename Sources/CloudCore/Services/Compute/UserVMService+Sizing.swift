import CloudModel
import CloudStore
import Orchestrator

/// Offerings and the CPU and memory a VM gets from one: fixed values, or for a customized offering the
/// `details[0].cpuNumber`, `details[0].cpuSpeed` and `details[0].memory` of the request, range-checked; and the
/// resizes (scaleVirtualMachine, changeServiceForVirtualMachine).
extension UserVMService {
    /// The live (not deleted) offering with this UUID.
    /// - Parameters:
    ///   - access: the caller's access (for the error text).
    ///   - id: the offering's UUID.
    ///   - parameter: the parameter it came in.
    /// - Throws: 431 naming the parameter.
    public func offering(
        _ access: Access,
        id: String,
        parameter: String = "serviceofferingid"
    ) async throws
        -> ServiceOffering
    {
        guard let offering = try await self.store.get(ServiceOffering.self, id: id) else {
            throw access.unknown(parameter, id)
        }
        guard offering.removed == nil else { throw access.unknown(parameter, offering.id) }
        return offering
    }

    /// The sizing of `offering` for a request with these `details` (merged `details[N].*`).
    /// - Parameters:
    ///   - offering: the offering.
    ///   - details: the request's details, whose field names match case-insensitively.
    ///   - command: the operation's API name, for the error texts.
    /// - Throws: 431 naming a missing or malformed detail, or CloudStack's range error.
    public static func sizing(
        of offering: ServiceOffering,
        details: [String: String],
        command: String
    ) throws(CloudError) -> VirtualMachineService.Sizing {
        guard offering.isCustomized else {
            return .init(cpuNumber: offering.cpuNumber, cpuSpeed: offering.cpuSpeed, memory: offering.memory)
        }
        func value(_ field: String, fixed: Int) throws(CloudError) -> Int {
            if fixed > 0 { return fixed }
            let text = details.first { $0.key.lowercased() == field.lowercased() }?.value
            guard let text, !text.isEmpty else {
                throw CloudError.missingParameter(command, "details[0].\(field)")
            }
            // Java Integers, as CloudStack parses them: a larger value is malformed.
            guard let number = Int32(text).map(Int.init), number > 0 else {
                throw CloudError.invalidParameter(command, "details[0].\(field)", text)
            }
            return number
        }
        let cpuNumber = try value("cpuNumber", fixed: offering.cpuNumber)
        let cpuSpeed = try value("cpuSpeed", fixed: offering.cpuSpeed)
        let memory = try value("memory", fixed: offering.memory)
        let minCpu = offering.minCpuNumber ?? 1
        let maxCpu = offering.maxCpuNumber ?? Int(Int32.max)
        guard (minCpu...max(minCpu, maxCpu)).contains(cpuNumber) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Invalid cpu cores value, specify a value between \(minCpu) and \(maxCpu)"
            )
        }
        let minMemory = offering.minMemory ?? 1
        let maxMemory = offering.maxMemory ?? Int(Int32.max)
        guard (minMemory...max(minMemory, maxMemory)).contains(memory) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Invalid memory value, specify a value between \(minMemory) and \(maxMemory)"
            )
        }
        return .init(cpuNumber: cpuNumber, cpuSpeed: cpuSpeed, memory: memory)
    }

    /// A resize's target: the VM, the new offering and its sizing.
    public struct Resize: Sendable {
        /// The VM as it was checked.
        public var vm: VirtualMachine
        /// The new offering.
        public var offering: ServiceOffering
        /// What the VM gets from it.
        public var sizing: VirtualMachineService.Sizing
    }

    /// The checks of scaleVirtualMachine before its job: the VM, the offering and sizing, and a Running or Stopped
    /// VM. Run it with ``scale(_:)``.
    /// - Throws: 431/531.
    public func prepareScale(
        _ access: Access,
        id: String,
        offeringId: String,
        details: [String: String]
    ) async throws -> Resize {
        let resize = try await self.resize(access, id: id, offeringId: offeringId, details: details)
        let vm = resize.vm
        guard vm.state == .running || vm.state == .stopped else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to scale the vm \(vm.name) in state \(vm.state.rawValue); it must be Running or Stopped"
            )
        }
        return resize
    }

    /// Scales a VM (the job of scaleVirtualMachine), within its owner's limits for what it adds.
    /// - Throws: 535 over a limit; the lifecycle's errors.
    public func scale(_ resize: Resize) async throws {
        try await self.withinLimits(resize) {
            _ = try await self.services.virtualMachines.scale(
                id: resize.vm.id,
                to: resize.offering,
                sizing: resize.sizing
            )
        }
    }

    /// Changes a stopped VM's offering (changeServiceForVirtualMachine), within its owner's limits.
    /// - Returns: the changed VM.
    /// - Throws: 431/531, 535 over a limit; the lifecycle's errors.
    public func changeService(
        _ access: Access,
        id: String,
        offeringId: String,
        details: [String: String]
    ) async throws -> VirtualMachine {
        let resize = try await self.resize(access, id: id, offeringId: offeringId, details: details)
        return try await self.withinLimits(resize) {
            try await self.services.virtualMachines.changeOffering(
                id: resize.vm.id,
                to: resize.offering,
                sizing: resize.sizing
            )
        }
    }

    func resize(_ access: Access, id: String, offeringId: String, details: [String: String]) async throws -> Resize {
        let vm = try await access.virtualMachine(id: id)
        let offering = try await self.offering(access, id: offeringId)
        let sizing = try Self.sizing(of: offering, details: details, command: access.command)
        return Resize(vm: vm, offering: offering, sizing: sizing)
    }

    /// Runs a resize under the owner's CPU and memory limits for what it adds (CloudStack checks the increase).
    func withinLimits<T: Sendable>(_ resize: Resize, _ body: () async throws -> T) async throws -> T {
        let demands: [ResourceType: Int] = [
            .cpu: resize.sizing.cpuNumber.saturatingSubtracting(resize.vm.cpuNumber),
            .memory: resize.sizing.memory.saturatingSubtracting(resize.vm.memory),
        ]
        guard demands.values.contains(where: { $0 > 0 }),
            let owner = try await self.store.get(Account.self, id: resize.vm.accountId)
        else { return try await body() }
        return try await self.limits.withReservation(for: owner, demands, body)
    }
}
