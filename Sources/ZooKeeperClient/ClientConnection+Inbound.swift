import Logging
import NIOCore
import NIOPosix
import ZooKeeperProtocol

/// Frames and connection loss from the current TCP connection.
extension ClientConnection {
    // MARK: inbound (called by ClientChannelHandler on the loop)

    func frameReceived(_ frame: ByteBuffer, generation: Int) {
        guard generation == self.generation, let channel = self.channel else { return }
        self.lastReceive = .now()
        var frame = frame
        if self.machine.isHandshaking {
            do {
                let response = try ConnectResponse(from: &frame)
                self.run(self.machine.connectResponse(response))
            } catch {
                self.logger.debug("bad ConnectResponse: \(error)")
                channel.close(promise: nil)
            }
            return
        }
        let header: ReplyHeader
        do {
            header = try ReplyHeader(from: &frame)
        } catch {
            channel.close(promise: nil)
            return
        }
        switch header.xid {
        case SpecialXid.notification:
            guard let event = try? WatcherEvent(from: &frame) else {
                channel.close(promise: nil)
                return
            }
            let sinks = self.watches.materialize(type: event.type, path: event.path)
            let delivered = WatchEvent(type: event.type, path: self.stripChroot(event.path))
            for sink in sinks { sink.deliver(delivered) }
        case SpecialXid.ping, SpecialXid.setWatches:
            break
        case SpecialXid.auth:
            let promise = self.authPending.popFirst() ?? nil
            if header.err == .authFailed {
                promise?.fail(KeeperError(.authFailed))
                self.run(self.machine.authFailed())
            } else if header.err != .ok {
                promise?.fail(KeeperError(header.err))
            } else {
                promise?.succeed(())
            }
        default:
            guard let outgoing = self.pending.popFirst() else {
                self.logger.debug("reply xid \(header.xid) with nothing pending")
                channel.close(promise: nil)
                return
            }
            guard outgoing.xid == header.xid else {
                // ClientCnxn treats an out-of-order xid as fatal: the connection is lost.
                self.logger.debug("xid out of order: expected \(outgoing.xid), got \(header.xid)")
                self.pending.prepend(outgoing)
                channel.close(promise: nil)
                return
            }
            if header.zxid > 0 { self.lastZxid = header.zxid }
            if let watch = outgoing.watch {
                if header.err == .ok {
                    self.watches.add(watch.sink, kind: watch.kind, path: watch.path)
                } else if header.err == .noNode && watch.kind == .data && outgoing.op == .exists {
                    self.watches.add(watch.sink, kind: .exist, path: watch.path)
                } else {
                    watch.sink.end(throwing: KeeperError(header.err, path: self.stripChroot(watch.path)))
                }
            }
            outgoing.promise.succeed(Reply(header: header, body: frame))
        }
    }

    func channelClosed(generation: Int) {
        guard generation == self.generation else { return }
        self.channel = nil
        self.run(self.machine.channelClosed())
    }
}
