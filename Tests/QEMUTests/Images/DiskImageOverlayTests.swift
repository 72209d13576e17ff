import Foundation
import QEMU
import Testing

/// `DiskImage.createOverlay` on real files: the overlay is at least the size asked for, never smaller than its
/// backing file, and a missing backing file leaves nothing behind.
struct DiskImageOverlayTests {
    @Test func growsToALargerSizeAndKeepsTheBackingSizeOtherwise() async throws {
        try await QEMUScratch.with { directory in
            let base = directory + "/base.qcow2"
            try await DiskImage.create(at: base, size: 32 << 20)
            try await DiskImage.createOverlay(
                at: directory + "/grown.qcow2",
                backingFile: base,
                backingFormat: "qcow2",
                size: 48 << 20
            )
            let grown = try await DiskImage.info(directory + "/grown.qcow2")
            #expect(grown.virtualSize == 48 << 20)
            #expect(grown.backingFile == base)
            try await DiskImage.createOverlay(
                at: directory + "/same.qcow2",
                backingFile: base,
                backingFormat: "qcow2",
                size: 16 << 20
            )
            #expect(try await DiskImage.info(directory + "/same.qcow2").virtualSize == 32 << 20)
            try await DiskImage.createOverlay(at: directory + "/plain.qcow2", backingFile: base, backingFormat: "qcow2")
            #expect(try await DiskImage.info(directory + "/plain.qcow2").virtualSize == 32 << 20)
        }
    }

    @Test func aMissingBackingFileFailsAndLeavesNoOverlay() async throws {
        try await QEMUScratch.with { directory in
            let error = await #expect(throws: QEMUError.self) {
                try await DiskImage.createOverlay(
                    at: directory + "/o.qcow2",
                    backingFile: directory + "/missing.qcow2",
                    backingFormat: "qcow2",
                    size: 16 << 20
                )
            }
            #expect(error?.code == .toolFailed)
            #expect(!FileManager.default.fileExists(atPath: directory + "/o.qcow2"))
        }
    }
}
