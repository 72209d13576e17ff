#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who may scrape `/metrics`: CloudStack's `prometheus.exporter.allowed.ips`, comma-separated addresses and CIDR
/// blocks (IPv4 or IPv6). An IPv4-mapped IPv6 client (`::ffff:127.0.0.1`) is matched as its IPv4 address. Entries
/// that parse as neither are ignored (they allow nobody).
public struct ScrapeAllowList: Sendable, Hashable {
    struct Block: Sendable, Hashable {
        var bytes: [UInt8]
        var prefix: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == self.bytes.count else { return false }
            var remaining = self.prefix
            for index in 0..<address.count where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if address[index] & mask != self.bytes[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    let blocks: [Block]

    /// Parses the setting's value.
    /// - Parameter value: addresses and CIDR blocks, comma-separated (spaces allowed).
    public init(_ value: String) {
        var blocks: [Block] = []
        for item in value.split(separator: ",") {
            let entry = item.filter { $0 != " " && $0 != "\t" }
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = Self.bytes(String(parts[0])) else { continue }
            let width = address.count * 8
            if parts.count == 2 {
                guard let prefix = Int(parts[1]), (0...width).contains(prefix) else { continue }
                blocks.append(Block(bytes: address, prefix: prefix))
            } else {
                blocks.append(Block(bytes: address, prefix: width))
            }
        }
        self.blocks = blocks
    }

    /// Whether a client may scrape.
    /// - Parameter address: the client's address, IPv4 or IPv6 text; nil (unknown) never may.
    /// - Returns: whether an entry contains it.
    public func allows(_ address: String?) -> Bool {
        guard let address, let bytes = Self.bytes(address) else { return false }
        return self.blocks.contains { $0.contains(bytes) }
    }

    /// An address's bytes: 4 for IPv4 (and IPv4-mapped IPv6), 16 for IPv6; nil when it is neither.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return Array(bytes[12..<16])
        }
        return bytes
    }
}
