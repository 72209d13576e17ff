import ZooKeeperProtocol

extension CoreState {
    /// How a ConnectRequest ended.
    enum ConnectOutcome: Hashable, Sendable {
        /// The session is this connection's now.
        case established(sessionId: Int64)
        /// The connection is closing (stale zxid, bad password, unknown or expired session).
        case rejected
    }

    /// Handles a ConnectRequest (`ZooKeeperServer.processConnectRequest`): a new session is a createSession txn;
    /// a resumed one moves here from its old connection, which closes.
    mutating func connect(
        _ connection: ConnectionID,
        _ request: ConnectRequest,
        password newPassword: [UInt8],
        now: Int64
    ) -> ConnectOutcome {
        self.stats.packetsReceived += 1
        self.connections[connection]?.received += 1
        // A client that has seen a newer zxid must find another server: close without a word.
        if request.lastZxidSeen > self.lastZxid {
            self.close(connection)
            return .rejected
        }
        let timeout = self.config.negotiateSessionTimeout(request.timeOut)
        // The server answers with the readOnly byte only when the client sent one.
        let readOnly: Bool? = request.readOnly == nil ? nil : false
        if request.sessionId == 0 {
            let sessionId = self.sessions.allocateId()
            self.commit(
                .createSession(sessionId: sessionId, timeout: timeout, password: newPassword),
                sessionId: sessionId,
                cxid: 0,
                now: now
            )
            self.sessions.add(id: sessionId, timeout: timeout, password: newPassword, now: now)
            self.bind(connection, sessionId)
            self.sendRaw(
                connection,
                ConnectResponse(timeOut: timeout, sessionId: sessionId, passwd: newPassword, readOnly: readOnly)
            )
            return .established(sessionId: sessionId)
        }
        if let session = self.sessions.session(request.sessionId), !session.closing,
            session.password == request.passwd
        {
            self.sessions.touch(session.id, timeout: timeout, now: now)
            if let old = self.sessionOwners[session.id], old != connection {
                self.connections[old]?.sessionId = nil
                self.close(old)
            }
            self.bind(connection, session.id)
            self.sendRaw(
                connection,
                ConnectResponse(timeOut: timeout, sessionId: session.id, passwd: session.password, readOnly: readOnly)
            )
            return .established(sessionId: session.id)
        }
        self.sendRaw(
            connection,
            ConnectResponse(timeOut: 0, sessionId: 0, passwd: [UInt8](repeating: 0, count: 16), readOnly: readOnly)
        )
        self.close(connection)
        return .rejected
    }

    private mutating func bind(_ connection: ConnectionID, _ sessionId: Int64) {
        self.connections[connection]?.sessionId = sessionId
        self.sessionOwners[sessionId] = connection
    }

    /// Expires the sessions whose time has come, and sweeps containers and TTL nodes when asked
    /// (`SessionTrackerImpl.run`, `ContainerManager`).
    /// - Returns: the sessions that expired, with their timeouts.
    @discardableResult
    mutating func tick(now: Int64) -> [(id: Int64, timeout: Int32)] {
        var expired: [(id: Int64, timeout: Int32)] = []
        for sessionId in self.sessions.expire(now: now) {
            expired.append((sessionId, self.sessions.session(sessionId)?.timeout ?? 0))
            self.commit(.closeSession(sessionId: sessionId), sessionId: sessionId, cxid: 0, now: now)
            self.sessions.remove(sessionId)
            if let owner = self.sessionOwners.removeValue(forKey: sessionId) {
                self.connections[owner]?.sessionId = nil
                self.close(owner)
            }
        }
        if now - self.lastContainerSweep >= Int64(self.config.containerCheckInterval) {
            self.lastContainerSweep = now
            self.sweepContainers(now: now)
        }
        return expired
    }

    private mutating func sweepContainers(now: Int64) {
        for path in self.tree.containersAndTTLs.sorted() {
            guard let node = self.tree.node(at: path), node.children.isEmpty else { continue }
            switch EphemeralKind(owner: node.stat.ephemeralOwner) {
            case .container:
                // Only containers that once had a child go (cversion > 0).
                guard node.stat.cversion > 0 else { continue }
            case .ttl(let ttl):
                guard ttl > 0, now - node.stat.mtime > ttl else { continue }
            case .persistent, .ephemeral:
                continue
            }
            self.commit(.delete(path: path), sessionId: 0, cxid: 0, now: now)
        }
    }
}
