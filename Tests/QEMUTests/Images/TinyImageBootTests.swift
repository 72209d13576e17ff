import Foundation
import QEMU
import Testing

/// Boots the tiny image under TCG: few tests, as each boot takes seconds.
@Suite(.serialized)
struct TinyImageBootTests {
    @Test func bootsFromCDWithConfigDriveRunsUserDataAndPowersOffOnACPI() async throws {
        try await withTestDirectory { directory in
            let image = URL(fileURLWithPath: directory.path("tiny.iso"))
            try await TinyImage.build(output: image, format: .iso)
            let drive = ConfigDrive(
                uuid: "8a7c0f1e-0000-4000-8000-000000000001",
                name: "t1",
                publicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGuest/Key+x t1-key"],
                userData: Array("#!/bin/sh\necho \"user-data-marker $(hostname)\"\n".utf8),
                nics: [
                    ConfigDrive.NIC(
                        deviceId: 0,
                        mac: "52:54:00:12:34:56",
                        address: "198.18.8.7",
                        netmask: "255.255.255.0",
                        gateway: "198.18.8.1"
                    )
                ]
            )
            let config = URL(fileURLWithPath: directory.path("config.iso"))
            try await drive.writeISO(to: config)
            let started = ContinuousClock.now
            try await GuestProcess.with(
                directory,
                arguments: [
                    "-cdrom", image.path, "-drive", "file=\(config.path),media=cdrom,if=ide,index=1,readonly=on",
                    "-device", "virtio-net-pci,mac=52:54:00:12:34:56",
                ]
            ) { guest in
                _ = try await guest.waitForConsole(containing: ["zoostack-guest ready t1"])
                let ready = ContinuousClock.now - started
                let console = try await guest.waitForConsole(containing: ["zoostack-guest uptime="])
                #expect(console.contains("user-data-marker t1"))
                #expect(
                    console.contains(
                        "zoostack-guest public-key ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGuest/Key+x t1-key"
                    )
                )
                #expect(console.contains("zoostack-guest nic eth0 198.18.8.7/24"))
                let status = console.split(separator: "\n").first { $0.contains("zoostack-guest uptime=") }
                #expect(status?.contains("disks=sr0,sr1") == true, "\(status ?? "")")
                try await guest.monitor("system_powerdown")
                let exited = try await guest.waitForExit(timeout: .seconds(30))
                #expect(exited, "QEMU still runs 30 s after system_powerdown:\n\(guest.console())")
                let size = (try? FileManager.default.attributesOfItem(atPath: image.path)[.size] as? Int) ?? 0
                print("tiny ISO \(size) bytes; ready after \(ready) (TCG)")
            }
        }
    }

    @Test func qcow2BootsAsAVirtioDiskWithoutConfigDrive() async throws {
        try await withTestDirectory { directory in
            let image = URL(fileURLWithPath: directory.path("tiny.qcow2"))
            try await TinyImage.build(output: image, format: .qcow2)
            let started = ContinuousClock.now
            try await GuestProcess.with(
                directory,
                // q35, as the driver's VMs: SeaBIOS boots the isohybrid MBR from the virtio disk.
                arguments: ["-machine", "q35", "-drive", "file=\(image.path),format=qcow2,if=virtio"]
            ) { guest in
                let console = try await guest.waitForConsole(
                    containing: ["zoostack-guest ready zoostack-guest", "disks=vda"]
                )
                #expect(!console.contains("user-data"))
                let size = (try? FileManager.default.attributesOfItem(atPath: image.path)[.size] as? Int) ?? 0
                print("tiny qcow2 \(size) bytes; ready after \(ContinuousClock.now - started) (TCG)")
            }
        }
    }
}
