import Foundation
import QEMU
import Testing

struct ConfigDriveTests {
    static let drive = ConfigDrive(
        uuid: "5d0c9e0a-1111-4222-8333-444455556666",
        name: "web-1",
        publicKeys: ["ssh-ed25519 AAAAC3Nza/Key+1 alice@laptop", "ssh-rsa AAAAB3Nza"],
        userData: Array("#!/bin/sh\necho hi\n".utf8),
        availabilityZone: "zone1",
        nics: [
            ConfigDrive.NIC(
                deviceId: 0,
                mac: "02:00:11:22:33:44",
                address: "198.18.1.20",
                netmask: "255.255.255.0",
                gateway: "198.18.1.1",
                networkId: "net-uuid"
            ),
            ConfigDrive.NIC(deviceId: 1, mac: "02:00:11:22:33:55"),
        ]
    )

    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func metaDataCarriesIdentityAndKeysAsCloudStackWritesThem() throws {
        let meta = try Self.object(Self.drive.metaData())
        #expect(meta["uuid"] as? String == "5d0c9e0a-1111-4222-8333-444455556666")
        #expect(meta["name"] as? String == "web-1")
        #expect(meta["hostname"] as? String == "web-1")
        #expect(meta["availability_zone"] as? String == "zone1")
        let publicKeys = try #require(meta["public_keys"] as? [String: String])
        #expect(publicKeys == ["alice@laptop": "ssh-ed25519 AAAAC3Nza/Key+1 alice@laptop", "key": "ssh-rsa AAAAB3Nza"])
        let keys = try #require(meta["keys"] as? [[String: String]])
        #expect(
            keys.first == ["type": "ssh", "data": "ssh-ed25519 AAAAC3Nza/Key+1 alice@laptop", "name": "alice@laptop"]
        )
        // Compact, one line, slashes unescaped: what the guest's sed expects.
        let text = String(decoding: Self.drive.metaData(), as: UTF8.self)
        #expect(text.contains("\"hostname\":\"web-1\"") && !text.contains("\n") && !text.contains("\\/"))
    }

    @Test func networkDataHasALinkPerNICAndANetworkPerAddress() throws {
        let network = try Self.object(Self.drive.networkData())
        let links = try #require(network["links"] as? [[String: Any]])
        #expect(links.count == 2)
        #expect(links[0]["ethernet_mac_address"] as? String == "02:00:11:22:33:44")
        #expect(links[0]["id"] as? String == "eth0")
        #expect(links[0]["mtu"] as? Int == 1500)
        #expect(links[1]["type"] as? String == "phy")
        let networks = try #require(network["networks"] as? [[String: Any]])
        #expect(networks.count == 1)
        #expect(networks[0]["ip_address"] as? String == "198.18.1.20")
        #expect(networks[0]["netmask"] as? String == "255.255.255.0")
        #expect(networks[0]["link"] as? String == "eth0")
        #expect(networks[0]["type"] as? String == "ipv4")
        #expect(networks[0]["network_id"] as? String == "net-uuid")
        let routes = try #require(networks[0]["routes"] as? [[String: String]])
        #expect(routes == [["gateway": "198.18.1.1", "netmask": "0.0.0.0", "network": "0.0.0.0"]])
    }

    @Test func filesAreTheOpenStackLatestSetAndUserDataOnlyWhenGiven() {
        #expect(
            Set(Self.drive.files().keys) == [
                "openstack/latest/meta_data.json", "openstack/latest/network_data.json",
                "openstack/latest/vendor_data.json", "openstack/latest/user_data",
            ]
        )
        #expect(Self.drive.vendorData() == Array("{}".utf8))
        let bare = ConfigDrive(uuid: "u", name: "n")
        #expect(bare.files()["openstack/latest/user_data"] == nil)
        #expect(bare.networkData() == Array("{}".utf8))
    }

    @Test func isoIsLabelledConfig2AndKeepsNamesAndBytes() async throws {
        try await withTestDirectory { directory in
            let iso = URL(fileURLWithPath: directory.path("config.iso"))
            try await Self.drive.writeISO(to: iso)
            let bytes = try Data(contentsOf: iso)
            // The primary volume descriptor is sector 16; its volume identifier starts at byte 40.
            #expect(String(decoding: bytes[32808..<32816], as: UTF8.self) == "config-2")
            let out = directory.path("out")
            let xorriso = Process()
            xorriso.executableURL = URL(fileURLWithPath: "/usr/bin/xorriso")
            xorriso.arguments = ["-osirrox", "on", "-indev", iso.path, "-extract", "/", out]
            xorriso.standardOutput = FileHandle.nullDevice
            xorriso.standardError = FileHandle.nullDevice
            try xorriso.run()
            xorriso.waitUntilExit()
            #expect(xorriso.terminationStatus == 0)
            for (path, contents) in Self.drive.files() {
                #expect(FileManager.default.contents(atPath: out + "/" + path) == Data(contents), "\(path)")
            }
            // xorriso extracts read-only files; make them deletable for the cleanup.
            _ = try? FileManager.default.subpathsOfDirectory(atPath: out).map {
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: out + "/" + $0)
            }
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: out)
        }
    }
}
