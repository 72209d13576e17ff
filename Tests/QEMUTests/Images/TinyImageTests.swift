import Foundation
import QEMU
import Testing

/// The tiny image's failures, without booting.
struct TinyImageTests {
    @Test func missingKernelNamesThePackageToInstall() async throws {
        try await withTestDirectory { directory in
            let error = #expect(throws: QEMUError.self) { try TinyImage.Inputs.debian(boot: directory.url.path) }
            #expect(error?.code == .toolMissing)
            #expect(error?.message.contains("linux-image-cloud-amd64") == true)
        }
    }

    @Test func unreadableInputIsAnInvalidImageAndLeavesNoOutput() async throws {
        try await withTestDirectory { directory in
            var inputs = try TinyImage.Inputs.debian()
            inputs.busybox = directory.path("no-busybox")
            let output = URL(fileURLWithPath: directory.path("tiny.iso"))
            let error = await #expect(throws: QEMUError.self) {
                try await TinyImage.build(output: output, inputs: inputs)
            }
            #expect(error?.code == .invalidImage)
            #expect(error?.message == "cannot read \(directory.path("no-busybox"))")
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }
}
