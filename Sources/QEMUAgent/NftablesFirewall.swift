/// Security-group rules of a host's guest NICs as `nft -f` scripts: a pure translation, no I/O.
///
/// Each agent keeps one table per family named ``table`` (two agents on one machine, as during a live migration
/// between them, filter a guest's address each with its own chains: a packet must pass both). CloudStack's KVM agent (`security_group.py`) filters
/// bridged traffic in iptables' FORWARD chain through `br_netfilter` with a chain per VM; this is the nftables
/// shape of it:
/// - `inet zoostack`: a `forward` base chain (bridged IPv4 reaches it through `br_netfilter`, which also gives
///   it conntrack) accepts established and related traffic, then jumps by `bridge . guest address` (the bridge is
///   the interface a bridged packet is seen on there) to the NIC's chains: `out_TAP` for what the guest sends
///   (egress rules, `return` when allowed), then `in_TAP` for what reaches it (ingress rules, `accept`), each
///   ending in `drop`. A NIC without egress rules sends anything (CloudStack's default egress policy).
/// - `bridge zoostack`: a `prerouting` chain per tap, `spoof_TAP`, drops frames whose MAC, IPv4 or ARP sender
///   address is not the NIC's, so that the address the `inet` table keys on is the guest's own.
///
/// ``applyScript`` (re)writes the given NICs' chains in one transaction (`nft -f` is atomic): each chain is
/// created when missing and flushed before its rules are added. ``removeScript`` deletes them, also atomically,
/// whether or not they exist.
public struct NftablesFirewall: Hashable, Sendable {
    /// One allowing rule.
    public struct Rule: Hashable, Sendable {
        /// `tcp`, `udp`, `icmp`, `all`, or a protocol number.
        public var protocolName: String
        /// The first port, or the ICMP type (nil or negative: any).
        public var startPort: Int?
        /// The last port, or the ICMP code (nil or negative: any).
        public var endPort: Int?
        /// The peers' IPv4 CIDRs (others, e.g. IPv6 ones, are left out; a rule left with none is dropped).
        public var cidrs: [String]

        /// Makes a rule.
        public init(protocolName: String, startPort: Int? = nil, endPort: Int? = nil, cidrs: [String]) {
            self.protocolName = protocolName
            self.startPort = startPort
            self.endPort = endPort
            self.cidrs = cidrs
        }
    }

    /// A guest NIC and its rules.
    public struct Port: Hashable, Sendable {
        /// The host's tap of the NIC.
        public var tap: String
        /// The bridge the tap is on.
        public var bridge: String
        /// The NIC's MAC.
        public var mac: String
        /// The NIC's IPv4 address.
        public var ipAddress: String
        /// What may reach the guest.
        public var ingress: [Rule]
        /// What the guest may send (empty: anything).
        public var egress: [Rule]

        /// Makes a port.
        public init(tap: String, bridge: String, mac: String, ipAddress: String, ingress: [Rule], egress: [Rule]) {
            self.tap = tap
            self.bridge = bridge
            self.mac = mac
            self.ipAddress = ipAddress
            self.ingress = ingress
            self.egress = egress
        }

        /// Whether its names and addresses are safe to put into a script (interface names of lower-case letters
        /// and digits, a colon-separated MAC, an IPv4 address).
        public var isValid: Bool {
            NftablesFirewall.isInterfaceName(self.tap) && NftablesFirewall.isInterfaceName(self.bridge)
                && NftablesFirewall.isMAC(self.mac) && NftablesFirewall.cidr(self.ipAddress) != nil
                && !self.ipAddress.contains("/")
        }
    }

    /// The name of the agent's tables (letters, digits and `_`).
    public var table: String

    /// The NICs (invalid ones, see ``Port/isValid``, are left out of the scripts).
    public var ports: [Port]

    /// Makes a firewall of NICs.
    /// - Parameters:
    ///   - ports: the NICs.
    ///   - table: the tables' name.
    public init(ports: [Port], table: String = "zoostack") {
        self.ports = ports
        self.table = table.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } ? table : "zoostack"
    }

    /// The script that creates the tables when missing and (re)writes the NICs' chains.
    public var applyScript: String {
        var lines = self.prelude
        for port in self.ports where port.isValid {
            let inet = "inet \(self.table)"
            let (into, from, spoof) = Self.chains(port.tap)
            lines += ["add chain \(inet) \(into)", "flush chain \(inet) \(into)"]
            lines += port.ingress.compactMap {
                Self.match($0, peer: "saddr").map { "add rule \(inet) \(into) \($0) accept" }
            }
            lines.append("add rule \(inet) \(into) drop")
            lines += ["add chain \(inet) \(from)", "flush chain \(inet) \(from)"]
            lines += port.egress.compactMap {
                Self.match($0, peer: "daddr").map { "add rule \(inet) \(from) \($0) return" }
            }
            if !port.egress.isEmpty { lines.append("add rule \(inet) \(from) drop") }
            let bridge = "bridge \(self.table)"
            lines += [
                "add chain \(bridge) \(spoof)", "flush chain \(bridge) \(spoof)",
                "add rule \(bridge) \(spoof) ether saddr != \(port.mac.lowercased()) drop",
                "add rule \(bridge) \(spoof) ether type ip ip saddr != \(port.ipAddress) drop",
                "add rule \(bridge) \(spoof) ether type arp arp saddr ip != \(port.ipAddress) drop",
            ]
            // The map entries last: they may only name chains that exist.
            lines += self.elements(port, verb: "add")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The script that deletes the NICs' chains and map entries (each first added, so that deleting what is
    /// missing does not fail the transaction).
    public var removeScript: String {
        // The tables and maps only (made when missing): the base chains stay as they are.
        var lines = self.tablesAndMaps
        let valid = self.ports.filter(\.isValid)
        for port in valid {
            let (into, from, spoof) = Self.chains(port.tap)
            lines += [
                "add chain inet \(self.table) \(into)", "add chain inet \(self.table) \(from)",
                "add chain bridge \(self.table) \(spoof)",
            ]
            lines += self.elements(port, verb: "add") + self.elements(port, verb: "delete")
        }
        for port in valid {
            let (into, from, spoof) = Self.chains(port.tap)
            lines += [
                "delete chain inet \(self.table) \(into)", "delete chain inet \(self.table) \(from)",
                "delete chain bridge \(self.table) \(spoof)",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The tables, maps and base chains, made when missing; the base chains' rules rewritten.
    var prelude: [String] { self.tablesAndMaps + self.baseChains }

    /// The tables and the maps, made when missing.
    var tablesAndMaps: [String] {
        [
            "add table inet \(self.table)",
            "add map inet \(self.table) to_vm { type ifname . ipv4_addr : verdict; }",
            "add map inet \(self.table) from_vm { type ifname . ipv4_addr : verdict; }",
            "add table bridge \(self.table)",
            "add map bridge \(self.table) ports { type ifname : verdict; }",
        ]
    }

    /// The base chains, made when missing, their rules rewritten.
    var baseChains: [String] {
        let inet = "inet \(self.table)"
        let bridge = "bridge \(self.table)"
        return [
            "add chain \(inet) forward { type filter hook forward priority 0; policy accept; }",
            "flush chain \(inet) forward",
            "add rule \(inet) forward ct state established,related accept",
            "add rule \(inet) forward iifname . ip saddr vmap @from_vm",
            "add rule \(inet) forward oifname . ip daddr vmap @to_vm",
            "add chain \(bridge) prerouting { type filter hook prerouting priority -250; policy accept; }",
            "flush chain \(bridge) prerouting",
            "add rule \(bridge) prerouting iifname vmap @ports",
        ]
    }

    /// A NIC's chains: to the guest, from the guest, anti-spoofing.
    static func chains(_ tap: String) -> (into: String, from: String, spoof: String) {
        ("in_\(tap)", "out_\(tap)", "spoof_\(tap)")
    }

    /// The map entries that lead a NIC's traffic to its chains.
    func elements(_ port: Port, verb: String) -> [String] {
        let (into, from, spoof) = Self.chains(port.tap)
        let key = "\"\(port.bridge)\" . \(port.ipAddress)"
        return [
            "\(verb) element inet \(self.table) to_vm { \(key) : jump \(into) }",
            "\(verb) element inet \(self.table) from_vm { \(key) : jump \(from) }",
            "\(verb) element bridge \(self.table) ports { \"\(port.tap)\" : jump \(spoof) }",
        ]
    }

    /// A rule's match, `peer` being `saddr` (ingress) or `daddr` (egress); nil when nothing of it can match
    /// (no IPv4 CIDR, an unknown protocol).
    static func match(_ rule: Rule, peer: String) -> String? {
        let cidrs = rule.cidrs.compactMap(Self.cidr)
        guard !cidrs.isEmpty else { return nil }
        let addresses = "ip \(peer) { \(cidrs.joined(separator: ", ")) }"
        let start = rule.startPort.flatMap { $0 < 0 ? nil : $0 }
        let end = rule.endPort.flatMap { $0 < 0 ? nil : $0 }
        switch rule.protocolName.lowercased() {
        case "all":
            return addresses
        case let name where name == "tcp" || name == "udp":
            guard let start, start <= 65535 else { return "\(addresses) meta l4proto \(name)" }
            let last = min(max(end ?? start, start), 65535)
            return "\(addresses) \(name) dport \(last == start ? "\(start)" : "\(start)-\(last)")"
        case "icmp":
            guard let type = start, type <= 255 else { return "\(addresses) meta l4proto icmp" }
            guard let code = end, code <= 255 else { return "\(addresses) icmp type \(type)" }
            return "\(addresses) icmp type \(type) icmp code \(code)"
        case let name:
            guard let number = Int(name), (0...255).contains(number) else { return nil }
            return "\(addresses) meta l4proto \(number)"
        }
    }

    /// An IPv4 address or CIDR in canonical text, nil for anything else.
    static func cidr(_ text: String) -> String? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var numbers: [Int] = []
        for octet in octets {
            guard (1...3).contains(octet.count), octet.allSatisfy(\.isASCIIDigit), let value = Int(octet),
                value <= 255
            else { return nil }
            numbers.append(value)
        }
        let address = numbers.map(String.init).joined(separator: ".")
        guard parts.count == 2 else { return address }
        guard (1...2).contains(parts[1].count), parts[1].allSatisfy(\.isASCIIDigit), let prefix = Int(parts[1]),
            prefix <= 32
        else { return nil }
        return "\(address)/\(prefix)"
    }

    static func isInterfaceName(_ name: String) -> Bool {
        (1...15).contains(name.utf8.count)
            && name.utf8.allSatisfy { (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) }
    }

    static func isMAC(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { self.isASCII && self.isNumber }
}
