import NIOCore
import ZooKeeperProtocol

extension CoreState {
    /// Handles one request of an established connection, replying in order.
    mutating func process(_ connection: ConnectionID, _ header: RequestHeader, _ request: ClientRequest, now: Int64) {
        self.stats.packetsReceived += 1
        self.connections[connection]?.received += 1
        guard let entry = self.connections[connection], let sessionId = entry.sessionId else {
            self.close(connection)
            return
        }
        guard self.sessions.touch(sessionId, now: now) else {
            self.reply(connection, xid: header.xid, err: .sessionExpired)
            self.close(connection)
            return
        }
        switch request {
        case .write(let write):
            self.processWrite(connection, header, write, sessionId: sessionId, authIds: entry.authIds, now: now)
        case .ping:
            self.reply(connection, xid: header.xid, err: .ok)
        case .auth(let packet):
            self.processAuth(connection, header, packet)
        case .unknown:
            self.reply(connection, xid: header.xid, zxid: -1, err: .unimplemented)
        case .sasl:
            self.reply(connection, xid: header.xid, zxid: 0, err: .ok, SASLResponse())
        case .invalidMultiRead:
            self.reply(connection, xid: header.xid, err: .marshallingError, forcedBody: MultiResponse(results: []))
        case .topLevelCheck(let check):
            let context = RequestContext(
                sessionId: sessionId,
                authIds: entry.authIds,
                extendedTypesEnabled: self.config.extendedTypesEnabled
            )
            let txn = PrepRequestProcessor.prepare(
                .check(check),
                zxid: self.lastZxid + 1,
                context: context,
                tree: self.tree
            )
            self.commit(txn, sessionId: sessionId, cxid: header.xid, now: now)
            self.close(connection)
        case .exists, .getData, .getChildren, .getACL, .getAllChildrenNumber, .getEphemerals, .sync, .whoAmI,
            .checkWatches, .removeWatches, .addWatch, .setWatches, .multiRead:
            self.processRead(connection, header, request, sessionId: sessionId, authIds: entry.authIds)
        }
    }

    private mutating func processWrite(
        _ connection: ConnectionID,
        _ header: RequestHeader,
        _ write: WriteRequest,
        sessionId: Int64,
        authIds: [Id],
        now: Int64
    ) {
        let context = RequestContext(
            sessionId: sessionId,
            authIds: authIds,
            extendedTypesEnabled: self.config.extendedTypesEnabled
        )
        let txn = PrepRequestProcessor.prepare(write, zxid: self.lastZxid + 1, context: context, tree: self.tree)
        if case .closeSession = write { self.sessions.setClosing(sessionId) }
        let outcome = self.commit(txn, sessionId: sessionId, cxid: header.xid, now: now)
        switch (write, outcome) {
        case (_, .failed(let code)):
            self.reply(connection, xid: header.xid, err: code)
        case (.create(_, .create), .created(let path, _)):
            self.reply(connection, xid: header.xid, err: .ok, CreateResponse(path: path))
        case (.create, .created(let path, let stat)), (.createTTL, .created(let path, let stat)):
            self.reply(connection, xid: header.xid, err: .ok, Create2Response(path: path, stat: stat))
        case (_, .updated(let stat)):
            self.reply(connection, xid: header.xid, err: .ok, StatResponse(stat: stat))
        case (.multi(let multi), .multi(let outcomes)):
            self.reply(connection, xid: header.xid, err: .ok, Self.multiResponse(multi, outcomes))
        case (.closeSession, _):
            self.sessions.remove(sessionId)
            self.sessionOwners[sessionId] = nil
            self.connections[connection]?.sessionId = nil
            self.reply(connection, xid: header.xid, err: .ok)
            self.close(connection)
        case (_, .deleted), (_, .checked), (_, .session), (_, .created), (_, .multi):
            self.reply(connection, xid: header.xid, err: .ok)
        }
    }

    /// The reply of a multi: one result per op, shaped by the op's type.
    static func multiResponse(_ multi: MultiRequest, _ outcomes: [TxnOutcome]) -> MultiResponse {
        var results: [MultiResult] = []
        for (op, outcome) in zip(multi.ops, outcomes) {
            switch outcome {
            case .created(let path, let stat):
                // 3.8.0 answers a create2 inside a multi as a plain create, and a createContainer or createTTL
                // as a create2 [probe].
                switch op.opCode {
                case .create, .create2: results.append(.create(path: path))
                default: results.append(.create2(path: path, stat: stat, type: .create2))
                }
            case .deleted: results.append(.delete)
            case .updated(let stat): results.append(.setData(stat: stat))
            case .checked: results.append(.check)
            case .failed(let code): results.append(.error(code))
            case .session, .multi: results.append(.error(.runtimeInconsistency))
            }
        }
        return MultiResponse(results: results)
    }

    /// An auth packet (`ZooKeeperServer.processPacket`): digest and ip succeed, other schemes fail and close.
    /// Auth replies carry zxid 0.
    private mutating func processAuth(_ connection: ConnectionID, _ header: RequestHeader, _ packet: AuthPacket) {
        switch packet.scheme {
        case "digest":
            let id = DigestAuth.digestId(String(decoding: packet.auth, as: UTF8.self))
            if let superDigest = self.config.superDigest, superDigest == id {
                self.addAuth(connection, ACLPolicy.superId)
            }
            self.addAuth(connection, Id(scheme: "digest", id: id))
            self.reply(connection, xid: header.xid, zxid: 0, err: .ok)
        case "ip":
            if let host = self.connections[connection]?.host { self.addAuth(connection, Id(scheme: "ip", id: host)) }
            self.reply(connection, xid: header.xid, zxid: 0, err: .ok)
        default:
            self.reply(connection, xid: header.xid, zxid: 0, err: .authFailed)
            self.close(connection)
        }
    }

    private mutating func addAuth(_ connection: ConnectionID, _ id: Id) {
        guard var entry = self.connections[connection], !entry.authIds.contains(id) else { return }
        entry.authIds.append(id)
        self.connections[connection] = entry
    }
}

/// The answer to a SASL packet on a server without SASL: a null token.
private struct SASLResponse: JuteRecord {
    init() {}
    init(from buffer: inout ByteBuffer) throws(JuteError) { _ = try buffer.readJuteBuffer() }
    func encode(to buffer: inout ByteBuffer) { buffer.writeJuteBuffer(nil) }
}
