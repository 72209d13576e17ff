import NIOCore

/// Looks at the first four bytes of a connection (`NIOServerCnxn.checkFourLetterWord`): a known four-letter word
/// gets its text answer and the connection closes; anything else passes on to the frame decoder untouched.
final class FourLetterWordSniffer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let answer: @Sendable (String) -> String
    private var buffered: ByteBuffer?
    private var decided = false

    /// - Parameter answer: the text for a known word (including the not-whitelisted message).
    init(answer: @escaping @Sendable (String) -> String) {
        self.answer = answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.decided else {
            context.fireChannelRead(data)
            return
        }
        var incoming = self.unwrapInboundIn(data)
        if var buffered = self.buffered {
            buffered.writeBuffer(&incoming)
            incoming = buffered
        }
        guard incoming.readableBytes >= 4 else {
            self.buffered = incoming
            return
        }
        self.buffered = nil
        self.decided = true
        let word = String(decoding: incoming.getBytes(at: incoming.readerIndex, length: 4) ?? [], as: UTF8.self)
        if FourLetterWords.known.contains(word) {
            let text = self.answer(word)
            var out = context.channel.allocator.buffer(capacity: text.utf8.count)
            out.writeString(text)
            let channel = context.channel
            context.writeAndFlush(NIOAny(out)).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        context.fireChannelRead(self.wrapInboundOut(incoming))
    }
}

@available(*, unavailable)
extension FourLetterWordSniffer: Sendable {}
