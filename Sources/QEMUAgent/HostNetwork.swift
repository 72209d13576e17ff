import QEMU

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The host side of guest NICs: one Linux bridge per guest network and one tap per NIC on it, made with `ip`.
/// Bridges get no address and no uplink, so nothing a guest sends leaves the machine (connectivity between VMs
/// and beyond is issue 14's). Interface names are derived from the ids (Linux allows 15 bytes), so a restarted
/// agent finds them again.
enum HostNetwork {
    /// The bridge of a guest network: `zsbr` and 10 hex digits of the network id's hash.
    static func bridgeName(network: String) -> String { "zsbr" + Self.hash(network) }

    /// The tap of a VM's NIC: `zst` and 10 hex digits of the VM id and NIC slot's hash. The destination of a live
    /// migration names `host`, its own id, in the hash: the source's tap of the NIC may be on the same machine.
    static func tapName(vm: String, deviceId: Int, host: String? = nil) -> String {
        "zst" + Self.hash(host.map { "\($0)/\(vm)/\(deviceId)" } ?? "\(vm)/\(deviceId)")
    }

    /// Makes the bridge (when missing) and a fresh tap on it, both up.
    /// - Throws: `QEMUError` `.toolFailed` with `ip`'s message.
    static func attach(tap: String, bridge: String) async throws(QEMUError) {
        // A tap left by an agent that crashed mid-start, or by a crashed host's QEMU (an HA restart on the same
        // machine), is replaced; first, since removing it removes its bridge once empty.
        if FileManager.default.fileExists(atPath: "/sys/class/net/\(tap)") { await self.remove(tap: tap) }
        if !FileManager.default.fileExists(atPath: "/sys/class/net/\(bridge)") {
            do {
                try await HostTool.run("ip", ["link", "add", bridge, "type", "bridge"])
            } catch {
                // Another start may have made it meanwhile.
                guard FileManager.default.fileExists(atPath: "/sys/class/net/\(bridge)") else { throw error }
            }
        }
        try await HostTool.run("ip", ["link", "set", bridge, "up"])
        try await HostTool.run("ip", ["tuntap", "add", "dev", tap, "mode", "tap"])
        do {
            try await HostTool.run("ip", ["link", "set", tap, "master", bridge, "up"])
        } catch {
            await self.remove(tap: tap)
            throw error
        }
    }

    /// Deletes a tap, and its bridge once no port is left on it.
    static func remove(tap: String) async {
        let master = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/sys/class/net/\(tap)/master"))
            .map { $0.lastPathComponentText }
        if FileManager.default.fileExists(atPath: "/sys/class/net/\(tap)") {
            _ = try? await HostTool.run("ip", ["link", "del", tap])
        }
        if let bridge = master, bridge.hasPrefix("zsbr"),
            (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net/\(bridge)/brif"))?.isEmpty == true
        {
            _ = try? await HostTool.run("ip", ["link", "del", bridge])
        }
    }

    /// A tap's byte counters from the host's side: `rx` is what the guest sent, `tx` what it received.
    static func counters(tap: String) -> (rx: Int64, tx: Int64) {
        func read(_ name: String) -> Int64 {
            let path = "/sys/class/net/\(tap)/statistics/\(name)"
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            return Int64(text.trimmedWhitespace) ?? 0
        }
        return (read("rx_bytes"), read("tx_bytes"))
    }

    /// FNV-1a, 40 bits in hex: stable across processes (Swift's `Hasher` is seeded per process).
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        let hex = String(value & 0xff_ffff_ffff, radix: 16)
        return String(repeating: "0", count: 10 - hex.count) + hex
    }
}
