import Agent
import QEMU
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Security groups on the host (CloudStack's `SecurityGroupRulesCmd`, which its KVM agent hands to
/// `security_group.py`): the rules of a VM's NICs become nftables chains (``NftablesFirewall``) when it starts,
/// are rewritten by `SecurityGroupRulesCommand`, and go with its taps.
extension QEMUHostAgent {
    /// The filtered NICs of a VM: those whose spec carries rules and an IPv4 address, with their taps.
    /// - Parameters:
    ///   - nics: the NICs of the VM's spec.
    ///   - taps: its taps, in the order of `nics`.
    static func firewallPorts(_ nics: [AgentNic], taps: [String]) -> [NftablesFirewall.Port] {
        zip(nics, taps).compactMap { nic, tap in
            guard let firewall = nic.firewall else { return nil }
            func rules(_ rules: [AgentFirewallRule]) -> [NftablesFirewall.Rule] {
                rules.map {
                    .init(protocolName: $0.protocolName, startPort: $0.startPort, endPort: $0.endPort, cidrs: $0.cidrs)
                }
            }
            return NftablesFirewall.Port(
                tap: tap,
                bridge: HostNetwork.bridgeName(network: nic.networkId),
                mac: nic.mac,
                ipAddress: nic.ipAddress,
                ingress: rules(firewall.ingress),
                egress: rules(firewall.egress)
            )
        }
    }

    /// The agent's nftables tables: `zoostack_` and a hash of its host id, so that two agents on one machine (a
    /// live migration between them) each keep their own chains for a guest's address.
    var firewallTable: String { "zoostack_" + HostNetwork.hash(self.hostId) }

    /// Writes the chains of `ports` in one `nft -f` transaction.
    /// - Throws: `QEMUError` `.toolFailed` when a NIC cannot be filtered (no address) or `nft` refuses the
    ///   script, `.toolMissing` without `nft`.
    func applyFirewall(_ ports: [NftablesFirewall.Port], vmId: String) async throws(QEMUError) {
        guard !ports.isEmpty else { return }
        if let invalid = ports.first(where: { !$0.isValid }) {
            throw QEMUError(.toolFailed, "NIC \(invalid.mac) cannot be filtered: it has no IPv4 address")
        }
        try Self.enableBridgeFiltering()
        try await self.runNft(NftablesFirewall(ports: ports, table: self.firewallTable).applyScript, vmId: vmId)
    }

    /// Deletes the chains of `ports` (nothing to do without any).
    func removeFirewall(_ ports: [NftablesFirewall.Port], vmId: String) async {
        // Invalid ports were never applied.
        let ports = ports.filter(\.isValid)
        guard !ports.isEmpty else { return }
        try? await self.runNft(NftablesFirewall(ports: ports, table: self.firewallTable).removeScript, vmId: vmId)
    }

    /// `SecurityGroupRulesCommand`: the VM's NICs get the rules `nics` carry (matched by device id); a NIC whose
    /// rules are absent is no longer filtered. The record keeps them, so that a stop removes what is there.
    func securityGroupRules(_ vm: AgentVm, nics: [AgentNic]) async -> AgentAnswer {
        guard let managed = self.vms.withLock({ $0[vm.id] }), managed.isRunning else {
            return AgentAnswer(seq: 0, result: false, details: "VM \(vm.name) is not running on host \(self.hostId)")
        }
        var record = managed.record
        for nic in nics {
            guard let index = record.spec.nics.firstIndex(where: { $0.deviceId == nic.deviceId }) else { continue }
            record.spec.nics[index].firewall = nic.firewall
        }
        let before = Self.firewallPorts(managed.record.spec.nics, taps: managed.record.taps)
        let after = Self.firewallPorts(record.spec.nics, taps: record.taps)
        do {
            try await self.applyFirewall(after, vmId: vm.id)
            await self.removeFirewall(before.filter { old in !after.contains { $0.tap == old.tap } }, vmId: vm.id)
            try? record.write(to: self.configuration.runDirectory(vm.id))
            self.vms.withLock { $0[vm.id]?.record = record }
            return AgentAnswer(seq: 0, result: true, details: "\(after.count) NICs of VM \(vm.name) filtered")
        } catch {
            return AgentAnswer(seq: 0, result: false, details: error.message)
        }
    }

    /// Runs an nftables script (kept in the VM's run directory, or a temporary file when it is gone).
    private func runNft(_ script: String, vmId: String) async throws(QEMUError) {
        var directory = self.configuration.runDirectory(vmId)
        if !FileManager.default.fileExists(atPath: directory) {
            directory = FileManager.default.temporaryDirectory.path
        }
        let file = directory + "/firewall-\(UUID().uuidString.lowercased()).nft"
        do {
            try Data(script.utf8).write(to: URL(fileURLWithPath: file))
        } catch {
            throw QEMUError(.toolFailed, "Cannot write \(file): \(error)")
        }
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await HostTool.run("nft", ["-f", file])
    }

    /// Has bridged IPv4 pass the `inet` hooks (`br_netfilter`'s `bridge-nf-call-iptables`), which is what gives
    /// the `forward` chain conntrack state: nftables' `bridge` family has none without `nf_conntrack_bridge`.
    /// - Throws: `QEMUError` `.toolFailed` when the kernel has no `br_netfilter`.
    private static func enableBridgeFiltering() throws(QEMUError) {
        let path = "/proc/sys/net/bridge/bridge-nf-call-iptables"
        if (try? String(contentsOfFile: path, encoding: .utf8))?.trimmedWhitespace == "1" { return }
        do {
            try Data("1\n".utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw QEMUError(.toolFailed, "Security groups need br_netfilter (\(path)): \(error)")
        }
    }
}
