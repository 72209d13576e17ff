#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A config drive as CloudStack's `ConfigDriveBuilder` writes it for its KVM hosts, which cloud-init's
/// ConfigDrive datasource (and the tiny guest's init) reads: an ISO9660 volume labelled `config-2` with Joliet
/// and Rock Ridge names, holding `openstack/latest/meta_data.json`, `user_data` (when there is user data),
/// `network_data.json` and `vendor_data.json` (`{}`). CloudStack's builder writes no `openstack/content`.
public struct ConfigDrive: Sendable, Hashable {
    /// The volume label cloud-init looks for.
    public static let label = "config-2"
    /// CloudStack refuses config drives larger than this (OpenStack's limit).
    public static let maximumSize = 64 * 1024 * 1024

    /// One NIC: `links` and `networks` entries of `network_data.json`.
    public struct NIC: Sendable, Hashable {
        /// The NIC's position (`eth0` is 0), which names its link.
        public var deviceId: Int
        /// Its MAC address, lowercase `aa:bb:cc:dd:ee:ff`.
        public var mac: String
        /// Its IPv4 address, if it has one.
        public var address: String?
        /// The IPv4 netmask (dotted).
        public var netmask: String?
        /// The IPv4 default gateway.
        public var gateway: String?
        /// The guest network's id (`network_id`).
        public var networkId: String?
        /// The MTU (CloudStack's default is 1500).
        public var mtu: Int

        /// Creates a NIC.
        public init(
            deviceId: Int,
            mac: String,
            address: String? = nil,
            netmask: String? = nil,
            gateway: String? = nil,
            networkId: String? = nil,
            mtu: Int = 1500
        ) {
            self.deviceId = deviceId
            self.mac = mac
            self.address = address
            self.netmask = netmask
            self.gateway = gateway
            self.networkId = networkId
            self.mtu = mtu
        }
    }

    /// The VM's uuid (`uuid`).
    public var uuid: String
    /// The VM's name (`name`).
    public var name: String
    /// The VM's hostname (`hostname`).
    public var hostname: String
    /// SSH public keys (`public_keys`, `keys`).
    public var publicKeys: [String]
    /// The user data, raw (CloudStack decodes its base64 before writing `user_data`); `nil` for none.
    public var userData: [UInt8]?
    /// The zone's name (`availability_zone`), if known.
    public var availabilityZone: String?
    /// The NICs.
    public var nics: [NIC]

    /// Creates a config drive's contents.
    public init(
        uuid: String,
        name: String,
        hostname: String? = nil,
        publicKeys: [String] = [],
        userData: [UInt8]? = nil,
        availabilityZone: String? = nil,
        nics: [NIC] = []
    ) {
        self.uuid = uuid
        self.name = name
        self.hostname = hostname ?? name
        self.publicKeys = publicKeys
        self.userData = userData
        self.availabilityZone = availabilityZone
        self.nics = nics
    }

    /// `meta_data.json`: `uuid`, `name`, `hostname`, `availability_zone`, and each key both as `public_keys`
    /// (name -> key) and as `keys` (`type` `ssh`, `data`, `name`). A key is named by its comment (the third
    /// field), else `key`, `key1`, ...; CloudStack likewise names its one key by its comment.
    public func metaData() -> [UInt8] {
        var object: [String: JSONValue] = [
            "uuid": .string(self.uuid), "name": .string(self.name), "hostname": .string(self.hostname),
        ]
        if let zone = self.availabilityZone { object["availability_zone"] = .string(zone) }
        if !self.publicKeys.isEmpty {
            var named: [String: JSONValue] = [:]
            var keys: [JSONValue] = []
            for (index, key) in self.publicKeys.enumerated() {
                let fields = key.split(separator: " ")
                var name = fields.count >= 3 ? String(fields[2]) : "key"
                if named[name] != nil { name += String(index) }
                named[name] = .string(key)
                keys.append(["type": "ssh", "data": .string(key), "name": .string(name)])
            }
            object["public_keys"] = .object(named)
            object["keys"] = .array(keys)
        }
        return Self.json(object)
    }

    /// `network_data.json`: per NIC a `links` entry (`phy`, MAC, MTU, id `ethN`) and, with an address, a
    /// `networks` entry (`ipv4`, address, netmask, link `ethN`, a default route through the gateway).
    public func networkData() -> [UInt8] {
        var links: [JSONValue] = []
        var networks: [JSONValue] = []
        for nic in self.nics {
            let id = "eth\(nic.deviceId)"
            links.append([
                "ethernet_mac_address": .string(nic.mac), "id": .string(id), "mtu": .int(nic.mtu), "type": "phy",
            ])
            guard let address = nic.address else { continue }
            var network: [String: JSONValue] = [
                "id": .string(id), "ip_address": .string(address), "link": .string(id),
                "netmask": .string(nic.netmask ?? "255.255.255.0"), "type": "ipv4",
            ]
            if let networkId = nic.networkId { network["network_id"] = .string(networkId) }
            if let gateway = nic.gateway {
                network["routes"] = [["gateway": .string(gateway), "netmask": "0.0.0.0", "network": "0.0.0.0"]]
            }
            networks.append(.object(network))
        }
        var object: [String: JSONValue] = [:]
        if !links.isEmpty { object["links"] = .array(links) }
        if !networks.isEmpty { object["networks"] = .array(networks) }
        return Self.json(object)
    }

    /// `vendor_data.json`: always `{}`.
    public func vendorData() -> [UInt8] { Array("{}".utf8) }

    /// Every file on the drive: path relative to the volume's root -> contents.
    public func files() -> [String: [UInt8]] {
        var files = [
            "openstack/latest/meta_data.json": self.metaData(),
            "openstack/latest/network_data.json": self.networkData(),
            "openstack/latest/vendor_data.json": self.vendorData(),
        ]
        if let userData = self.userData { files["openstack/latest/user_data"] = userData }
        return files
    }

    /// Writes the ISO to `output` (replacing it, never partially) with `xorriso -as mkisofs -J -r -V config-2`; `invalidImage`
    /// when it would exceed ``maximumSize``.
    public func writeISO(to output: URL) async throws(QEMUError) {
        let total = self.files().values.reduce(0) { $0 + $1.count }
        guard total < Self.maximumSize else {
            throw QEMUError(.invalidImage, "config drive content is \(total) bytes, over the 64 MiB limit")
        }
        let scratch = try ScratchDirectory(prefix: "zoostack-configdrive")
        defer { scratch.remove() }
        for (path, contents) in self.files() { try scratch.write(contents, to: "root/" + path) }
        try await ImageTool.run(
            "xorriso",
            [
                "-as", "mkisofs", "-quiet", "-o", scratch.url.appendingPathComponent("config.iso").path, "-V",
                Self.label, "-J", "-r", scratch.url.appendingPathComponent("root").path,
            ]
        )
        try scratch.publish("config.iso", to: output)
    }

    // Compact, keys sorted, slashes unescaped (as `JSONSerialization` with `.sortedKeys, .withoutEscapingSlashes`
    // wrote it); only strings, integers, arrays and objects go in, so encoding cannot fail.
    private static func json(_ object: [String: JSONValue]) -> [UInt8] { Array(JSONValue.object(object).jsonText.utf8) }
}
