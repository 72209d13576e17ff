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
    /// A SASL token: answered with an empty token, as a server with no SASL configured does.
    case sasl
    /// A multiRead that carries a write: MarshallingError with an empty multi body, as 3.8.0 answers.
    case invalidMultiRead
    /// An opcode the server does not serve: Unimplemented (-6), with zxid -1.
    case unknown
    /// A check outside a multi: 3.8.0 prepares it as a write (it takes a zxid), then drops the connection
    /// without a reply.
    case topLevelCheck(CheckVersionRequest)

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
        case .deleteContainer:
            // 3.8.0 reads the body as raw path bytes, not a jute string.
            return .write(.deleteContainer(path: String(decoding: body.readableBytesView, as: UTF8.self)))
        case .createSession: return .write(.invalid(.marshallingError))
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
        case .multiRead:
            let multi = try MultiRequest(from: &body)
            for op in multi.ops {
                switch op {
                case .getData, .getChildren: continue
                case .create, .createTTL, .delete, .setData, .check: return .invalidMultiRead
                }
            }
            return .multiRead(multi)
        case .ping: return .ping
        case .auth: return .auth(try AuthPacket(from: &body))
        case .sasl: return .sasl
        case .check: return .topLevelCheck(try CheckVersionRequest(from: &body))
        default: return .unknown
        }
    }
}
