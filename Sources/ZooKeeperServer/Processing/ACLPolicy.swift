import ZooKeeperProtocol

/// ACL checks and fix-ups (`ZooKeeperServer.checkACL`, `PrepRequestProcessor.fixupACL`, the `ip` and `digest`
/// authentication providers).
enum ACLPolicy {
    /// The id a super user's connection carries (`Id("super", "")`).
    static let superId = Id(scheme: "super", id: "")

    /// Whether ids may use `perm` on a node with `acl` (`ZooKeeperServer.checkACL`): an empty ACL and the super
    /// id pass everything; `world:anyone` matches all; `digest` ids match exactly, `ip` ids by address or CIDR.
    static func allows(_ acl: [ACL], _ perm: Permissions, _ authIds: [Id]) -> Bool {
        if acl.isEmpty || authIds.contains(Self.superId) { return true }
        for entry in acl where !entry.perms.intersection(perm).isEmpty {
            if entry.id.scheme == "world" && entry.id.id == "anyone" { return true }
            for id in authIds where id.scheme == entry.id.scheme {
                switch id.scheme {
                case "ip":
                    if IPAddressMatcher.matches(address: id.id, pattern: entry.id.id) { return true }
                default:
                    if id.id == entry.id.id { return true }
                }
            }
        }
        return false
    }

    /// Checks an ACL a client sent and expands `auth` entries (`PrepRequestProcessor.fixupACL`).
    /// - Throws: `.invalidACL` for an empty list, an unknown scheme, a malformed id, or `auth` with no
    ///   authenticated id.
    static func fixup(_ acl: [ACL], authIds: [Id]) throws(KeeperError) -> [ACL] {
        var unique: [ACL] = []
        for entry in acl where !unique.contains(entry) { unique.append(entry) }
        guard !unique.isEmpty else { throw KeeperError(.invalidACL) }
        var result: [ACL] = []
        for entry in unique {
            switch entry.id.scheme {
            case "world" where entry.id.id == "anyone":
                result.append(entry)
            case "auth":
                // Only providers whose isAuthenticated() is true count: digest yes, ip no.
                let expanded = authIds.filter { $0.scheme == "digest" }
                guard !expanded.isEmpty else { throw KeeperError(.invalidACL) }
                result.append(contentsOf: expanded.map { ACL(perms: entry.perms, id: $0) })
            case "digest":
                guard entry.id.id.split(separator: ":", omittingEmptySubsequences: false).count == 2 else {
                    throw KeeperError(.invalidACL)
                }
                result.append(entry)
            case "ip":
                guard IPAddressMatcher.isValidPattern(entry.id.id) else { throw KeeperError(.invalidACL) }
                result.append(entry)
            default:
                throw KeeperError(.invalidACL)
            }
        }
        return result
    }

    /// The ACL getACL shows a caller without ADMIN: digest ids masked as `user:x`.
    static func masked(_ acl: [ACL]) -> [ACL] {
        acl.map { entry in
            guard entry.id.scheme == "digest" else { return entry }
            let user = entry.id.id.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return ACL(perms: entry.perms, id: Id(scheme: "digest", id: "\(user):x"))
        }
    }
}

/// IPv4/IPv6 address and CIDR matching for the `ip` scheme (`IPAuthenticationProvider`).
enum IPAddressMatcher {
    /// Whether `pattern` is an address or `address/bits`.
    static func isValidPattern(_ pattern: String) -> Bool { self.parsePattern(pattern) != nil }

    /// Whether `address` lies in `pattern`.
    static func matches(address: String, pattern: String) -> Bool {
        guard let (net, bits) = self.parsePattern(pattern), let addr = self.parse(address), addr.count == net.count
        else { return false }
        var remaining = bits
        for i in 0..<addr.count {
            if remaining <= 0 { break }
            let mask: UInt8 = remaining >= 8 ? 0xFF : UInt8(0xFF << (8 - remaining) & 0xFF)
            if addr[i] & mask != net[i] & mask { return false }
            remaining -= 8
        }
        return true
    }

    private static func parsePattern(_ pattern: String) -> ([UInt8], Int)? {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let addr = self.parse(String(parts[0])) else { return nil }
        if parts.count == 1 { return (addr, addr.count * 8) }
        guard let bits = Int(parts[1]), bits >= 0, bits <= addr.count * 8 else { return nil }
        return (addr, bits)
    }

    /// The bytes of a dotted IPv4 or a colon IPv6 address.
    static func parse(_ text: String) -> [UInt8]? {
        if text.contains(":") { return self.parseIPv6(text) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseIPv6(_ text: String) -> [UInt8]? {
        let chars = Array(text)
        var halves: [String] = []
        var current = ""
        var i = 0
        while i < chars.count {
            if chars[i] == ":" && i + 1 < chars.count && chars[i + 1] == ":" {
                halves.append(current)
                current = ""
                i += 2
            } else {
                current.append(chars[i])
                i += 1
            }
        }
        halves.append(current)
        guard halves.count <= 2 else { return nil }
        func groups(_ s: String) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            for g in s.split(separator: ":", omittingEmptySubsequences: false) {
                guard let v = UInt16(g, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}
