/// A quick "may contain" test over a few host ids: each id's UTF-8 length and first 8 bytes, sorted, so that
/// nearly every host of a large zone is ruled out without hashing its id (the anti-affinity and avoid sets and
/// the account's VM counts name a handful of hosts among thousands).
struct HostIdFilter: Sendable {
    private let keys: [UInt64]

    init(_ ids: some Sequence<String>) {
        self.keys = ids.map(Self.key).sorted()
    }

    var isEmpty: Bool {
        self.keys.isEmpty
    }

    /// False when `id` is certainly not one of the ids; true when it may be (then look it up).
    func mayContain(_ id: String) -> Bool {
        !self.keys.isEmpty && self.mayContain(key: Self.key(id))
    }

    /// `mayContain` for an id's `key(_:)`, computed once for several filters.
    func mayContain(key: UInt64) -> Bool {
        var low = 0
        var high = self.keys.count
        while low < high {
            let middle = (low + high) / 2
            if self.keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < self.keys.count && self.keys[low] == key
    }

    /// The id's UTF-8 length mixed with its first 8 bytes.
    static func key(_ id: String) -> UInt64 {
        let count = id.utf8.count
        let head =
            id.utf8.withContiguousStorageIfAvailable { bytes in
                count >= 8 ? UnsafeRawBufferPointer(bytes).loadUnaligned(as: UInt64.self) : Self.head(bytes)
            } ?? Self.head(id.utf8.prefix(8))
        return head ^ (UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15)
    }

    private static func head(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var head: UInt64 = 0
        var shift: UInt64 = 0
        for byte in bytes.prefix(8) {
            head |= UInt64(byte) << shift
            shift += 8
        }
        return head
    }
}
