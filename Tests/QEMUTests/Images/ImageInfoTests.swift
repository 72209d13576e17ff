import Foundation
import QEMU
import Testing

struct ImageInfoTests {
    /// Runs `qemu-img` with arguments (it finishes at once for these).
    static func qemuImg(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/qemu-img")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
    }

    @Test func readsFormatAndVirtualSizeOfRealImages() async throws {
        try await QEMUScratch.with { directory in
            try Self.qemuImg(["create", "-q", "-f", "qcow2", directory + "/a.qcow2", "\(48 << 20)"])
            try Self.qemuImg(["create", "-q", "-f", "raw", directory + "/b.raw", "\(2 << 20)"])
            let qcow2 = try await ImageInfo.read(path: directory + "/a.qcow2")
            #expect(qcow2.format == "qcow2")
            #expect(qcow2.virtualSize == 48 << 20)
            #expect(qcow2.actualSize > 0)
            #expect(qcow2.backingFile == nil)
            let raw = try await ImageInfo.read(path: directory + "/b.raw")
            #expect(raw.format == "raw")
            #expect(raw.virtualSize == 2 << 20)
            #expect(!ImageInfo.isISO9660(path: directory + "/b.raw"))
            try Self.qemuImg([
                "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", directory + "/a.qcow2", directory + "/c.qcow2",
            ])
            #expect(try await ImageInfo.read(path: directory + "/c.qcow2").backingFile == directory + "/a.qcow2")
        }
    }

    @Test func aMissingFileIsAToolFailure() async throws {
        let error = await #expect(throws: QEMUError.self) {
            try await ImageInfo.read(path: "/nonexistent/zoostack-image.qcow2")
        }
        #expect(error?.code == .toolFailed)
    }

    @Test func recognisesAnISO9660Image() async throws {
        try await QEMUScratch.with { directory in
            // The primary volume descriptor's type byte and standard identifier at 32768 (ECMA-119 8.4).
            var bytes = [UInt8](repeating: 0, count: 34816)
            bytes.replaceSubrange(32768..<32774, with: [1] + Array("CD001".utf8))
            try Data(bytes).write(to: URL(fileURLWithPath: directory + "/x.iso"))
            #expect(ImageInfo.isISO9660(path: directory + "/x.iso"))
            #expect(!ImageInfo.isISO9660(path: directory + "/missing.iso"))
        }
    }
}
