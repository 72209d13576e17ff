import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a command's long-lived parts (`serve`, `agent`, `zookeeper`) as one `ServiceGroup`: they start together,
/// and at SIGTERM or SIGINT they shut down gracefully in reverse order (list what others depend on first). One that
/// fails, or ends before the group shuts down, shuts the others down gracefully and fails the command.
/// - Parameters:
///   - services: the parts, each with its name (in errors).
///   - logger: the group's logger.
///   - ready: what to say once the group runs with its signal handlers in place (a "ready" line).
/// - Throws: the first part's error; ``ServiceStoppedError`` for a part that ended on its own.
package func runCommandServices(
    _ services: [(name: String, service: any Service)],
    logger: Logger,
    ready: (@Sendable () -> Void)? = nil
) async throws {
    var parts = services.map { part in
        ServiceGroupConfiguration.ServiceConfiguration(
            service: EssentialService(name: part.name, service: part.service),
            successTerminationBehavior: .gracefullyShutdownGroup,
            failureTerminationBehavior: .gracefullyShutdownGroup,
            serviceName: part.name
        )
    }
    if let ready {
        parts.append(ServiceGroupConfiguration.ServiceConfiguration(service: ReadyAnnouncement(announce: ready)))
    }
    let group = ServiceGroup(
        configuration: ServiceGroupConfiguration(
            services: parts,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
    )
    try await group.run()
}

/// Announces that a command is ready once its group runs: the group traps SIGTERM and SIGINT before it starts its
/// services, so a signal sent when the announcement is read stops the command gracefully instead of killing it.
struct ReadyAnnouncement: Service {
    let announce: @Sendable () -> Void

    func run() async throws {
        self.announce()
        try? await gracefulShutdown()
    }
}

/// A part of a command that must not end before its group shuts down.
struct EssentialService: Service {
    let name: String
    let service: any Service

    func run() async throws {
        try await self.service.run()
        guard Task.isShuttingDownGracefully || Task.isCancelled else { throw ServiceStoppedError(name: self.name) }
    }
}

/// A part of a command ended on its own, before its group shut down.
struct ServiceStoppedError: Error, CustomStringConvertible {
    /// The part.
    let name: String

    var description: String { "\(self.name) stopped unexpectedly" }
}
