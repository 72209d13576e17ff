import NIOCore

/// One operation of a multi (14) or multiRead (22) request (`Op`).
public enum MultiOp: Hashable, Sendable {
    /// create (1), create2 (15) or createContainer (19); the opcode says which response shape comes back.
    case create(CreateRequest, OpCode)
    /// createTTL (21).
    case createTTL(CreateTTLRequest)
    /// delete (2).
    case delete(DeleteRequest)
    /// setData (5).
    case setData(SetDataRequest)
    /// check (13): fails the multi unless the node has the version.
    case check(CheckVersionRequest)
    /// getData (4), multiRead only.
    case getData(GetDataRequest)
    /// getChildren (8), multiRead only.
    case getChildren(GetChildrenRequest)

    /// The op's opcode.
    public var opCode: OpCode {
        switch self {
        case .create(_, let op): op
        case .createTTL: .createTTL
        case .delete: .delete
        case .setData: .setData
        case .check: .check
        case .getData: .getData
        case .getChildren: .getChildren
        }
    }

    /// The path the op names.
    public var path: String {
        switch self {
        case .create(let r, _): r.path
        case .createTTL(let r): r.path
        case .delete(let r): r.path
        case .setData(let r): r.path
        case .check(let r): r.path
        case .getData(let r): r.path
        case .getChildren(let r): r.path
        }
    }

    /// The same op on another path (for chroot).
    /// - Parameter transform: maps the path.
    /// - Returns: the op with the new path.
    public func mapPath(_ transform: (String) -> String) -> MultiOp {
        switch self {
        case .create(var r, let op):
            r.path = transform(r.path)
            return .create(r, op)
        case .createTTL(var r):
            r.path = transform(r.path)
            return .createTTL(r)
        case .delete(var r):
            r.path = transform(r.path)
            return .delete(r)
        case .setData(var r):
            r.path = transform(r.path)
            return .setData(r)
        case .check(var r):
            r.path = transform(r.path)
            return .check(r)
        case .getData(var r):
            r.path = transform(r.path)
            return .getData(r)
        case .getChildren(var r):
            r.path = transform(r.path)
            return .getChildren(r)
        }
    }
}

/// A multi or multiRead request (`MultiOperationRecord`): each op behind a MultiHeader, then the terminator.
public struct MultiRequest: JuteRecord, Hashable {
    /// The ops, in order.
    public var ops: [MultiOp]

    /// Makes a multi request.
    public init(ops: [MultiOp]) { self.ops = ops }

    /// Reads a multi request.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes or an op type a multi may not carry.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        var ops: [MultiOp] = []
        while true {
            let header = try MultiHeader(from: &buffer)
            if header.done { break }
            switch header.type {
            case .create, .create2, .createContainer:
                ops.append(.create(try CreateRequest(from: &buffer), header.type))
            case .createTTL: ops.append(.createTTL(try CreateTTLRequest(from: &buffer)))
            case .delete: ops.append(.delete(try DeleteRequest(from: &buffer)))
            case .setData: ops.append(.setData(try SetDataRequest(from: &buffer)))
            case .check: ops.append(.check(try CheckVersionRequest(from: &buffer)))
            case .getData: ops.append(.getData(try GetDataRequest(from: &buffer)))
            case .getChildren: ops.append(.getChildren(try GetChildrenRequest(from: &buffer)))
            default: throw JuteError(.invalidValue("multi op type \(header.type.rawValue)"))
            }
        }
        self.ops = ops
    }

    /// Writes a multi request.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        for op in self.ops {
            MultiHeader(type: op.opCode, done: false, err: -1).encode(to: &buffer)
            switch op {
            case .create(let r, _): r.encode(to: &buffer)
            case .createTTL(let r): r.encode(to: &buffer)
            case .delete(let r): r.encode(to: &buffer)
            case .setData(let r): r.encode(to: &buffer)
            case .check(let r): r.encode(to: &buffer)
            case .getData(let r): r.encode(to: &buffer)
            case .getChildren(let r): r.encode(to: &buffer)
            }
        }
        MultiHeader.terminator.encode(to: &buffer)
    }
}

/// One result of a multi or multiRead reply (`OpResult`).
public enum MultiResult: Hashable, Sendable {
    /// A create (1): the actual path.
    case create(path: String)
    /// A create2, createContainer or createTTL: the path and Stat, with the op's type.
    case create2(path: String, stat: Stat, type: OpCode)
    /// A delete.
    case delete
    /// A setData: the new Stat.
    case setData(stat: Stat)
    /// A check.
    case check
    /// A getData (multiRead).
    case getData(data: [UInt8]?, stat: Stat)
    /// A getChildren (multiRead).
    case getChildren(children: [String])
    /// An op that failed, or was rolled back (code 0 for ops before the failure, -2 after it).
    case error(KeeperError.Code)

    /// The error code of an error result, else nil.
    public var errorCode: KeeperError.Code? {
        if case .error(let code) = self { return code }
        return nil
    }
}

/// A multi or multiRead reply (`MultiResponse`).
public struct MultiResponse: JuteRecord, Hashable {
    /// The results, one per op.
    public var results: [MultiResult]

    /// Makes a reply.
    public init(results: [MultiResult]) { self.results = results }

    /// Reads a reply.
    /// - Parameter buffer: the bytes.
    /// - Throws: `JuteError` on malformed bytes or an unknown result type.
    public init(from buffer: inout ByteBuffer) throws(JuteError) {
        var results: [MultiResult] = []
        while true {
            let header = try MultiHeader(from: &buffer)
            if header.done { break }
            switch header.type {
            case .create: results.append(.create(path: try buffer.readJuteNonNullString()))
            case .create2, .createTTL, .createContainer:
                let r = try Create2Response(from: &buffer)
                results.append(.create2(path: r.path, stat: r.stat, type: header.type))
            case .delete: results.append(.delete)
            case .check: results.append(.check)
            case .setData: results.append(.setData(stat: try Stat(from: &buffer)))
            case .getData:
                let r = try GetDataResponse(from: &buffer)
                results.append(.getData(data: r.data, stat: r.stat))
            case .getChildren: results.append(.getChildren(children: try buffer.readJuteStrings() ?? []))
            case .error: results.append(.error(KeeperError.Code(rawValue: try buffer.readJuteInt())))
            default: throw JuteError(.invalidValue("multi result type \(header.type.rawValue)"))
            }
        }
        self.results = results
    }

    /// Writes a reply.
    /// - Parameter buffer: where the bytes go.
    public func encode(to buffer: inout ByteBuffer) {
        for result in self.results {
            switch result {
            case .create(let path):
                MultiHeader(type: .create, done: false, err: 0).encode(to: &buffer)
                buffer.writeJuteString(path)
            case .create2(let path, let stat, let type):
                MultiHeader(type: type, done: false, err: 0).encode(to: &buffer)
                Create2Response(path: path, stat: stat).encode(to: &buffer)
            case .delete:
                MultiHeader(type: .delete, done: false, err: 0).encode(to: &buffer)
            case .check:
                MultiHeader(type: .check, done: false, err: 0).encode(to: &buffer)
            case .setData(let stat):
                MultiHeader(type: .setData, done: false, err: 0).encode(to: &buffer)
                stat.encode(to: &buffer)
            case .getData(let data, let stat):
                MultiHeader(type: .getData, done: false, err: 0).encode(to: &buffer)
                GetDataResponse(data: data, stat: stat).encode(to: &buffer)
            case .getChildren(let children):
                MultiHeader(type: .getChildren, done: false, err: 0).encode(to: &buffer)
                buffer.writeJuteStrings(children)
            case .error(let code):
                MultiHeader(type: .error, done: false, err: code.rawValue).encode(to: &buffer)
                buffer.writeJuteInt(code.rawValue)
            }
        }
        MultiHeader.terminator.encode(to: &buffer)
    }
}
