import CloudCore
import CloudModel

/// A command in the registry: its name, parameters, async-ness, the roles allowed, whether it needs the cluster's
/// coordination, the event it records, and its handler. Everything about a command is declared here, where the
/// command is; nothing is looked up by name elsewhere.
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
    /// Whether it is refused (530) while this management server cannot coordinate with the cluster (no ZooKeeper
    /// session): commands that change VMs, hosts or cluster-wide settings, which other management servers must be
    /// able to see or take over. Reads, and changes of plain inventory rows, are still served.
    public var isCoordinated: Bool
    /// What it leaves in the event log.
    public var events: EventRecording

    /// Creates a descriptor.
    /// - Parameters:
    ///   - name: the API name.
    ///   - description: one line.
    ///   - isAsync: whether it answers with a job id.
    ///   - roles: the roles allowed.
    ///   - coordinated: whether it is refused while this server cannot coordinate with the cluster.
    ///   - events: what it records in the event log; a command changing state names its event.
    ///   - parameters: the declared parameters.
    ///   - handler: the handler.
    public init(
        _ name: String,
        _ description: String,
        isAsync: Bool = false,
        roles: Set<Role> = Set(Role.allCases),
        coordinated: Bool = false,
        events: EventRecording = .readOnly,
        parameters: [ParameterDescriptor] = [],
        handler: @escaping Handler
    ) {
        self.name = name
        self.description = description
        self.isAsync = isAsync
        self.roles = roles
        self.isCoordinated = coordinated
        self.events = events
        self.parameters = parameters.map { parameter in
            var limited = parameter
            limited.length = ParameterLimits.length(of: parameter, in: name)
            limited.range = ParameterLimits.range(of: parameter)
            return limited
        }
        self.handler = handler
    }

    /// Validates `parameters` against the declarations, naming the offending parameter.
    /// - Parameter given: the request's parameters.
    /// - Throws: ``CloudError`` 431.
    func validate(_ given: APIParameters) throws(CloudError) {
        for parameter in self.parameters {
            guard let value = given[parameter.name] else {
                if parameter.required { throw .missingParameter(self.name, parameter.name) }
                continue
            }
            if parameter.required && value.isEmpty { throw .missingParameter(self.name, parameter.name) }
            if !value.isEmpty && parameter.invalid(value) {
                throw .invalidParameter(self.name, parameter.name, Self.quoted(value))
            }
            if parameter.tooLong(value) { throw .tooLong(parameter.name, parameter.maxLength) }
            if !value.isEmpty && parameter.outOfRange(value), let range = parameter.range {
                throw .outOfRange(self.name, parameter.name, value, range)
            }
        }
        try self.validateMaps(given)
        for (_, value) in given.pairs
        where value.unicodeScalars.contains(where: {
            ($0.value < 0x20 && ![9, 10, 13].contains($0.value)) || $0.value == 0x7F
        }) {
            throw CloudError(.paramError, csErrorCode: 4350, "Received value containing control characters")
        }
    }
}

extension CommandDescriptor {
    /// Checks the entries of map parameters (`tags[0].key=...`, `details[0].cpuNumber=...`): every field name at
    /// most ``ParameterLimits/mapKeyLength`` characters, every value at most the parameter's length.
    private func validateMaps(_ given: APIParameters) throws(CloudError) {
        let maps = self.parameters.filter { $0.kind == .map }
        guard !maps.isEmpty else { return }
        for (key, value) in given.pairs {
            let lowered = key.lowercased()
            guard let map = maps.first(where: { lowered.hasPrefix($0.name + "[") }) else { continue }
            let field = lowered.drop { $0 != "]" }.dropFirst().drop { $0 == "." }
            if field.utf16.count > ParameterLimits.mapKeyLength {
                throw .tooLong(map.name, ParameterLimits.mapKeyLength)
            }
            if value.utf16.count > map.maxLength { throw .tooLong(map.name, map.maxLength) }
        }
    }

    /// A value as quoted in an error text: at most 255 characters of it.
    static func quoted(_ value: String) -> String {
        value.utf16.count > ParameterDescriptor.defaultLength
            ? String(value.prefix(ParameterDescriptor.defaultLength)) + "..." : value
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
