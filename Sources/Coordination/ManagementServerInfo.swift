#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A management server as the cluster sees it: the JSON of its ephemeral `/managementservers/ID` node, and
/// whether it is up (its node exists) or down (known elsewhere, e.g. in the database, but absent here).
public struct ManagementServerInfo: Hashable, Sendable, Codable {
    /// Up while its session lives, down when its node is absent.
    public enum State: String, Hashable, Sendable, Codable {
        /// Its ephemeral node exists.
        case up = "Up"
        /// Its ephemeral node is absent.
        case down = "Down"
    }

    /// The management server's id.
    public var id: String
    /// Where it is reached.
    public var address: String
    /// Its software version.
    public var version: String
    /// When it started.
    public var started: Date
    /// Up or down.
    public var state: State
    /// The fencing epoch it published while leading; nil when it does not lead (or did not say).
    public var leaderEpoch: Int32?
    /// The version of the live configuration it has applied (``Coordinator/configurationVersion``), once
    /// published.
    public var configurationVersion: Int64?

    /// Makes a value.
    /// - Parameters:
    ///   - id: the id.
    ///   - address: the address.
    ///   - version: the version.
    ///   - started: when it started.
    ///   - state: up or down.
    public init(id: String, address: String, version: String, started: Date, state: State = .up) {
        self.id = id
        self.address = address
        self.version = version
        self.started = started
        self.state = state
    }

    private enum CodingKeys: String, CodingKey {
        case id, address, version, started, leaderEpoch, configurationVersion
    }

    /// Decodes the node's JSON; the state is `.up` (the node exists).
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(String.self, forKey: .id)
        self.address = try container.decode(String.self, forKey: .address)
        self.version = try container.decode(String.self, forKey: .version)
        self.started = try container.decode(Date.self, forKey: .started)
        self.leaderEpoch = try container.decodeIfPresent(Int32.self, forKey: .leaderEpoch)
        self.configurationVersion = try container.decodeIfPresent(Int64.self, forKey: .configurationVersion)
        self.state = .up
    }

    /// Encodes the node's JSON `{id, address, version, started}`, with `leaderEpoch` and `configurationVersion`
    /// when set.
    /// - Parameter encoder: the encoder.
    /// - Throws: `EncodingError`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.address, forKey: .address)
        try container.encode(self.version, forKey: .version)
        try container.encode(self.started, forKey: .started)
        try container.encodeIfPresent(self.leaderEpoch, forKey: .leaderEpoch)
        try container.encodeIfPresent(self.configurationVersion, forKey: .configurationVersion)
    }

    /// Every management server with its state: the live ones up, and each `known` one without a live node down
    /// (for listManagementServers, with `known` from the database).
    /// - Parameters:
    ///   - live: the live servers (from ``Coordinator/members()``).
    ///   - known: servers known to have existed, in any state.
    /// - Returns: all of them, sorted by id.
    public static func merged(live: [ManagementServerInfo], known: [ManagementServerInfo]) -> [ManagementServerInfo] {
        var byId: [String: ManagementServerInfo] = [:]
        for var server in known {
            server.state = .down
            byId[server.id] = server
        }
        for server in live { byId[server.id] = server }
        return byId.values.sorted { $0.id < $1.id }
    }
}

/// The JSON coding the coordination layer uses for node data (ISO 8601 dates, sorted keys).
enum NodeJSON {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(data))
    }
}
