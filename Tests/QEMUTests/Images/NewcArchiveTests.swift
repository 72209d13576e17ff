import Foundation
import QEMU
import Testing

struct NewcArchiveTests {
    @Test func encodesHeadersNamesAndDataPaddedToFourBytes() {
        var archive = NewcArchive()
        archive.addFile("init", contents: Array("hi\n".utf8), permissions: 0o755)
        let bytes = archive.encoded()
        let header = String(decoding: bytes[0..<110], as: UTF8.self)
        // magic, ino 1, mode 0100755, uid, gid, nlink 1, mtime, size 3, dev, rdev, namesize 5, check.
        let prefix = "070701" + "00000001000081ED" + "000000000000000000000001"
        let suffix = "00000003" + "00000000000000000000000000000000" + "0000000500000000"
        #expect(header.hasPrefix(prefix))
        #expect(header.hasSuffix(suffix))
        #expect(Array(bytes[110..<115]) == Array("init\0".utf8))
        // 110 + 5 = 115, padded to 116; the data starts there.
        #expect(Array(bytes[116..<119]) == Array("hi\n".utf8))
        #expect(bytes.count % 4 == 0)
        let trailer = String(decoding: bytes[120...], as: UTF8.self)
        #expect(trailer.contains("TRAILER!!!"))
    }

    @Test func busyboxCpioListsWhatWasAdded() async throws {
        var archive = NewcArchive()
        archive.addDirectory("bin")
        archive.addFile("bin/busybox-copy", contents: [1, 2, 3, 4, 5])
        archive.addSymlink("bin/sh", target: "busybox")
        archive.addCharacterDevice("dev-console", major: 5, minor: 1)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("newc-\(UUID()).cpio")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(archive.encoded()).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/busybox")
        process.arguments = ["cpio", "-t", "-v", "-F", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let listing = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = listing.split(separator: "\n")
        #expect(lines.count == 4, "\(listing)")
        #expect(lines.first { $0.hasSuffix(" bin") }?.hasPrefix("drwxr-xr-x") == true)
        #expect(lines.contains { $0.contains("bin/sh -> busybox") })
        #expect(lines.first { $0.hasSuffix("dev-console") }?.hasPrefix("crw-------") == true)
        #expect(lines.first { $0.hasSuffix("bin/busybox-copy") }?.contains(" 5 ") == true)
    }
}
