/// Splits the QMP byte stream into messages: one JSON object per line (qmp-spec.rst "Wire protocol").
///
/// The length of a message is checked *before* more bytes are buffered, as ZooKeeper's frame decoder checks a
/// length before reading a body: a peer that never sends a newline cannot make the buffer grow past the limit.
struct QMPLineFramer {
    /// The largest message accepted, newline excluded.
    let maxMessageLength: Int
    private var partial: [UInt8] = []

    init(maxMessageLength: Int) {
        self.maxMessageLength = maxMessageLength
    }

    /// Takes received bytes and returns the whole lines they complete (without `\r\n`; blank lines dropped).
    /// - Parameter bytes: bytes as received.
    /// - Returns: the complete lines, in order.
    /// - Throws: `QEMUError(.protocolError)` when a line exceeds the limit.
    mutating func append(_ bytes: some Collection<UInt8>) throws(QEMUError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = bytes.startIndex
        while start != bytes.endIndex {
            let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline ?? bytes.endIndex
            let count = bytes.distance(from: start, to: end)
            guard self.partial.count + count <= self.maxMessageLength else {
                throw QEMUError(
                    .protocolError,
                    "QMP message over \(self.maxMessageLength) bytes"
                )
            }
            self.partial.append(contentsOf: bytes[start..<end])
            guard let newline else { break }
            if self.partial.last == UInt8(ascii: "\r") { self.partial.removeLast() }
            if !self.partial.isEmpty { lines.append(self.partial) }
            self.partial.removeAll(keepingCapacity: true)
            start = bytes.index(after: newline)
        }
        return lines
    }
}
