import Foundation
import Testing
import ZooKeeperTestSupport

/// Debian's zkCli.sh (Apache ZooKeeper's own CLI) against `zoostack zookeeper` and Apache ZooKeeper 3.8: the same
/// commands print the same lines once timestamps, zxids and session ids are normalised.
@Suite struct ZkCliOracleTests {
    static let zkCli = "/usr/share/zookeeper/bin/zkCli.sh"

    /// One zkCli.sh session fed on stdin: create/ls/get/set/delete/stat/getAcl, their error cases included.
    static let script = [
        "create /cli \"top data\"",
        "create /cli/b",
        "create /cli/a alpha",
        "create /cli/a again",
        "create -s /cli/seq- s",
        "create -s /cli/seq- s",
        "create -e /cli/eph e",
        "create /cli/missing/x",
        "create /cli/acl x digest:alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=:cdr,world:anyone:r",
        "ls /cli",
        "ls -s /cli",
        "ls /nothere",
        "get /cli",
        "get -s /cli/a",
        "get /nothere",
        "set /cli/a beta",
        "set -s /cli/a gamma",
        "set -v 7 /cli/a delta",
        "get -s /cli/a",
        "stat /cli",
        "stat /cli/eph",
        "stat /nothere",
        "getAcl /cli/acl",
        "getAcl -s /cli/a",
        "getAcl /nothere",
        "delete /cli",
        "delete -v 9 /cli/a",
        "delete /cli/a",
        "delete /cli/a",
        "ls /cli",
        "stat /cli",
        "quit",
    ]

    /// A zkCli.sh session fed on stdin, then zkCli.sh with the command on its command line (one JVM per command,
    /// as scripts use it), each against both servers.
    @Test func zkCliPrintsTheSameAsAgainstApache() async throws {
        async let apacheStart = ApacheZooKeeperServer.start()
        let ours = try await ZooStackServerProcess.start()
        defer { ours.stop() }
        let apache = try await apacheStart
        defer { apache.shutdown() }

        async let theirs = Self.session(port: apache.port)
        let mine = try await Self.session(port: ours.port)
        let expected = try await theirs
        #expect(expected.contains("Created /cli/seq-0000000002"), "Apache's run is not what the test expects")
        #expect(expected.contains("Node already exists: /cli/a"), "\(expected)")
        #expect(mine.count == expected.count, "\(mine.joined(separator: "\n"))")
        for (index, (line, oracle)) in zip(mine, expected).enumerated() {
            #expect(line == oracle, "line \(index): zoostack printed \(line), Apache \(oracle)")
        }

        let commands = [["create", "/one", "1"], ["set", "/one", "22"], ["get", "-s", "/one"], ["getAcl", "/one"]]
        for command in commands {
            async let theirs = Self.run(port: apache.port, command)
            let mine = try await Self.run(port: ours.port, command)
            #expect(mine == (try await theirs), "\(command)")
        }
        #expect(try await Self.run(port: ours.port, ["get", "/one"]) == ["22"])
    }

    static func session(port: Int) async throws -> [String] {
        let input = self.script.joined(separator: "\n") + "\n"
        let result = try await Subprocess.run(
            self.zkCli,
            ["-server", "127.0.0.1:\(port)"],
            standardInput: input,
            limit: .seconds(40)
        )
        return self.normalise(result.output)
    }

    static func run(port: Int, _ command: [String]) async throws -> [String] {
        let result = try await Subprocess.run(self.zkCli, ["-server", "127.0.0.1:\(port)"] + command)
        return self.normalise(result.output)
    }

    /// Drops zkCli.sh's own chatter; replaces times, zxids (renumbered in order of appearance) and session ids.
    static func normalise(_ output: String) -> [String] {
        let chatter = [
            "SLF4J:", "Connecting to ", "Welcome to ZooKeeper", "JLine support", "WATCHER::", "WatchedEvent state:",
        ]
        var zxids: [String: String] = [:]
        return output.split(separator: "\n").map(String.init)
            .filter { line in !line.isEmpty && !chatter.contains { line.hasPrefix($0) } }
            .map { line in
                let parts = line.split(separator: " = ", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { return line }
                switch parts[0] {
                case "ctime", "mtime":
                    return "\(parts[0]) = TIME"
                case "cZxid", "mZxid", "pZxid":
                    let name = zxids[parts[1]] ?? "Z\(zxids.count + 1)"
                    zxids[parts[1]] = name
                    return "\(parts[0]) = \(name)"
                case "ephemeralOwner":
                    return parts[1] == "0x0" ? line : "ephemeralOwner = SESSION"
                default:
                    return line
                }
            }
    }
}
