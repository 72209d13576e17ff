import Foundation
import Testing

/// `zoostack image tiny` through the built binary (the boot itself is tested in QEMUTests).
struct ImageCommandTests {
    @Test func tinyWritesAHybridISOAndRejectsBadInput() async throws {
        let directory = URL(fileURLWithPath: "/tmp/zoostack-image-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("tiny.iso")

        let built = try await ZooStackExecutable.run(["image", "tiny", "--output", output.path])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stdout.hasPrefix("\(output.path): iso, "))
        let bytes = try Data(contentsOf: output)
        // The isohybrid MBR's boot signature, and the ISO9660 volume label (sector 16, byte 40).
        #expect(bytes[510] == 0x55 && bytes[511] == 0xAA)
        #expect(String(decoding: bytes[32808..<32821], as: UTF8.self) == "ZOOSTACK_TINY")

        let badFormat = try await ZooStackExecutable.run(["image", "tiny", "--output", output.path, "--format", "vmdk"])
        #expect(badFormat.status == 64)
        #expect(badFormat.stderr.contains("'vmdk' is invalid"))

        let nowhere = directory.appendingPathComponent("missing/tiny.iso").path
        let failed = try await ZooStackExecutable.run(["image", "tiny", "--output", nowhere])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("zoostack image tiny: toolFailed: cannot write \(nowhere)"))
    }
}
