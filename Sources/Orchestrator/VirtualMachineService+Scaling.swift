import CloudModel
import CloudStore

extension VirtualMachineService {
    /// CPU and memory for a VM: an offering's, or a customized offering's with the deployer's values.
    public struct Sizing: Sendable, Hashable {
        /// Cores.
        public var cpuNumber: Int
        /// MHz per core.
        public var cpuSpeed: Int
        /// MiB.
        public var memory: Int

        /// Creates a sizing.
        public init(cpuNumber: Int, cpuSpeed: Int, memory: Int) {
            self.cpuNumber = cpuNumber
            self.cpuSpeed = cpuSpeed
            self.memory = memory
        }
    }

    /// Refuses a change to the offering a VM already has (unless it is customized and the size changes).
    static func checkCanUpgrade(
        _ vm: VirtualMachine,
        to offering: ServiceOffering,
        _ sizing: Sizing
    )
        throws(OrchestratorError)
    {
        let sameSize = sizing == Sizing(cpuNumber: vm.cpuNumber, cpuSpeed: vm.cpuSpeed, memory: vm.memory)
        if offering.id == vm.serviceOfferingId && (!offering.isCustomized || sameSize) {
            throw OrchestratorError(
                .invalidParameter,
                "Not upgrading vm \(vm.name) since it already has the requested service offering (\(offering.name))"
            )
        }
    }

    /// Changes the offering of a stopped VM (changeServiceForVirtualMachine); nothing is reserved until it starts.
    /// - Parameters:
    ///   - id: the VM.
    ///   - offering: the new offering.
    ///   - sizing: its CPU and memory (the deployer's values for a customized offering).
    /// - Returns: the VM.
    /// - Throws: ``OrchestratorError`` 431 unless the VM is Stopped.
    public func changeOffering(
        id: String,
        to offering: ServiceOffering,
        sizing: Sizing
    ) async throws(OrchestratorError)
        -> VirtualMachine
    {
        let vm = try await self.load(id)
        guard vm.state == .stopped else {
            throw OrchestratorError(
                .invalidParameter,
                "Unable to upgrade virtual machine \(vm.name) in state \(vm.state.rawValue); make sure the virtual machine is stopped"
            )
        }
        try Self.checkCanUpgrade(vm, to: offering, sizing)
        return try await self.resize(vm, offering, sizing)
    }

    /// Scales a VM (scaleVirtualMachine): a stopped VM takes the new offering; a running VM grows in place when
    /// its host has room for the difference, reserved with the host CAS before `ScaleVmCommand`. CloudStack only
    /// scales a running VM up.
    /// - Parameters:
    ///   - id: the VM.
    ///   - offering: the new offering.
    ///   - sizing: its CPU and memory.
    /// - Returns: the VM.
    /// - Throws: ``OrchestratorError`` (431 for a live scale-down or a bad state, 533 when the host lacks room).
    public func scale(
        id: String,
        to offering: ServiceOffering,
        sizing: Sizing
    ) async throws(OrchestratorError)
        -> VirtualMachine
    {
        let vm = try await self.load(id)
        try Self.checkCanUpgrade(vm, to: offering, sizing)
        switch vm.state {
        case .stopped:
            return try await self.resize(vm, offering, sizing)
        case .running:
            break
        case .starting, .stopping, .destroyed, .expunging, .migrating, .error, .unknown, .shutdown:
            throw OrchestratorError(
                .invalidParameter,
                "Unable to scale the vm \(vm.name) in state \(vm.state.rawValue); it must be Running or Stopped"
            )
        }
        if sizing.cpuSpeed < vm.cpuSpeed || sizing.memory < vm.memory || sizing.cpuNumber < vm.cpuNumber
            || sizing == Sizing(cpuNumber: vm.cpuNumber, cpuSpeed: vm.cpuSpeed, memory: vm.memory)
        {
            throw OrchestratorError(
                .invalidParameter,
                "Only scaling up the vm is supported, new service offering(speed=\(sizing.cpuSpeed),cpu=\(sizing.cpuNumber),memory=,\(sizing.memory)) should have at least one value(cpu/ram) greater than old value and no resource value less than older(speed=\(vm.cpuSpeed),cpu=\(vm.cpuNumber),memory=,\(vm.memory))"
            )
        }
        guard let hostId = vm.hostId else {
            throw OrchestratorError(.internalError, "VM \(vm.name) is Running without a host")
        }
        let cpuDelta = sizing.cpuNumber.saturatingMultiplied(by: sizing.cpuSpeed).saturatingSubtracting(vm.cpuDemand)
        let memoryDelta = sizing.memory.saturatingSubtracting(vm.memory).saturatingMultiplied(by: 1024 * 1024)
        let reserved = try await self.run {
            try await self.store.reserveCapacity(hostId: hostId, cpu: cpuDelta, memory: memoryDelta)
        }
        guard reserved else {
            throw OrchestratorError(.insufficientCapacity, "Unable to scale vm: \(vm.id) due to insufficient resources")
        }
        do throws(OrchestratorError) {
            try await self.driver.scale(
                vm,
                cpuNumber: sizing.cpuNumber,
                cpuSpeed: sizing.cpuSpeed,
                memory: sizing.memory
            )
            return try await self.resize(vm, offering, sizing)
        } catch {
            try? await self.store.releaseCapacity(hostId: hostId, cpu: cpuDelta, memory: memoryDelta)
            throw error
        }
    }

    /// Persists a new offering and size with the `update_count` compare-and-set.
    func resize(
        _ vm: VirtualMachine,
        _ offering: ServiceOffering,
        _ sizing: Sizing
    ) async throws(OrchestratorError)
        -> VirtualMachine
    {
        let won = try await self.run {
            try await self.store.resizeVirtualMachine(
                vm,
                offeringId: offering.id,
                cpuNumber: sizing.cpuNumber,
                cpuSpeed: sizing.cpuSpeed,
                memory: sizing.memory
            )
        }
        guard won else {
            throw OrchestratorError(.internalError, "VM \(vm.name) changed state concurrently; retry")
        }
        try await self.run {
            try await self.store.setDetails(
                of: vm.id,
                offering.isCustomized
                    ? [
                        "cpuNumber": String(sizing.cpuNumber), "cpuSpeed": String(sizing.cpuSpeed),
                        "memory": String(sizing.memory),
                    ] : ["cpuNumber": nil, "cpuSpeed": nil, "memory": nil]
            )
        }
        var next = vm
        next.serviceOfferingId = offering.id
        next.cpuNumber = sizing.cpuNumber
        next.cpuSpeed = sizing.cpuSpeed
        next.memory = sizing.memory
        next.updateCount += 1
        return next
    }
}
