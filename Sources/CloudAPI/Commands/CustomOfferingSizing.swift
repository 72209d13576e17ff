import CloudCore
import CloudModel

/// The offering of a request (the core's ``UserVMService`` checks it and the sizing a customized one gets from the
/// request's `details[0].cpuNumber`, `details[0].cpuSpeed` and `details[0].memory`).
enum CustomOfferingSizing {
    /// Loads the live (not deleted) offering named by `parameter`.
    /// - Throws: 431 naming the parameter.
    static func offering(
        _ context: CommandContext,
        _ parameter: String = "serviceofferingid"
    ) async throws
        -> ServiceOffering
    {
        try await context.core.userVMs.offering(
            context.access,
            id: try context.required(parameter),
            parameter: parameter
        )
    }
}
