import Foundation
import QEMU
import Testing

/// The standard-library stand-ins for what the agent's modules took from full Foundation give what Foundation gives.
struct EssentialsTextTests {
    static let texts = [
        "", " ", "abc", "  abc\n", "\t\r\n12345\r\n", "\u{85}a b\u{2028}", "\u{A0}\u{3000}x\u{200A}", "a\u{0301} ",
        " \u{0301}a", "\n\n", "x\u{200B}",
    ]

    @Test(arguments: Self.texts)
    func trimmingMatchesFoundation(text: String) {
        #expect(text.trimmedWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test(arguments: ["/a/b", "/a/b/", "/", "a/b", "/a", "//a//b", "a", "", "../../devices/virtual/net/zsbr1"])
    func pathComponentsMatchNSString(path: String) {
        #expect(path.lastPathComponentText == (path as NSString).lastPathComponent)
        // NSString traps on a relative path with one component ("a"); its answer there is the empty string.
        if path != "a" {
            #expect(path.deletingLastPathComponentText == (path as NSString).deletingLastPathComponent)
        }
    }

    @Test func numericOrderMatchesCompareNumeric() {
        let names = [
            "vmlinuz-6.1.0-18-cloud-amd64", "vmlinuz-6.1.0-9-cloud-amd64", "vmlinuz-6.10.0-1-cloud-amd64",
            "vmlinuz-6.1.0-09-cloud-amd64", "vmlinuz-6.1.0-cloud-amd64", "vmlinuz-6.1", "a10", "a9", "a", "b1",
        ]
        for left in names {
            for right in names where left != right {
                let foundation = left.compare(right, options: .numeric) == .orderedAscending
                #expect(left.precedesNumerically(right) == foundation, "\(left) < \(right)")
            }
        }
    }

    @Test func fileBytesReadsRangesAndTails() throws {
        let path = "/tmp/zoostack-filebytes-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let content = Array((0..<300).map { UInt8($0 % 256) })
        try Data(content).write(to: URL(fileURLWithPath: path))
        #expect(FileBytes.read(path, upTo: 4) == [0, 1, 2, 3])
        #expect(FileBytes.read(path, from: 298, upTo: 5) == [42, 43])
        #expect(FileBytes.read(path, from: 400, upTo: 5) == [])
        let tail = try #require(FileBytes.tail(path, upTo: 3))
        #expect(tail.bytes == [41, 42, 43] && tail.size == 300)
        #expect(try #require(FileBytes.tail(path, upTo: 1000)).bytes == content)
        #expect(FileBytes.read(path + "-missing", upTo: 1) == nil)
        #expect(FileBytes.tail(path + "-missing", upTo: 1) == nil)
    }

    @Test func reasonOfAFileSystemErrorIsItsPOSIXCause() {
        do {
            try FileManager.default.createDirectory(atPath: "/proc/zoostack/x", withIntermediateDirectories: true)
            Issue.record("created a directory under /proc")
        } catch {
            #expect(error.reasonText == "No such file or directory")
        }
    }
}
