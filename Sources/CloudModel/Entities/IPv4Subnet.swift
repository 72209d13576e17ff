/// An IPv4 subnet (`10.1.1.0/24`) with the arithmetic guest networks and public ranges need.
public struct IPv4Subnet: Sendable, Hashable, CustomStringConvertible {
    /// The network address.
    public var network: UInt32
    /// The prefix length (0...32).
    public var prefix: Int

    /// Parses a dotted quad.
    /// - Parameter text: `a.b.c.d`.
    /// - Returns: the address, or nil when malformed.
    public static func address(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard part.count <= 3, let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    /// Formats an address as a dotted quad.
    public static func text(_ value: UInt32) -> String {
        "\(value >> 24 & 255).\(value >> 16 & 255).\(value >> 8 & 255).\(value & 255)"
    }

    /// The mask of the prefix.
    public var mask: UInt32 { self.prefix == 0 ? 0 : UInt32.max << UInt32(32 - self.prefix) }

    /// The netmask as a dotted quad.
    public var netmask: String { Self.text(self.mask) }

    /// The first host address (network + 1).
    public var firstHost: UInt32 { self.network + 1 }

    /// The last host address (broadcast - 1).
    public var lastHost: UInt32 { (self.network | ~self.mask) - 1 }

    public var description: String { "\(Self.text(self.network))/\(self.prefix)" }

    /// Whether `address` lies in the subnet.
    public func contains(_ address: UInt32) -> Bool { address & self.mask == self.network }

    /// Whether two subnets share an address.
    public func overlaps(_ other: IPv4Subnet) -> Bool {
        let shorter = min(self.prefix, other.prefix)
        let mask: UInt32 = shorter == 0 ? 0 : UInt32.max << UInt32(32 - shorter)
        return self.network & mask == other.network & mask
    }

    /// Creates the subnet of `gateway` with `netmask` (a contiguous mask between /8 and /30).
    /// - Returns: nil when either is malformed.
    public init?(gateway: String, netmask: String) {
        guard let address = Self.address(gateway), let mask = Self.address(netmask) else { return nil }
        let prefix = mask.nonzeroBitCount
        guard mask == (prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix)), (8...30).contains(prefix) else {
            return nil
        }
        self.network = address & mask
        self.prefix = prefix
    }

    /// Parses `a.b.c.d/n` (any prefix 0...32; host bits are cleared).
    /// - Returns: nil when malformed.
    public init?(cidr: String) {
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = Self.address(String(parts[0])), let prefix = Int(parts[1]),
            (0...32).contains(prefix)
        else { return nil }
        let mask: UInt32 = prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix)
        self.network = address & mask
        self.prefix = prefix
    }
}
