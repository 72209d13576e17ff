import NIOCore
import ZooKeeperProtocol

/// A write as the processor receives it: the opcode and its decoded record.
enum WriteRequest: Hashable, Sendable {
    case create(CreateRequest, OpCode)
    case createTTL(CreateTTLRequest)
    case delete(DeleteRequest)
    case setData(SetDataRequest)
    case setACL(SetACLRequest)
    case check(CheckVersionRequest)
    case multi(MultiRequest)
    case reconfig
    case closeSession
    /// deleteContainer (20), which 3.8.0 also takes from clients.
    case deleteContainer(path: String)
    /// A write that fails as it is decoded (a client's createSession): it still takes a zxid.
    case invalid(KeeperError.Code)
}

/// Who is asking, and under which server settings.
struct RequestContext: Sendable {
    /// The caller's session.
    var sessionId: Int64
    /// The caller's identities (`ip:` plus any from auth packets).
    var authIds: [Id]
    /// Whether TTL nodes are allowed (`zookeeper.extendedTypesEnabled`).
    var extendedTypesEnabled: Bool
}

/// Turns a write request into a txn, or into the error a client gets (`PrepRequestProcessor.pRequest2Txn`).
///
/// Pure: it reads the tree and never changes it. The checks run in the same order as Apache ZooKeeper's, so the
/// same error wins when several apply.
enum PrepRequestProcessor {
    /// Prepares one write.
    /// - Parameters:
    ///   - request: the decoded write.
    ///   - zxid: the zxid the txn will carry.
    ///   - context: the caller.
    ///   - tree: the committed tree.
    /// - Returns: the txn to log and apply; `.error(code)` for a failed write, which still takes its zxid.
    static func prepare(_ request: WriteRequest, zxid: Int64, context: RequestContext, tree: DataTree) -> Txn {
        var view = ChangeView(tree: tree)
        switch request {
        case .multi(let multi):
            return self.prepareMulti(multi, zxid: zxid, context: context, view: &view)
        case .closeSession:
            return .closeSession(sessionId: context.sessionId)
        case .reconfig:
            // A standalone server with reconfigEnabled=false, the default.
            return .error(.reconfigDisabled)
        case .invalid(let code):
            return .error(code)
        case .create, .createTTL, .delete, .setData, .setACL, .check, .deleteContainer:
            do {
                return try self.prepareOne(request, zxid: zxid, context: context, view: &view)
            } catch {
                return .error(error.code)
            }
        }
    }

    private static func prepareMulti(
        _ multi: MultiRequest,
        zxid: Int64,
        context: RequestContext,
        view: inout ChangeView
    ) -> Txn {
        // MultiOperationRecord refuses to mix reads into a write multi (an IOException: MarshallingError).
        for op in multi.ops {
            switch op {
            case .getData, .getChildren: return .error(.marshallingError)
            case .create, .createTTL, .delete, .setData, .check: continue
            }
        }
        var txns: [Txn] = []
        var failed = false
        for op in multi.ops {
            if failed {
                txns.append(.error(.runtimeInconsistency))
                continue
            }
            let request: WriteRequest
            switch op {
            case .create(let r, let type): request = .create(r, type)
            case .createTTL(let r): request = .createTTL(r)
            case .delete(let r): request = .delete(r)
            case .setData(let r): request = .setData(r)
            case .check(let r): request = .check(r)
            case .getData, .getChildren: return .error(.marshallingError)
            }
            do {
                txns.append(try self.prepareOne(request, zxid: zxid, context: context, view: &view))
            } catch {
                txns.append(.error(error.code))
                failed = true
            }
        }
        return .multi(txns)
    }

    private static func prepareOne(
        _ request: WriteRequest,
        zxid: Int64,
        context: RequestContext,
        view: inout ChangeView
    ) throws(KeeperError) -> Txn {
        switch request {
        case .create(let r, let type):
            return try self.create(
                path: r.path,
                data: r.data,
                acl: r.acl,
                flags: r.flags,
                ttl: -1,
                type: type,
                zxid: zxid,
                context: context,
                view: &view
            )
        case .createTTL(let r):
            return try self.create(
                path: r.path,
                data: r.data,
                acl: r.acl,
                flags: r.flags,
                ttl: r.ttl,
                type: .createTTL,
                zxid: zxid,
                context: context,
                view: &view
            )
        case .delete(let r):
            return try self.delete(r, zxid: zxid, context: context, view: &view)
        case .setData(let r):
            try self.validatePath(r.path)
            var node = try view.record(r.path)
            try self.checkACL(node.acl, .write, context, r.path)
            let version = try self.nextVersion(node.stat.version, expected: r.version, r.path)
            node.stat.version = version
            node.stat.mzxid = zxid
            view.set(r.path, node)
            return .setData(path: r.path, data: r.data, version: version)
        case .setACL(let r):
            try self.validatePath(r.path)
            let acl = try ACLPolicy.fixup(r.acl, authIds: context.authIds)
            var node = try view.record(r.path)
            try self.checkACL(node.acl, .admin, context, r.path)
            let version = try self.nextVersion(node.stat.aversion, expected: r.version, r.path)
            node.stat.aversion = version
            node.acl = acl
            view.set(r.path, node)
            return .setACL(path: r.path, acl: acl, version: version)
        case .check(let r):
            try self.validatePath(r.path)
            let node = try view.record(r.path)
            try self.checkACL(node.acl, .read, context, r.path)
            _ = try self.nextVersion(node.stat.version, expected: r.version, r.path)
            return .check(path: r.path, version: node.stat.version)
        case .deleteContainer(let path):
            return try self.deleteContainer(path, zxid: zxid, view: &view)
        case .multi, .reconfig, .closeSession, .invalid:
            throw KeeperError(.unimplemented)
        }
    }

    private static func create(
        path requestedPath: String,
        data: [UInt8]?,
        acl requestedACL: [ACL],
        flags: CreateMode,
        ttl: Int64,
        type: OpCode,
        zxid: Int64,
        context: RequestContext,
        view: inout ChangeView
    ) throws(KeeperError) -> Txn {
        // (1) CreateMode.fromFlag, then validateCreateRequest: TTL allowed, TTL in range.
        guard flags.isValid else { throw KeeperError(.badArguments, path: requestedPath) }
        if flags.isTTL && !context.extendedTypesEnabled { throw KeeperError(.unimplemented, path: requestedPath) }
        if flags.isTTL {
            guard ttl > 0 && ttl <= EphemeralKind.maxTTL else { throw KeeperError(.badArguments, path: requestedPath) }
        } else if ttl >= 0 {
            throw KeeperError(.badArguments, path: requestedPath)
        }
        // (2) validatePathForCreate: a slash somewhere and no NUL.
        let parentPath = try self.parentForCreate(requestedPath)
        // (3) fixupACL, (4) the parent, (5) CREATE on it.
        let acl = try ACLPolicy.fixup(requestedACL, authIds: context.authIds)
        var parent = try view.record(parentPath)
        try self.checkACL(parent.acl, .create, context, requestedPath)
        // (6) the sequence suffix, then the full path rules.
        var path = requestedPath
        if flags.isSequential { path += Self.sequenceSuffix(parent.stat.cversion) }
        try self.validatePath(path)
        // (7) the node, (8) an ephemeral parent.
        if view.exists(path) { throw KeeperError(.nodeExists, path: path) }
        if EphemeralKind(owner: parent.stat.ephemeralOwner).isEphemeral {
            throw KeeperError(.noChildrenForEphemerals, path: path)
        }
        let newCVersion = parent.stat.cversion &+ 1
        // The kind of node follows the opcode (CreateContainerTxn, CreateTTLTxn), ephemerality the flags.
        let owner: Int64
        if type == .createContainer {
            owner = EphemeralKind.containerOwner
        } else if type == .createTTL {
            owner = EphemeralKind.ttlOwner(ttl)
        } else {
            owner = flags.isEphemeral ? context.sessionId : 0
        }
        parent.childCount += 1
        parent.stat.cversion = newCVersion
        parent.stat.pzxid = zxid
        view.set(parentPath, parent)
        view.set(path, NodeRecord(stat: .created(zxid: zxid, time: 0, ephemeralOwner: owner), childCount: 0, acl: acl))
        return .create(path: path, data: data, acl: acl, ephemeralOwner: owner, parentCVersion: newCVersion)
    }

    private static func delete(
        _ r: DeleteRequest,
        zxid: Int64,
        context: RequestContext,
        view: inout ChangeView
    ) throws(KeeperError) -> Txn {
        // getParentPathAndValidate: a slash, no NUL, not a special path.
        guard !DataTree.specialPaths.contains(r.path) else { throw KeeperError(.badArguments, path: r.path) }
        let parentPath = try self.parentForCreate(r.path)
        var parent = try view.record(parentPath)
        try self.checkACL(parent.acl, .delete, context, r.path)
        let node = try view.record(r.path)
        _ = try self.nextVersion(node.stat.version, expected: r.version, r.path)
        if node.childCount > 0 { throw KeeperError(.notEmpty, path: r.path) }
        parent.childCount -= 1
        parent.stat.pzxid = zxid
        view.set(parentPath, parent)
        view.set(r.path, nil)
        return .delete(path: r.path)
    }

    /// deleteContainer: no ACL check; an ephemeral node is refused with BadVersion (`EphemeralType.NORMAL`).
    private static func deleteContainer(
        _ path: String,
        zxid: Int64,
        view: inout ChangeView
    ) throws(KeeperError)
        -> Txn
    {
        guard !DataTree.specialPaths.contains(path) else { throw KeeperError(.badArguments, path: path) }
        let parentPath = try self.parentForCreate(path)
        let node = try view.record(path)
        if node.childCount > 0 { throw KeeperError(.notEmpty, path: path) }
        if EphemeralKind(owner: node.stat.ephemeralOwner).isEphemeral { throw KeeperError(.badVersion, path: path) }
        var parent = try view.record(parentPath)
        parent.childCount -= 1
        parent.stat.pzxid = zxid
        view.set(parentPath, parent)
        view.set(path, nil)
        return .delete(path: path)
    }

    /// `%010d` of the parent's stored cversion, as Java's `String.format` writes it (sign included in the width).
    static func sequenceSuffix(_ cversion: Int32) -> String {
        let digits = String(cversion.magnitude)
        let width = cversion < 0 ? 9 : 10
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return cversion < 0 ? "-" + padded : padded
    }

    private static func parentForCreate(_ path: String) throws(KeeperError) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")), !path.utf8.contains(0) else {
            throw KeeperError(.badArguments, path: path)
        }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    private static func validatePath(_ path: String) throws(KeeperError) {
        guard PathValidation.isValid(path) else { throw KeeperError(.badArguments, path: path) }
    }

    private static func checkACL(
        _ acl: [ACL],
        _ perm: Permissions,
        _ context: RequestContext,
        _ path: String
    ) throws(KeeperError) {
        guard ACLPolicy.allows(acl, perm, context.authIds) else { throw KeeperError(.noAuth, path: path) }
    }

    /// `checkAndIncVersion`: -1 matches anything; the next version skips -1 (ZOOKEEPER-4743).
    private static func nextVersion(_ current: Int32, expected: Int32, _ path: String) throws(KeeperError) -> Int32 {
        if expected != -1 && expected != current { throw KeeperError(.badVersion, path: path) }
        let next = current &+ 1
        return next == -1 ? 0 : next
    }
}
