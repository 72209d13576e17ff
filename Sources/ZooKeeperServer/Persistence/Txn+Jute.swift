import NIOCore
import ZooKeeperProtocol

// The log form of a txn: a type (Apache's opcodes) then the fields of the matching `txn` record of
// zookeeper.jute, with the owner, password and session id spelled out.
extension TxnHeader {
    func encode(to buffer: inout ByteBuffer) {
        buffer.writeJuteLong(self.sessionId)
        buffer.writeJuteInt(self.cxid)
        buffer.writeJuteLong(self.zxid)
        buffer.writeJuteLong(self.time)
    }

    init(from buffer: inout ByteBuffer) throws(JuteError) {
        self.init(
            sessionId: try buffer.readJuteLong(),
            cxid: try buffer.readJuteInt(),
            zxid: try buffer.readJuteLong(),
            time: try buffer.readJuteLong()
        )
    }
}

extension Txn {
    func encode(to buffer: inout ByteBuffer) {
        switch self {
        case .create(let path, let data, let acl, let owner, let parentCVersion):
            buffer.writeJuteInt(OpCode.create.rawValue)
            buffer.writeJuteString(path)
            buffer.writeJuteBuffer(data)
            buffer.writeJuteVector(acl)
            buffer.writeJuteLong(owner)
            buffer.writeJuteInt(parentCVersion)
        case .delete(let path):
            buffer.writeJuteInt(OpCode.delete.rawValue)
            buffer.writeJuteString(path)
        case .setData(let path, let data, let version):
            buffer.writeJuteInt(OpCode.setData.rawValue)
            buffer.writeJuteString(path)
            buffer.writeJuteBuffer(data)
            buffer.writeJuteInt(version)
        case .setACL(let path, let acl, let version):
            buffer.writeJuteInt(OpCode.setACL.rawValue)
            buffer.writeJuteString(path)
            buffer.writeJuteVector(acl)
            buffer.writeJuteInt(version)
        case .check(let path, let version):
            buffer.writeJuteInt(OpCode.check.rawValue)
            buffer.writeJuteString(path)
            buffer.writeJuteInt(version)
        case .createSession(let sessionId, let timeout, let password):
            buffer.writeJuteInt(OpCode.createSession.rawValue)
            buffer.writeJuteLong(sessionId)
            buffer.writeJuteInt(timeout)
            buffer.writeJuteBuffer(password)
        case .closeSession(let sessionId):
            buffer.writeJuteInt(OpCode.closeSession.rawValue)
            buffer.writeJuteLong(sessionId)
        case .multi(let txns):
            buffer.writeJuteInt(OpCode.multi.rawValue)
            buffer.writeJuteInt(Int32(txns.count))
            for txn in txns { txn.encode(to: &buffer) }
        case .error(let code):
            buffer.writeJuteInt(OpCode.error.rawValue)
            buffer.writeJuteInt(code.rawValue)
        }
    }

    init(from buffer: inout ByteBuffer) throws(JuteError) {
        let type = OpCode(rawValue: try buffer.readJuteInt())
        switch type {
        case .create:
            self = .create(
                path: try buffer.readJuteNonNullString(),
                data: try buffer.readJuteBuffer(),
                acl: try buffer.readJuteACLs() ?? [],
                ephemeralOwner: try buffer.readJuteLong(),
                parentCVersion: try buffer.readJuteInt()
            )
        case .delete:
            self = .delete(path: try buffer.readJuteNonNullString())
        case .setData:
            self = .setData(
                path: try buffer.readJuteNonNullString(),
                data: try buffer.readJuteBuffer(),
                version: try buffer.readJuteInt()
            )
        case .setACL:
            self = .setACL(
                path: try buffer.readJuteNonNullString(),
                acl: try buffer.readJuteACLs() ?? [],
                version: try buffer.readJuteInt()
            )
        case .check:
            self = .check(path: try buffer.readJuteNonNullString(), version: try buffer.readJuteInt())
        case .createSession:
            self = .createSession(
                sessionId: try buffer.readJuteLong(),
                timeout: try buffer.readJuteInt(),
                password: try buffer.readJuteBuffer() ?? []
            )
        case .closeSession:
            self = .closeSession(sessionId: try buffer.readJuteLong())
        case .multi:
            guard let count = try buffer.readJuteCount(minimumItemSize: 4) else {
                throw JuteError(.invalidValue("null multi"))
            }
            var txns: [Txn] = []
            for _ in 0..<count { txns.append(try Txn(from: &buffer)) }
            self = .multi(txns)
        case .error:
            self = .error(KeeperError.Code(rawValue: try buffer.readJuteInt()))
        default:
            throw JuteError(.invalidValue("txn type \(type.rawValue)"))
        }
    }
}
