import NIOCore
import NIOPosix
import NIOWebSocket

/// One console session: binary websocket frames to the VM's VNC server over TCP and its bytes back as binary frames
/// (the websockify protocol noVNC speaks). Either side closing closes both. Frames that arrive before the TCP
/// connection is up are held, in order.
final class VNCBridge: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let target: String
    private var vnc: (any Channel)?
    private var pending: [ByteBuffer] = []
    private var closed = false

    init(target: String) {
        self.target = target
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard let separator = self.target.lastIndex(of: ":"),
            let port = Int(self.target[self.target.index(after: separator)...])
        else {
            context.close(promise: nil)
            return
        }
        let host = String(self.target[..<separator])
        let websocket = context.channel
        let bridge = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(VNCToWebSocket(websocket: websocket))
                }
            }
            .connect(host: host, port: port)
            .whenComplete { result in
                switch result {
                case .success(let channel): bridge.value.connected(channel, context: loopContext.value)
                case .failure: loopContext.value.close(promise: nil)
                }
            }
    }

    private func connected(_ channel: any Channel, context: ChannelHandlerContext) {
        guard !self.closed else {
            channel.close(promise: nil)
            return
        }
        self.vnc = channel
        for buffer in self.pending { channel.write(buffer, promise: nil) }
        self.pending = []
        channel.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        switch frame.opcode {
        case .binary, .continuation, .text:
            let payload = frame.unmaskedData
            if let vnc = self.vnc {
                vnc.writeAndFlush(payload, promise: nil)
            } else {
                self.pending.append(payload)
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(Self.wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed = true
        self.vnc?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The VNC server's side: its bytes become binary frames on the websocket; its end closes the websocket.
final class VNCToWebSocket: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let websocket: any Channel

    init(websocket: any Channel) {
        self.websocket = websocket
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = WebSocketFrame(fin: true, opcode: .binary, data: Self.unwrapInboundIn(data))
        self.websocket.writeAndFlush(frame, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.websocket.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
