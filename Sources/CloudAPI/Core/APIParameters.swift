/// The parameters of one request, as received (names keep their case for the signature) and looked up
/// case-insensitively, as CloudStack does.
public struct APIParameters: Sendable {
    /// Pairs in arrival order, percent-decoded.
    public private(set) var pairs: [(name: String, value: String)]
    private var index: [String: String]

    /// Creates parameters from decoded pairs; a later pair with the same name overrides.
    public init(_ pairs: [(name: String, value: String)]) {
        var seen: [String: Int] = [:]
        var unique: [(name: String, value: String)] = []
        for pair in pairs {
            if let at = seen[pair.name.lowercased()] {
                unique[at] = pair
            } else {
                seen[pair.name.lowercased()] = unique.count
                unique.append(pair)
            }
        }
        self.pairs = unique
        self.index = Dictionary(unique.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { _, new in new })
    }

    /// The value of `name`, case-insensitively.
    public subscript(name: String) -> String? {
        self.index[name.lowercased()]
    }

    /// Parses `a=b&c=d` (query string or form body): `+` is a space, `%XX` is decoded.
    /// - Parameter text: the encoded text.
    /// - Returns: the decoded pairs.
    public static func decodePairs(_ text: Substring) -> [(name: String, value: String)] {
        text.split(separator: "&").compactMap { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first.map({ Self.percentDecode($0) }), !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? Self.percentDecode(parts[1]) : "")
        }
    }

    static func percentDecode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
