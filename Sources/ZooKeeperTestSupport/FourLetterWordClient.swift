import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends a four-letter word (`ruok`, `srvr`, `mntr`, ...) over a raw socket and reads the answer.
///
/// The client sends the 4 bytes on a fresh connection; the server writes text and closes
/// (`server/command/FourLetterCommands.java`). The blocking socket calls run on a thread of their own so that
/// they never hold a thread of Swift's cooperative pool.
enum FourLetterWordClient {
    static func send(_ word: String, port: Int, timeout: Duration) async throws -> String {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try sendBlocking(word, port: port, timeout: timeout) })
            }
            thread.name = "ZooKeeperTestSupport.4lw"
            thread.start()
        }
    }

    private static func sendBlocking(_ word: String, port: Int, timeout: Duration) throws -> String {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else {
            throw failure("socket()", word: word, port: port)
        }
        defer { _ = close(descriptor) }

        let seconds = timeout.components.seconds
        let microseconds = timeout.components.attoseconds / 1_000_000_000_000
        var interval = timeval(tv_sec: .init(seconds), tv_usec: .init(microseconds))
        let intervalSize = socklen_t(MemoryLayout<timeval>.size)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &interval, intervalSize)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &interval, intervalSize)

        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                connect(descriptor, socketAddress, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            throw failure("connect()", word: word, port: port)
        }

        var request = Array(word.utf8)
        var written = 0
        while written < request.count {
            let count = request.withUnsafeMutableBytes { bytes in
                write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            }
            guard count > 0 else {
                throw failure("write()", word: word, port: port)
            }
            written += count
        }

        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes in
                read(descriptor, bytes.baseAddress!, bytes.count)
            }
            if count == 0 {
                break
            }
            guard count > 0 else {
                // A reset after the server wrote its answer still leaves a usable answer.
                if errno == ECONNRESET, !response.isEmpty {
                    break
                }
                throw failure("read()", word: word, port: port)
            }
            response.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: response, as: UTF8.self)
    }

    private static func failure(_ call: String, word: String, port: Int) -> ApacheZooKeeperError {
        ApacheZooKeeperError(
            code: .fourLetterWordFailed,
            message: "'\(word)' to 127.0.0.1:\(port): \(call) failed: \(String(cString: strerror(errno)))"
        )
    }
}
