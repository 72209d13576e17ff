import ArgumentParser
import Foundation
import QEMU

extension TinyImage.Format: ExpressibleByArgument {}

extension ZooStack {
    /// `zoostack image`: builds guest images.
    struct Image: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "image",
            abstract: "Build guest images.",
            subcommands: [Tiny.self]
        )

        /// `zoostack image tiny --output FILE [--format iso|qcow2]`.
        struct Tiny: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "tiny",
                abstract: "Build a small bootable Linux guest from the machine's Debian packages.",
                discussion: """
                    Uses linux-image-cloud-amd64, busybox-static, isolinux, syslinux-common and xorriso (and \
                    qemu-utils for qcow2); downloads nothing. The guest reads its config drive (label config-2), \
                    sets its hostname and NICs, runs #!/bin/sh user data, prints "zoostack-guest ready HOSTNAME" \
                    then a status line a second on its serial console (ttyS0), and powers off on the ACPI power \
                    button. The ISO is hybrid: it boots as a CD-ROM or as a disk.
                    """
            )

            @Option(help: ArgumentHelp("Where to write the image.", valueName: "file"))
            var output: String

            @Option(help: "The image format: iso or qcow2.")
            var format: TinyImage.Format = .iso

            func run() async throws {
                let url = URL(fileURLWithPath: self.output)
                do {
                    try await TinyImage.build(output: url, format: self.format)
                } catch {
                    FileHandle.standardError.write(Data("zoostack image tiny: \(error)\n".utf8))
                    throw ExitCode.failure
                }
                let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
                print("\(url.path): \(self.format.rawValue), \(size) bytes")
            }
        }
    }
}
