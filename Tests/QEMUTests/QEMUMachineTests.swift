import Foundation
import Testing

@testable import QEMU

struct QEMUMachineTests {
    static let uuid = UUID(uuidString: "6F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0")!

    @Test func minimalTCGMachine() {
        let machine = QEMUMachine(
            name: "vm-1",
            uuid: Self.uuid,
            memoryMiB: 64,
            accelerator: .tcg,
            runDirectory: "/run/zoostack/vm-1"
        )
        #expect(
            machine.arguments == [
                "-name", "guest=vm-1", "-uuid", "6f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "-machine", "q35",
                "-accel", "tcg", "-smp", "cpus=1", "-m", "64M", "-nodefaults", "-no-user-config", "-display",
                "none", "-qmp", "unix:/run/zoostack/vm-1/qmp.sock,server=on,wait=off", "-pidfile",
                "/run/zoostack/vm-1/qemu.pid", "-daemonize", "-serial", "file:/run/zoostack/vm-1/serial.log",
                "-nic", "none",
            ]
        )
    }

    @Test func kvmWithHotplugDrivesNICsAndKernel() {
        var machine = QEMUMachine(
            name: "web,1",
            uuid: Self.uuid,
            cpus: 2,
            maxCPUs: 4,
            memoryMiB: 256,
            accelerator: .kvm,
            runDirectory: "/r"
        )
        machine.drives = [
            .init(path: "/p/root.qcow2"),
            .init(path: "/p/cfg.iso", format: "raw", interface: .ideCD),
            .init(path: nil, interface: .ideCD),
            .init(path: "/p/data,1.raw", format: "raw", readOnly: true),
        ]
        machine.nics = [
            .init(bridge: "br0", mac: "02:00:00:00:00:01"), .init(bridge: "br1", mac: "02:00:00:00:00:02", tap: "tap7"),
        ]
        machine.kernel = "/boot/vmlinuz"
        machine.initrd = "/boot/initrd"
        machine.append = "console=ttyS0"
        machine.serialLog = false
        machine.startPaused = true
        machine.incoming = "defer"
        #expect(
            machine.arguments == [
                "-name", "guest=web,,1", "-uuid", "6f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "-machine", "q35",
                "-accel", "kvm", "-cpu", "host", "-smp", "cpus=2,maxcpus=4", "-m", "256M", "-nodefaults",
                "-no-user-config", "-display", "none", "-qmp", "unix:/r/qmp.sock,server=on,wait=off", "-pidfile",
                "/r/qemu.pid", "-daemonize",
                "-drive", "file=/p/root.qcow2,format=qcow2,if=none,id=drive0",
                "-device", "virtio-blk-pci,drive=drive0,id=disk0",
                "-drive", "file=/p/cfg.iso,format=raw,if=none,id=drive1,media=cdrom,readonly=on",
                "-device", "ide-cd,drive=drive1,id=cd1",
                "-drive", "if=none,id=drive2,media=cdrom,readonly=on", "-device", "ide-cd,drive=drive2,id=cd2",
                "-drive", "file=/p/data,,1.raw,format=raw,if=none,id=drive3,readonly=on",
                "-device", "virtio-blk-pci,drive=drive3,id=disk3",
                "-netdev", "bridge,id=net0,br=br0", "-device", "virtio-net-pci,netdev=net0,mac=02:00:00:00:00:01",
                "-netdev", "tap,id=net1,ifname=tap7,script=no,downscript=no",
                "-device", "virtio-net-pci,netdev=net1,mac=02:00:00:00:00:02",
                "-kernel", "/boot/vmlinuz", "-initrd", "/boot/initrd", "-append", "console=ttyS0", "-S",
                "-incoming", "defer",
            ]
        )
    }

    @Test func memoryHeadroomAddsDIMMSlots() {
        var machine = QEMUMachine(name: "g", uuid: Self.uuid, memoryMiB: 128, accelerator: .tcg, runDirectory: "/r")
        machine.maxMemoryMiB = 512
        #expect(machine.arguments.contains("128M,slots=16,maxmem=512M"))
        machine.memorySlots = 4
        #expect(machine.arguments.contains("128M,slots=4,maxmem=512M"))
        // No more than the start size: no room, no slots.
        machine.maxMemoryMiB = 128
        #expect(machine.arguments.contains("128M"))
    }
}
