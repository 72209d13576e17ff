import CloudModel

/// A command in the registry: its name, parameters, async-ness, the roles allowed, and its handler.
public struct CommandDescriptor: Sendable {
    /// The handler's type.
    public typealias Handler = @Sendable (CommandContext) async throws -> CommandResult

    /// The API name, e.g. `deployVirtualMachine`.
    public var name: String
    /// One-line description.
    public var description: String
    /// Whether it answers with a job id.
    public var isAsync: Bool
    /// Roles allowed to call it.
    public var roles: Set<Role>
    /// Declared parameters.
    public var parameters: [ParameterDescriptor]
    /// The handler.
    public var handler: Handler
    /// Whether it is refused (530) while this management server cannot coordinate with the cluster (no
    /// ZooKeeper session): set from ``ClusterCommands/coordinated`` when the registry is built.
    public var needsCoordination = false

    /// Creates a descriptor.
    public init(
        _ name: String,
        _ description: String,
        isAsync: Bool = false,
        roles: Set<Role> = Set(Role.allCases),
        parameters: [ParameterDescriptor] = [],
        handler: @escaping Handler
    ) {
        self.name = name
        self.description = description
        self.isAsync = isAsync
        self.roles = roles
        self.parameters = parameters
        self.handler = handler
    }

    /// Validates `parameters` against the declarations, naming the offending parameter.
    /// - Parameter given: the request's parameters.
    /// - Throws: ``CloudAPIError`` 431.
    func validate(_ given: APIParameters) throws(CloudAPIError) {
        for parameter in self.parameters {
            guard let value = given[parameter.name] else {
                if parameter.required { throw .missingParameter(self.name, parameter.name) }
                continue
            }
            if parameter.required && value.isEmpty { throw .missingParameter(self.name, parameter.name) }
            if !value.isEmpty && parameter.invalid(value) {
                throw .invalidParameter(self.name, parameter.name, value)
            }
        }
        for (_, value) in given.pairs
        where value.unicodeScalars.contains(where: {
            ($0.value < 0x20 && ![9, 10, 13].contains($0.value)) || $0.value == 0x7F
        }) {
            throw CloudAPIError(.paramError, csErrorCode: 4350, "Received value containing control characters")
        }
    }
}

/// The common list parameters (`BaseListCmd`).
enum ListParameters {
    static let all: [ParameterDescriptor] = [
        ParameterDescriptor("id", .uuid, "the ID of the resource"),
        ParameterDescriptor("ids", .list, "the IDs of the resources"),
        ParameterDescriptor("name", .string, "the name of the resource"),
        ParameterDescriptor("keyword", .string, "List by keyword"),
        ParameterDescriptor("page", .integer, "the page to return"),
        ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ParameterDescriptor("listall", .boolean, "list all resources the caller may see"),
    ]
}
