import Foundation
import Synchronization
import Testing

/// `zoostack zk watch`, and `zoostack zk` output compared with Apache ZooKeeper's own zkCli.sh.
@Suite
struct ZKWatchAndOracleTests {
    let root = "/cli-\(UInt32.random(in: .min ... .max))"

    func zk(_ arguments: String...) async throws -> ZooStackExecutable.Result {
        try await self.zk(arguments)
    }

    func zk(_ arguments: [String]) async throws -> ZooStackExecutable.Result {
        let server = try await CLIZooKeeper.connectString()
        return try await ZooStackExecutable.run(["zk", "--server", server] + arguments)
    }

    @Test func watchPrintsEventsAndExitsAfterCount() async throws {
        let server = try await CLIZooKeeper.connectString()
        _ = try await self.zk("create", self.root)
        let process = Process()
        process.executableURL = ZooStackExecutable.url
        process.arguments = ["zk", "--server", server, "watch", "--recursive", "--count", "2", self.root]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let lines = LineCollector(output.fileHandleForReading)

        // The watch is in place once a change is seen: until then, keep changing the data.
        let deadline = ContinuousClock.now + .seconds(10)
        while lines.count == 0 && ContinuousClock.now < deadline {
            _ = try await self.zk("set", self.root, "x")
            try await Task.sleep(for: .milliseconds(100))
        }
        _ = try await self.zk("create", "\(self.root)/child")
        while (process.isRunning || lines.count < 2) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }

        #expect(process.terminationStatus == 0)
        let seen = lines.all
        #expect(seen.count == 2)
        #expect(seen.first == "WatchedEvent state:SyncConnected type:NodeDataChanged path:\(self.root)")
        #expect(seen.last == "WatchedEvent state:SyncConnected type:NodeCreated path:\(self.root)/child")
    }

    /// The same commands through zkCli.sh and zoostack print the same lines (zkCli.sh's connection chatter aside).
    @Test func outputMatchesZkCli() async throws {
        let server = try await CLIZooKeeper.connectString()
        _ = try await self.zk("create", self.root, "some data")
        _ = try await self.zk("create", "\(self.root)/b")
        _ = try await self.zk("create", "\(self.root)/a", "", "world:anyone:cdr,ip:127.0.0.1:cdrwa")
        for command in [["ls", "-s", self.root], ["get", "-s", self.root], ["stat", self.root]] {
            let ours = try await self.zk(command)
            let theirs = try await ZkCli.run(server: server, command)
            #expect(ours.stdout == theirs, "\(command)")
        }
        let ours = try await self.zk("getacl", "\(self.root)/a")
        #expect(ours.stdout == (try await ZkCli.run(server: server, ["getAcl", "\(self.root)/a"])))
    }
}

/// Apache ZooKeeper's `zkCli.sh`, with the lines it prints about its own connection removed.
enum ZkCli {
    static func run(server: String, _ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/share/zookeeper/bin/zkCli.sh")
        process.arguments = ["-server", server] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let chatter = ["Connecting to ", "WATCHER::", "WatchedEvent state:SyncConnected type:None path:null"]
        return String(decoding: data, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in !line.isEmpty && !chatter.contains { line.hasPrefix($0) } }
            .map { $0 + "\n" }
            .joined()
    }
}

/// Collects a pipe's lines as they arrive.
final class LineCollector: Sendable {
    private let state = Mutex<(buffer: String, lines: [String])>(("", []))

    init(_ handle: FileHandle) {
        handle.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            self.state.withLock { state in
                state.buffer += String(decoding: data, as: UTF8.self)
                while let newline = state.buffer.firstIndex(of: "\n") {
                    state.lines.append(String(state.buffer[..<newline]))
                    state.buffer.removeSubrange(...newline)
                }
            }
        }
    }

    var count: Int { self.state.withLock { $0.lines.count } }
    var all: [String] { self.state.withLock { $0.lines } }
}
