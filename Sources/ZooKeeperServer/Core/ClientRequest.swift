import NIOCore
import ZooKeeperProtocol

/// A request after the handshake, decoded by opcode.
enum ClientRequest: Hashable, Sendable {
    case write(WriteRequest)
    case exists(ExistsRequest)
    case getData(GetDataRequest)
    case getChildren(GetChildrenRequest, withStat: Bool)
    case getACL(GetACLRequest)
    case getAllChildrenNumber(GetAllChildrenNumberRequest)
    case getEphemerals(GetEphemeralsRequest)
    case sync(SyncRequest)
    case whoAmI
    case checkWatches(CheckWatchesRequest)
    case removeWatches(RemoveWatchesRequest)
    case addWatch(AddWatchRequest)
    case setWatches(SetWatchesRequest)
    case multiRead(MultiRequest)
    case ping
    case auth(AuthPacket)
    /// An opcode the server does not serve: Unimplemented (-6).
    case unknown
    /// An opcode after which 3.8.0 drops the connection (10, and a top-level check).
    case dropConnection

    /// Decodes a request body by its opcode.
    /// - Parameters:
    ///   - type: the header's opcode.
    ///   - body: the bytes after the header.
    /// - Returns: the request.
    /// - Throws: `JuteError` when the body is malformed; the connection then closes.
    static func decode(_ type: OpCode, _ body: ByteBuffer) throws(JuteError) -> ClientRequest {
        var body = body
        switch type {
        case .create, .create2, .createContainer:
            return .write(.create(try CreateRequest(from: &body), type))
        case .createTTL: return .write(.createTTL(try CreateTTLRequest(from: &body)))
        case .delete: return .write(.delete(try DeleteRequest(from: &body)))
        case .setData: return .write(.setData(try SetDataRequest(from: &body)))
        case .setACL: return .write(.setACL(try SetACLRequest(from: &body)))
        case .multi: return .write(.multi(try MultiRequest(from: &body)))
        case .reconfig:
            _ = try ReconfigRequest(from: &body)
            return .write(.reconfig)
        case .closeSession: return .write(.closeSession)
        case .exists: return .exists(try ExistsRequest(from: &body))
        case .getData: return .getData(try GetDataRequest(from: &body))
        case .getChildren: return .getChildren(try GetChildrenRequest(from: &body), withStat: false)
        case .getChildren2: return .getChildren(try GetChildrenRequest(from: &body), withStat: true)
        case .getACL: return .getACL(try GetACLRequest(from: &body))
        case .getAllChildrenNumber: return .getAllChildrenNumber(try GetAllChildrenNumberRequest(from: &body))
        case .getEphemerals: return .getEphemerals(try GetEphemeralsRequest(from: &body))
        case .sync: return .sync(try SyncRequest(from: &body))
        case .whoAmI: return .whoAmI
        case .checkWatches: return .checkWatches(try CheckWatchesRequest(from: &body))
        case .removeWatches: return .removeWatches(try RemoveWatchesRequest(from: &body))
        case .addWatch: return .addWatch(try AddWatchRequest(from: &body))
        case .setWatches, .setWatches2: return .setWatches(try SetWatchesRequest(from: &body))
        case .multiRead: return .multiRead(try MultiRequest(from: &body))
        case .ping: return .ping
        case .auth: return .auth(try AuthPacket(from: &body))
        case .check, OpCode(rawValue: 10): return .dropConnection
        default: return .unknown
        }
    }
}
