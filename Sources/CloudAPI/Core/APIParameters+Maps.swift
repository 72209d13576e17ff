extension APIParameters {
    /// The entries of an indexed map parameter such as `tags[0].key=k&tags[0].value=v` or
    /// `details[0].cpuNumber=2`, in index order. Each entry maps its field names (as sent) to their values.
    /// - Parameter name: the map's name (`tags`, `details`), matched case-insensitively.
    /// - Returns: the entries, ordered by index.
    public func indexedMap(_ name: String) -> [[String: String]] {
        let prefix = name.lowercased() + "["
        var entries: [Int: [String: String]] = [:]
        for (key, value) in self.pairs where key.lowercased().hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            guard let close = rest.firstIndex(of: "]"), let index = Int(rest[..<close]) else { continue }
            let field = rest[rest.index(after: close)...]
            guard field.hasPrefix("."), field.count > 1 else { continue }
            entries[index, default: [:]][String(field.dropFirst())] = value
        }
        return entries.keys.sorted().compactMap { entries[$0] }
    }
}

extension Dictionary where Key == String, Value == String {
    /// The value of `field`, matched case-insensitively (`cpuNumber`, `cpunumber`).
    func field(_ field: String) -> String? {
        self.first { $0.key.lowercased() == field.lowercased() }?.value
    }
}

extension CommandContext {
    /// The `tags[N].key`/`tags[N].value` pairs of a request (entries without a key are ignored; an absent or
    /// empty value is nil).
    var tagPairs: [(key: String, value: String?)] {
        self.parameters.indexedMap("tags").compactMap { entry in
            guard let key = entry.field("key"), !key.isEmpty else { return nil }
            return (key, entry.field("value").flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    /// The merged `details[N].*` entries of a request (CloudStack merges every index into one map).
    var detailsMap: [String: String] {
        var merged: [String: String] = [:]
        for entry in self.parameters.indexedMap("details") { merged.merge(entry) { _, new in new } }
        return merged
    }
}
