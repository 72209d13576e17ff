import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The agent protocol's framing: each message is a 4-byte big-endian length followed by that many bytes of JSON
/// (an ``AgentRequest`` from the management server, an ``AgentAnswer`` back). Pure functions over `ByteBuffer`;
/// the channel handlers use them.
public enum AgentWire {
    /// The longest frame accepted (a longer length prefix is malformed).
    public static let maximumFrameLength = 1 << 20

    /// Appends one frame holding `message`'s JSON.
    /// - Parameters:
    ///   - message: the message.
    ///   - buffer: where the frame goes.
    /// - Throws: ``AgentProtocolError`` `.malformedFrame` when the message does not encode, `.frameTooLarge` when
    ///   it is too long.
    public static func encode<Message: Encodable>(
        _ message: Message,
        into buffer: inout ByteBuffer
    ) throws(AgentProtocolError) {
        let json: Data
        do {
            json = try JSONEncoder().encode(message)
        } catch {
            throw AgentProtocolError(.malformedFrame, "cannot encode \(Message.self): \(error)")
        }
        guard json.count <= Self.maximumFrameLength else {
            throw AgentProtocolError(.frameTooLarge, "a \(json.count)-byte message exceeds the frame limit")
        }
        buffer.writeInteger(UInt32(json.count))
        buffer.writeBytes(json)
    }

    /// Takes the next whole frame's payload off `buffer`.
    /// - Parameter buffer: the bytes received so far.
    /// - Returns: the payload, or nil when the frame is not complete yet (nothing is consumed then).
    /// - Throws: ``AgentProtocolError`` `.frameTooLarge` or `.malformedFrame` (an empty frame).
    public static func nextFrame(_ buffer: inout ByteBuffer) throws(AgentProtocolError) -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        guard length > 0 else { throw AgentProtocolError(.malformedFrame, "empty frame") }
        guard length <= Self.maximumFrameLength else {
            throw AgentProtocolError(.frameTooLarge, "a \(length)-byte frame exceeds the frame limit")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(length))
    }

    /// Decodes a frame's payload.
    /// - Parameters:
    ///   - type: the message type.
    ///   - payload: the frame's payload.
    /// - Returns: the message.
    /// - Throws: ``AgentProtocolError`` `.malformedFrame` when it is not that message's JSON.
    public static func decode<Message: Decodable>(
        _ type: Message.Type,
        from payload: ByteBuffer
    ) throws(AgentProtocolError) -> Message {
        do {
            return try JSONDecoder().decode(Message.self, from: Data(payload.readableBytesView))
        } catch {
            throw AgentProtocolError(.malformedFrame, "not a \(Message.self): \(error)")
        }
    }
}

/// Splits the inbound byte stream into frame payloads; a malformed frame fails the channel (which closes it).
final class AgentFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try AgentWire.nextFrame(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try self.decode(context: context, buffer: &buffer)
    }
}
