import CloudCore
import CloudModel
import Orchestrator

/// The CPU and memory a VM gets from an offering: fixed values, or for a customized offering the
/// `details[0].cpuNumber`, `details[0].cpuSpeed` and `details[0].memory` of the request, range-checked.
enum CustomOfferingSizing {
    /// Resolves the sizing of `offering` for the request in `context`.
    /// - Throws: 431 naming a missing detail, or CloudStack's range error.
    static func resolve(
        _ offering: ServiceOffering,
        _ context: CommandContext
    ) throws(CloudError)
        -> VirtualMachineService.Sizing
    {
        guard offering.isCustomized else {
            return .init(cpuNumber: offering.cpuNumber, cpuSpeed: offering.cpuSpeed, memory: offering.memory)
        }
        let details = context.detailsMap
        func value(_ field: String, fixed: Int) throws(CloudError) -> Int {
            if fixed > 0 { return fixed }
            guard let text = details.field(field), !text.isEmpty else {
                throw CloudError.missingParameter(context.command, "details[0].\(field)")
            }
            // Java Integers, as CloudStack parses them: a larger value is malformed.
            guard let number = Int32(text).map(Int.init), number > 0 else {
                throw CloudError.invalidParameter(context.command, "details[0].\(field)", text)
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

    /// Loads the live (not deleted) offering named by `parameter`.
    /// - Throws: 431 naming the parameter.
    static func offering(
        _ context: CommandContext,
        _ parameter: String = "serviceofferingid"
    ) async throws
        -> ServiceOffering
    {
        let offering = try await context.entity(ServiceOffering.self, parameter)
        guard offering.removed == nil else {
            throw CloudError.invalidParameter(context.command, parameter, offering.id)
        }
        return offering
    }
}
