import Logging
import NIOCore
import NIOPosix
import ZooKeeperProtocol

/// Carrying out the session state machine's actions: connecting, priming, pinging, failing and closing.
extension ClientConnection {
    func run(_ actions: [ClientSessionStateMachine.Action]) {
        for action in actions { self.run(action) }
    }

    func run(_ action: ClientSessionStateMachine.Action) {
        switch action {
        case .connect(let index, let delay):
            self.generation += 1
            let generation = self.generation
            if delay > 0 {
                self.eventLoop.scheduleTask(in: .milliseconds(delay)) {
                    guard generation == self.generation else { return }
                    self.openChannel(index: index, generation: generation)
                }
            } else {
                self.openChannel(index: index, generation: generation)
            }
        case .sendConnectRequest(let request):
            guard let channel = self.channel else { return }
            var frame = channel.allocator.buffer(capacity: 64)
            frame.writeZooKeeperFrame { request.encode(to: &$0) }
            channel.writeAndFlush(frame, promise: nil)
            let generation = self.generation
            let timeout = max(Int64(request.timeOut) / Int64(max(self.servers.count, 1)), 1000)
            self.handshakeTimeout = self.eventLoop.scheduleTask(in: .milliseconds(timeout)) {
                if generation == self.generation, !self.machine.isConnected { channel.close(promise: nil) }
            }
        case .established(let state):
            self.handshakeTimeout?.cancel()
            guard let channel = self.channel else { return }
            self.prime(channel)
            self.emit(state)
            self.firstConnect?.succeed(())
            self.firstConnect = nil
        case .connectionLost(let state):
            self.pinger?.cancel()
            self.pinger = nil
            self.channel = nil
            self.failInFlight(.connectionLoss, includingQueued: true)
            if let state { self.emit(state) }
        case .expire:
            self.pinger?.cancel()
            self.failInFlight(.sessionExpired, includingQueued: !self.configuration.reconnectWithNewSessionOnExpiry)
            self.endWatches(KeeperError(.sessionExpired))
            self.emit(.expired)
            self.firstConnect?.fail(KeeperError(.sessionExpired))
            if !self.configuration.reconnectWithNewSessionOnExpiry { self.firstConnect = nil }
        case .failAuth:
            self.pinger?.cancel()
            self.failInFlight(.authFailed, includingQueued: true)
            self.endWatches(KeeperError(.authFailed))
            self.emit(.authFailed)
            self.firstConnect?.fail(KeeperError(.authFailed))
            self.firstConnect = nil
        case .sendCloseSession:
            guard let channel = self.channel else {
                self.run(self.machine.closeSessionDone())
                return
            }
            let promise = self.eventLoop.makePromise(of: Reply.self)
            self.write(Outgoing(op: .closeSession, EmptyRecord(), promise: promise, watch: nil), on: channel)
            channel.flush()
            let timeout = self.eventLoop.scheduleTask(in: .seconds(2)) { promise.fail(KeeperError(.connectionLoss)) }
            promise.futureResult.whenComplete { _ in
                timeout.cancel()
                self.run(self.machine.closeSessionDone())
            }
        case .closeChannel:
            self.handshakeTimeout?.cancel()
            self.channel?.close(promise: nil)
        case .closed:
            self.pinger?.cancel()
            self.pinger = nil
            self.generation += 1
            self.channel = nil
            self.failInFlight(.connectionLoss, includingQueued: true)
            self.endWatches(nil)
            self.emit(.closed)
            for listener in self.stateListeners.values { listener.finish() }
            self.stateListeners = [:]
            self.firstConnect?.fail(KeeperError(.connectionLoss))
            self.firstConnect = nil
            self.closePromise?.succeed(())
        }
    }

    func openChannel(index: Int, generation: Int) {
        let server = self.servers[index]
        let timeoutMs = max(
            Int64(self.machine.negotiatedTimeout == 0 ? 10_000 : Int(self.machine.negotiatedTimeout))
                / Int64(max(self.servers.count, 1)),
            1000
        )
        let maxFrame = self.configuration.maxFrameLength
        ClientBootstrap(group: self.eventLoop)
            .connectTimeout(.milliseconds(timeoutMs))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [tls = self.configuration.tls] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(try tls.makeHandler(host: server.host))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(ZooKeeperFrameDecoder(maxFrameLength: maxFrame))
                    )
                    try channel.pipeline.syncOperations.addHandler(
                        ClientChannelHandler(connection: self, generation: generation, server: server)
                    )
                }
            }
            .connect(host: server.host, port: server.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    guard generation == self.generation else {
                        channel.close(promise: nil)
                        return
                    }
                    self.channel = channel
                    self.lastReceive = .now()
                    self.run(self.machine.channelConnected(lastZxidSeen: self.lastZxid))
                case .failure(let error):
                    guard generation == self.generation else { return }
                    self.logger.debug("connect to \(server) failed: \(error)")
                    self.run(self.machine.connectFailed())
                }
            }
    }

    func prime(_ channel: any Channel) {
        if !self.watches.isEmpty {
            for request in self.watches.setWatchesRequests(relativeZxid: self.lastZxid) {
                self.writeSpecial(xid: SpecialXid.setWatches, op: request.opCode, request, on: channel)
            }
        }
        for (index, info) in self.authInfo.enumerated() {
            self.sendAuth(
                scheme: info.scheme,
                auth: info.auth,
                promise: self.authWaiters.removeValue(forKey: index),
                channel: channel
            )
        }
        let queued = self.queued
        self.queued = []
        for outgoing in queued { self.write(outgoing, on: channel) }
        channel.flush()
        self.startPinger(channel)
    }

    func startPinger(_ channel: any Channel) {
        self.pinger?.cancel()
        let timeout = Int64(self.machine.negotiatedTimeout)
        let readTimeout = timeout * 2 / 3
        let pingInterval = max(timeout / 3, 1)
        let generation = self.generation
        self.pinger = self.eventLoop.scheduleRepeatedTask(
            initialDelay: .milliseconds(max(pingInterval / 2, 1)),
            delay: .milliseconds(max(pingInterval / 2, 1))
        ) { task in
            guard generation == self.generation, self.machine.isConnected else {
                task.cancel()
                return
            }
            let now = NIODeadline.now()
            if now - self.lastReceive > .milliseconds(readTimeout) {
                self.logger.debug("no reply for \(readTimeout) ms, closing connection")
                channel.close(promise: nil)
                return
            }
            if now - self.lastSend >= .milliseconds(pingInterval) {
                self.writeSpecial(xid: SpecialXid.ping, op: .ping, EmptyRecord(), on: channel)
                channel.flush()
            }
        }
    }

    /// A TLS handshake with `server` failed: a first connect fails at once with the reason (a wrong CA or
    /// certificate is a setting to fix, not a server to wait for); later, the connection is retried as any other.
    func tlsFailed(_ error: any Error, server: ZooKeeperClientConfiguration.Server, generation: Int) {
        guard generation == self.generation else { return }
        let reason = "TLS handshake with ZooKeeper at \(server) failed: \(error)"
        guard let first = self.firstConnect else {
            self.logger.warning("\(reason)")
            return
        }
        self.firstConnect = nil
        first.fail(ZooKeeperTLSError(.handshakeFailed, reason))
    }
}
