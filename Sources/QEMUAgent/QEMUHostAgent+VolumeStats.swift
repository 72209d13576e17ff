import Agent
import QEMU

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

extension QEMUHostAgent {
    /// `GetVolumeStatsCommand`: every file of primary storage with its virtual size (read from the qcow2 header,
    /// the length of any other file) and its physical size (the blocks the file system allocated). Reading the
    /// header needs no lock, so files in use by a running QEMU are measured too.
    func volumeStats() -> [String: AgentVolumeStats] {
        let directory = self.configuration.primaryStorage
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var stats: [String: AgentVolumeStats] = [:]
        for name in names where PlainName.isValid(name) {
            let path = self.configuration.diskPath(name)
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            stats[name] = AgentVolumeStats(
                virtualSize: Self.qcow2VirtualSize(path) ?? Int64(info.st_size),
                physicalSize: Int64(info.st_blocks) * 512
            )
        }
        return stats
    }

    /// The size field of a qcow2 header (bytes 24..<32, big-endian, after the magic `QFI\xfb`); nil for other files.
    static func qcow2VirtualSize(_ path: String) -> Int64? {
        guard let header = FileBytes.read(path, upTo: 32), header.count == 32,
            header.prefix(4).elementsEqual([0x51, 0x46, 0x49, 0xFB])
        else { return nil }
        return header[24..<32].reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }
}
