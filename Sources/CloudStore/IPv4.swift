/// A dotted-quad IPv4 address as a 32-bit value.
struct IPv4: CustomStringConvertible {
    var value: UInt32

    init(value: UInt32) {
        self.value = value
    }

    init?(_ text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.value = value
    }

    var description: String {
        "\(value >> 24 & 255).\(value >> 16 & 255).\(value >> 8 & 255).\(value & 255)"
    }
}
