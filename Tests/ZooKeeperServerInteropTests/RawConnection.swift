import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking TCP connection to `127.0.0.1:port` that speaks raw ZooKeeper frames, for hostile-input tests and
/// readiness probes. Every read gives up after `timeout`.
final class RawConnection {
    /// The connection failed or was closed by the peer.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let descriptor: Int32

    /// Connects to the loopback port.
    /// - Parameters:
    ///   - port: the server port.
    ///   - timeout: how long each read may wait.
    /// - Throws: `Failure` when the connection is refused.
    init(port: Int, timeout: Duration = .seconds(5)) throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Failure(description: "connect(127.0.0.1:\(port)) failed: errno \(errno)")
        }
        let milliseconds =
            Int(timeout.components.seconds * 1000) + Int(timeout.components.attoseconds / 1_000_000_000_000_000)
        var value = timeval(tv_sec: milliseconds / 1000, tv_usec: .init((milliseconds % 1000) * 1000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
        var on: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
        self.descriptor = descriptor
    }

    deinit { close(self.descriptor) }

    /// Writes all of `bytes`; false when the peer has gone (EPIPE, ECONNRESET).
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        #if os(Linux)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(self.descriptor, $0.baseAddress, $0.count, flags) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    /// Writes a length-prefixed frame.
    @discardableResult
    func writeFrame(_ body: [UInt8]) -> Bool {
        self.write(Jute.int(Int32(body.count)) + body)
    }

    /// What one read of the socket saw.
    enum ReadOutcome: Equatable {
        case bytes([UInt8])
        /// The peer closed (or reset) the connection.
        case closed
        /// Nothing arrived within the timeout.
        case timedOut
    }

    /// Reads exactly `count` bytes.
    func read(count: Int) -> ReadOutcome {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let received = buffer[filled...].withUnsafeMutableBytes {
                recv(self.descriptor, $0.baseAddress, $0.count, 0)
            }
            if received > 0 {
                filled += received
            } else if received == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                return .closed
            } else if errno != EINTR {
                return .timedOut
            }
        }
        return .bytes(buffer)
    }

    /// Reads one length-prefixed frame.
    func readFrame() -> ReadOutcome {
        switch self.read(count: 4) {
        case .bytes(let header):
            let length = Int(Jute.readInt(header, at: 0))
            return length >= 0 ? self.read(count: length) : .closed
        case .closed: return .closed
        case .timedOut: return .timedOut
        }
    }

    /// Reads until the peer closes the connection or `limit` passes; true when it closed.
    func waitForClose(limit: Duration) -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            switch self.read(count: 1) {
            case .closed: return true
            case .bytes, .timedOut: continue
            }
        }
        return false
    }

    /// Sends a ConnectRequest for a new session and reads the ConnectResponse.
    /// - Returns: the session id.
    func handshake(timeout milliseconds: Int32 = 10_000) throws -> Int64 {
        let request =
            Jute.int(0) + Jute.long(0) + Jute.int(milliseconds) + Jute.long(0)
            + Jute.buffer([UInt8](repeating: 0, count: 16)) + [0]
        self.writeFrame(request)
        guard case .bytes(let response) = self.readFrame(), response.count >= 16 else {
            throw Failure(description: "no ConnectResponse")
        }
        return Jute.readLong(response, at: 8)
    }

    /// Sends four letters and returns everything the server wrote before closing.
    static func fourLetterWord(_ word: String, port: Int) -> String? {
        guard let connection = try? RawConnection(port: port, timeout: .seconds(2)) else { return nil }
        guard connection.write(Array(word.utf8)) else { return nil }
        var answer: [UInt8] = []
        while case .bytes(let byte) = connection.read(count: 1) { answer += byte }
        return String(decoding: answer, as: UTF8.self)
    }
}

/// Big-endian jute encoding of the few types the raw tests need.
enum Jute {
    static func int(_ value: Int32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
    static func long(_ value: Int64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
    static func buffer(_ bytes: [UInt8]) -> [UInt8] { self.int(Int32(bytes.count)) + bytes }
    static func string(_ text: String) -> [UInt8] { self.buffer(Array(text.utf8)) }

    static func readInt(_ bytes: [UInt8], at offset: Int) -> Int32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int32($1) }
    }

    static func readLong(_ bytes: [UInt8], at offset: Int) -> Int64 {
        bytes[offset..<offset + 8].reduce(0) { $0 << 8 | Int64($1) }
    }
}
