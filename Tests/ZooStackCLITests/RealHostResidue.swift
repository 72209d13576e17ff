import Foundation
import Testing

/// What a `zoostack serve --hypervisor qemu` run may leave on the machine: QEMU processes of its data directory,
/// taps and bridges (`zst*`, `zsbr*`) of its guests, and the short `/tmp/zoostack-agent-<hash>` link to its agent
/// directory. Found after the server stopped, then swept (processes killed, interfaces and links deleted) so that a
/// failed test leaves nothing behind either.
struct RealHostResidue: CustomStringConvertible {
    /// `pgrep -af` lines of QEMU processes of the cloud.
    var processes: [String] = []
    /// Network interfaces still present.
    var interfaces: [String] = []
    /// Agent links still present.
    var links: [String] = []

    /// Whether nothing is left.
    var isEmpty: Bool { self.processes.isEmpty && self.interfaces.isEmpty && self.links.isEmpty }

    var description: String {
        "QEMU processes: \(self.processes), interfaces: \(self.interfaces), links: \(self.links)"
    }

    /// The `/tmp/zoostack-agent-*` links pointing into `dataDir` (read while the server runs: its own).
    static func agentLinks(into dataDir: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        return names.filter { $0.hasPrefix("zoostack-agent-") }.map { "/tmp/" + $0 }.filter { link in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: link))?.hasPrefix(dataDir + "/") == true
        }
    }

    /// What is left of a cloud.
    /// - Parameters:
    ///   - dataDir: its data directory.
    ///   - links: its agent links (``agentLinks(into:)`` while it ran).
    ///   - interfaces: the taps and bridges its guests had.
    /// - Returns: the residue.
    /// - Throws: when `pgrep` cannot be started.
    static func find(dataDir: String, links: [String], interfaces: [String]) async throws -> RealHostResidue {
        let found = try await ZooStackExecutable.run(
            ["pgrep", "-af", "qemu-system"],
            executable: URL(fileURLWithPath: "/usr/bin/env")
        )
        let paths = [dataDir] + links
        return RealHostResidue(
            processes: found.stdout.split(separator: "\n").map(String.init).filter { line in
                paths.contains { line.contains($0 + "/") }
            },
            interfaces: Set(interfaces).sorted().filter {
                FileManager.default.fileExists(atPath: "/sys/class/net/\($0)")
            },
            links: links.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: $0)) != nil }
        )
    }

    /// Kills the processes, deletes the interfaces and links.
    func sweep() async {
        for line in self.processes {
            if let pid = line.split(separator: " ").first.flatMap({ Int32($0) }) { kill(pid, SIGKILL) }
        }
        for name in self.interfaces {
            _ = try? await ZooStackExecutable.run(
                ["ip", "link", "del", name],
                executable: URL(fileURLWithPath: "/usr/bin/env")
            )
        }
        for link in self.links { try? FileManager.default.removeItem(atPath: link) }
    }
}
