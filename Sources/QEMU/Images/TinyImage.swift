#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `zoostack image tiny`: a small bootable Linux guest built only from Debian packages already on the machine
/// (`linux-image-cloud-amd64`, `busybox-static`, `isolinux`, `syslinux-common`, `xorriso`, `qemu-utils`).
///
/// The image is a hybrid ISO9660: isolinux boots it from a CD-ROM, and its isohybrid MBR lets the same bytes boot
/// from a hard disk (SeaBIOS, IDE or virtio). It holds the kernel and a gzip'd newc initramfs with busybox, the
/// few modules the guest needs and ``GuestInit``'s script; the kernel command line is
/// `console=ttyS0 quiet swiotlb=1024`, so the guest talks on the first serial port, and a 2 MiB bounce buffer
/// (instead of 64 MiB) leaves a 128 MiB guest room to boot when hot-pluggable memory above 4 GiB makes the kernel
/// set one up. The `qcow2` format is the same image converted by `qemu-img`.
public enum TinyImage {
    /// The image's container format.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// The hybrid ISO itself (boots as a CD-ROM or a disk).
        case iso
        /// The hybrid ISO converted to qcow2 (boots as a disk).
        case qcow2
    }

    /// The modules the guest loads when the kernel has them as modules: virtio disks and NICs, IDE/ATA CD-ROMs,
    /// ISO9660, and the ACPI power button with the event device `acpid` reads. Debian's cloud kernel has no AHCI,
    /// so on a q35 machine CD-ROMs stay invisible: there the config drive goes on a virtio disk (the init looks at
    /// `/dev/vd*` too). `ahci` is listed for kernels that have it.
    public static let moduleNames = [
        "virtio_pci", "virtio_blk", "virtio_net", "libata", "ata_piix", "ata_generic", "ahci", "cdrom", "sr_mod",
        "sd_mod", "isofs", "button", "evdev",
    ]

    /// The host files the image is made of.
    public struct Inputs: Sendable, Hashable {
        /// The kernel (`/boot/vmlinuz-VERSION-cloud-amd64`).
        public var kernel: String
        /// Its modules (`/lib/modules/VERSION`).
        public var modulesDirectory: String
        /// A static busybox.
        public var busybox: String
        /// isolinux's boot loader.
        public var isolinux: String
        /// isolinux's library module (`ldlinux.c32`).
        public var ldlinux: String
        /// The isohybrid MBR.
        public var isohybridMBR: String

        /// Creates inputs from explicit paths.
        public init(
            kernel: String,
            modulesDirectory: String,
            busybox: String,
            isolinux: String,
            ldlinux: String,
            isohybridMBR: String
        ) {
            self.kernel = kernel
            self.modulesDirectory = modulesDirectory
            self.busybox = busybox
            self.isolinux = isolinux
            self.ldlinux = ldlinux
            self.isohybridMBR = isohybridMBR
        }

        /// Debian's locations, with the newest `/boot/vmlinuz-*-cloud-amd64`; `toolMissing` names the package
        /// to install when a file is absent.
        public static func debian(
            boot: String = "/boot",
            modules: String = "/lib/modules"
        ) throws(QEMUError)
            -> Inputs
        {
            let kernels = ((try? FileManager.default.contentsOfDirectory(atPath: boot)) ?? [])
                .filter { $0.hasPrefix("vmlinuz-") && $0.hasSuffix("-cloud-amd64") }
                .sorted { $0.precedesNumerically($1) }
            guard let newest = kernels.last else {
                throw QEMUError(.toolMissing, "no \(boot)/vmlinuz-*-cloud-amd64 (install linux-image-cloud-amd64)")
            }
            let version = String(newest.dropFirst("vmlinuz-".count))
            let inputs = Inputs(
                kernel: boot + "/" + newest,
                modulesDirectory: modules + "/" + version,
                busybox: "/bin/busybox",
                isolinux: "/usr/lib/ISOLINUX/isolinux.bin",
                ldlinux: "/usr/lib/syslinux/modules/bios/ldlinux.c32",
                isohybridMBR: "/usr/lib/ISOLINUX/isohdpfx.bin"
            )
            let packages = [
                (inputs.modulesDirectory + "/modules.dep", "linux-image-cloud-amd64"),
                (inputs.busybox, "busybox-static"), (inputs.isolinux, "isolinux"),
                (inputs.isohybridMBR, "isolinux"), (inputs.ldlinux, "syslinux-common"),
            ]
            for (path, package) in packages where !FileManager.default.fileExists(atPath: path) {
                throw QEMUError(.toolMissing, "\(path) is missing (install \(package))")
            }
            return inputs
        }
    }

    /// Builds the image in a temporary directory, then moves it to `output` (replacing it); on failure `output`
    /// is left as it was.
    public static func build(output: URL, format: Format = .iso, inputs: Inputs? = nil) async throws(QEMUError) {
        let inputs = try Self.inputs(inputs)
        let scratch = try ScratchDirectory(prefix: "zoostack-image")
        defer { scratch.remove() }
        let cpio = try Self.initramfs(inputs: inputs).encoded()
        try scratch.write(cpio, to: "initrd")
        try await ImageTool.run("gzip", ["-9", "-n", scratch.url.appendingPathComponent("initrd").path])
        let tree = "iso"
        try scratch.write(try Self.read(inputs.kernel), to: tree + "/vmlinuz")
        let initrd = scratch.url.appendingPathComponent("initrd.gz").path
        try scratch.write(try Self.read(initrd), to: tree + "/initrd.gz")
        try scratch.write(try Self.read(inputs.isolinux), to: tree + "/isolinux/isolinux.bin")
        try scratch.write(try Self.read(inputs.ldlinux), to: tree + "/isolinux/ldlinux.c32")
        try scratch.write(Array(Self.isolinuxConfig.utf8), to: tree + "/isolinux/isolinux.cfg")
        let iso = scratch.url.appendingPathComponent("tiny.iso")
        try await ImageTool.run(
            "xorriso",
            [
                "-as", "mkisofs", "-quiet", "-o", iso.path, "-V", "ZOOSTACK_TINY", "-J", "-r",
                "-isohybrid-mbr", inputs.isohybridMBR, "-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat",
                "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table",
                scratch.url.appendingPathComponent(tree).path,
            ]
        )
        switch format {
        case .iso:
            try scratch.publish("tiny.iso", to: output)
        case .qcow2:
            let qcow2 = scratch.url.appendingPathComponent("tiny.qcow2")
            try await ImageTool.run("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", iso.path, qcow2.path])
            try scratch.publish("tiny.qcow2", to: output)
        }
    }

    private static func inputs(_ given: Inputs?) throws(QEMUError) -> Inputs {
        if let given { return given }
        return try Inputs.debian()
    }

    /// isolinux's configuration: boot the kernel at once, console on the first serial port, a small software
    /// IO TLB (the kernel's 64 MiB default, set up when memory may be hot-plugged above 4 GiB, would not leave a
    /// 128 MiB guest enough to boot).
    static let isolinuxConfig = """
        DEFAULT zoostack
        PROMPT 0
        TIMEOUT 0
        LABEL zoostack
          KERNEL /vmlinuz
          APPEND initrd=/initrd.gz console=ttyS0 quiet swiotlb=1024

        """

    /// The guest's root file system: busybox, `/init`, the power-button handler and the modules in load order.
    static func initramfs(inputs: Inputs) throws(QEMUError) -> NewcArchive {
        var archive = NewcArchive()
        for directory in [
            "bin", "dev", "etc", "etc/acpi", "etc/acpi/PWRF", "lib", "lib/modules", "mnt", "mnt/cfg", "proc",
            "root", "sys", "tmp", "var", "var/run",
        ] {
            archive.addDirectory(directory, permissions: directory == "tmp" ? 0o1777 : 0o755)
        }
        archive.addCharacterDevice("dev/console", major: 5, minor: 1)
        archive.addFile("bin/busybox", contents: try Self.read(inputs.busybox), permissions: 0o755)
        archive.addSymlink("bin/sh", target: "busybox")
        archive.addFile("init", contents: Array(GuestInit.script.utf8), permissions: 0o755)
        archive.addFile(
            "etc/acpi/PWRF/00000080",
            contents: Array(GuestInit.powerButtonHandler.utf8),
            permissions: 0o755
        )
        archive.addFile("etc/hostname", contents: Array((GuestInit.defaultHostname + "\n").utf8))
        let directory = inputs.modulesDirectory
        let modules = KernelModules(
            modulesDep: try Self.text(directory + "/modules.dep"),
            modulesBuiltin: (try? Self.text(directory + "/modules.builtin")) ?? ""
        )
        var order: [String] = []
        for path in modules.loadOrder(for: Self.moduleNames) {
            let file = String(path.split(separator: "/").last ?? "")
            archive.addFile("lib/modules/" + file, contents: try Self.read(directory + "/" + path))
            order.append(file)
        }
        archive.addFile("lib/modules/load.order", contents: Array(order.map { $0 + "\n" }.joined().utf8))
        return archive
    }

    static func read(_ path: String) throws(QEMUError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw QEMUError(.invalidImage, "cannot read \(path)")
        }
        return Array(data)
    }

    static func text(_ path: String) throws(QEMUError) -> String {
        String(decoding: try Self.read(path), as: UTF8.self)
    }
}
