import Foundation
import Testing

@testable import QEMUAgent

/// The translation of security-group rules into nftables scripts, as text.
struct NftablesFirewallTests {
    static let port = NftablesFirewall.Port(
        tap: "zst0123456789",
        bridge: "zsbr0123456789",
        mac: "1E:00:AB:00:00:07",
        ipAddress: "198.18.0.7",
        ingress: [
            .init(protocolName: "icmp", startPort: 8, endPort: 0, cidrs: ["198.18.0.5/32", "198.18.1.0/24"]),
            .init(protocolName: "tcp", startPort: 22, endPort: 80, cidrs: ["0.0.0.0/0"]),
            .init(protocolName: "udp", startPort: 53, endPort: 53, cidrs: ["198.18.0.0/15", "::/0"]),
            .init(protocolName: "icmp", startPort: -1, endPort: -1, cidrs: ["198.18.2.0/24"]),
            .init(protocolName: "all", cidrs: ["198.19.0.0/16"]),
        ],
        egress: []
    )

    @Test func ingressRulesBecomeAcceptsBeforeADrop() {
        let lines = NftablesFirewall(ports: [Self.port]).applyScript.split(separator: "\n").map(String.init)
        let chain = "add rule inet zoostack in_zst0123456789 "
        let rules = lines.filter { $0.hasPrefix(chain) }.map { String($0.dropFirst(chain.count)) }
        #expect(
            rules == [
                "ip saddr { 198.18.0.5/32, 198.18.1.0/24 } icmp type 8 icmp code 0 accept",
                "ip saddr { 0.0.0.0/0 } tcp dport 22-80 accept",
                "ip saddr { 198.18.0.0/15 } udp dport 53 accept",
                "ip saddr { 198.18.2.0/24 } meta l4proto icmp accept",
                "ip saddr { 198.19.0.0/16 } accept",
                "drop",
            ]
        )
        // The chain is emptied before it is filled: a rewrite replaces the rules in the same transaction.
        #expect(
            lines.firstIndex(of: "flush chain inet zoostack in_zst0123456789")! < lines.firstIndex(of: chain + "drop")!
        )
        #expect(
            lines.contains(
                "add element inet zoostack to_vm { \"zsbr0123456789\" . 198.18.0.7 : jump in_zst0123456789 }"
            )
        )
    }

    @Test func noEgressRuleAllowsEverythingOut() {
        let script = NftablesFirewall(ports: [Self.port]).applyScript
        #expect(script.contains("flush chain inet zoostack out_zst0123456789\n"))
        #expect(!script.contains("add rule inet zoostack out_zst0123456789"))
    }

    @Test func egressRulesReturnAndTheRestIsDropped() {
        var port = Self.port
        port.egress = [.init(protocolName: "tcp", startPort: 443, endPort: 443, cidrs: ["198.18.0.9"])]
        let script = NftablesFirewall(ports: [port]).applyScript
        #expect(
            script.contains(
                "add rule inet zoostack out_zst0123456789 ip daddr { 198.18.0.9 } tcp dport 443 return\n"
                    + "add rule inet zoostack out_zst0123456789 drop\n"
            )
        )
    }

    @Test func forwardChainAcceptsRepliesThenDispatchesByBridgeAndAddress() {
        let script = NftablesFirewall(ports: []).applyScript
        #expect(
            script.contains(
                "flush chain inet zoostack forward\n"
                    + "add rule inet zoostack forward ct state established,related accept\n"
                    + "add rule inet zoostack forward iifname . ip saddr vmap @from_vm\n"
                    + "add rule inet zoostack forward oifname . ip daddr vmap @to_vm\n"
            )
        )
    }

    @Test func antiSpoofingPinsTheNicsMacAndAddress() {
        let script = NftablesFirewall(ports: [Self.port]).applyScript
        #expect(script.contains("add rule bridge zoostack spoof_zst0123456789 ether saddr != 1e:00:ab:00:00:07 drop"))
        #expect(
            script.contains("add rule bridge zoostack spoof_zst0123456789 ether type ip ip saddr != 198.18.0.7 drop")
        )
        #expect(script.contains("add element bridge zoostack ports { \"zst0123456789\" : jump spoof_zst0123456789 }"))
    }

    @Test func removalAddsThenDeletesSoThatMissingChainsDoNotFail() {
        let lines = NftablesFirewall(ports: [Self.port]).removeScript.split(separator: "\n").map(String.init)
        let element = "element inet zoostack to_vm { \"zsbr0123456789\" . 198.18.0.7 : jump in_zst0123456789 }"
        let added = lines.firstIndex(of: "add " + element)
        let deleted = lines.firstIndex(of: "delete " + element)
        let chainDeleted = lines.firstIndex(of: "delete chain inet zoostack in_zst0123456789")
        #expect(added != nil && deleted != nil && chainDeleted != nil)
        if let added, let deleted, let chainDeleted { #expect(added < deleted && deleted < chainDeleted) }
        #expect(!lines.contains { $0.hasPrefix("add rule inet zoostack in_") })
    }

    @Test(
        arguments: [
            ("tcp", 22, nil, "tcp dport 22"), ("udp", nil, nil, "meta l4proto udp"), ("icmp", 0, -1, "icmp type 0"),
            ("47", nil, nil, "meta l4proto 47"), ("tcp", 100, 20, "tcp dport 100"),
        ] as [(String, Int?, Int?, String)]
    )
    func protocolsAndPorts(_ name: String, _ start: Int?, _ end: Int?, _ expected: String) {
        let rule = NftablesFirewall.Rule(protocolName: name, startPort: start, endPort: end, cidrs: ["10.0.0.0/8"])
        #expect(NftablesFirewall.match(rule, peer: "saddr") == "ip saddr { 10.0.0.0/8 } \(expected)")
    }

    @Test func rulesThatCannotMatchAreLeftOut() {
        #expect(NftablesFirewall.match(.init(protocolName: "tcp", startPort: 1, cidrs: ["::/0"]), peer: "saddr") == nil)
        #expect(NftablesFirewall.match(.init(protocolName: "gre", cidrs: ["10.0.0.0/8"]), peer: "saddr") == nil)
        #expect(NftablesFirewall.match(.init(protocolName: "all", cidrs: ["10.0.0.0/8; drop"]), peer: "saddr") == nil)
    }

    @Test func invalidNamesOrAddressesNeverReachTheScript() {
        var port = Self.port
        port.tap = "zst0; flush ruleset"
        #expect(!port.isValid)
        #expect(!NftablesFirewall(ports: [port]).applyScript.contains("flush ruleset"))
        port = Self.port
        port.ipAddress = ""
        #expect(!port.isValid)
        port = Self.port
        port.mac = "1e:00:ab:00:00"
        #expect(!port.isValid)
        #expect(Self.port.isValid)
    }

    /// The kernel accepts both scripts (`nft -c`: checked, not committed), the removal even of what is not there.
    @Test func theKernelAcceptsTheScripts() throws {
        var port = Self.port
        port.egress = [.init(protocolName: "udp", startPort: 53, endPort: 53, cidrs: ["198.18.0.1"])]
        let firewall = NftablesFirewall(ports: [port, Self.port.renamed("zst9876543210")])
        for script in [firewall.applyScript, firewall.removeScript] {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("zs-nft-\(UUID()).nft")
            try Data(script.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["nft", "-c", "-f", file.path]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(message)\n\(script)")
        }
    }
}

extension NftablesFirewall.Port {
    fileprivate func renamed(_ tap: String) -> Self {
        var port = self
        port.tap = tap
        port.ipAddress = "198.18.0.8"
        return port
    }
}
