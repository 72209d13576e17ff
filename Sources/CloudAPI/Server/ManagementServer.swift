import CloudCore
import CloudModel
import Foundation
import Logging
import Orchestrator
import Synchronization

/// The management server's API: the command registry, authentication and sessions, over the application core
/// (``CloudServices``) the commands use. Transport-free: ``APIRouter`` carries HTTP requests to ``handle(_:)``.
public final class ManagementServer: Sendable {
    /// `default.page.size`'s default; the setting itself is read through ``configuration``.
    public static let defaultPageSize = ListRequest.defaultPageSize
    /// The version this management server reports (`listManagementServers`, `listHosts`).
    public static let version = CloudServices.version

    /// The application core: the store and the services.
    public let core: CloudServices
    /// Login sessions.
    public var sessions: LoginSessions { self.core.loginSessions }
    /// Commands by lower-cased name.
    let registry: [String: CommandDescriptor]
    let logger: Logger
    /// Requests and their latency by command and status (rendered on `/metrics`).
    public let apiMetrics = APIMetrics()

    /// Creates the API over a wired core.
    /// - Parameters:
    ///   - core: the store and the services.
    ///   - logger: a logger.
    public init(core: CloudServices, logger: Logger) {
        self.core = core
        self.logger = logger
        var registry: [String: CommandDescriptor] = [:]
        for command in CommandCatalog.all {
            registry[command.name.lowercased()] = command
        }
        self.registry = registry
    }

    /// The registered commands, by name.
    public var commands: [CommandDescriptor] {
        self.registry.values.sorted { $0.name < $1.name }
    }

    /// Looks a command up by its case-sensitive API name (`command` is case-sensitive in CloudStack).
    func command(named name: String) -> CommandDescriptor? {
        guard let command = self.registry[name.lowercased()], command.name == name else { return nil }
        return command
    }

    /// Resolves a user id to a caller, refusing disabled users and accounts.
    func caller(userId: String) async throws -> Caller? {
        try await self.core.authentication.caller(userId: userId)
    }
}
