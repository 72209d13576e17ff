import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Stand-in for ZooKeeperTestSupport's `ApacheZooKeeperServer` until it lands: same shape (`start(options:)`,
// `.connectString`, `.port`, `stop()`), kept in this one file so that swapping it is a one-file change.

/// A standalone Apache ZooKeeper (Debian's `zookeeper` package) on a free loopback port, in a temp dir.
final class LocalApacheZooKeeper: Sendable {
    /// How to start it.
    struct Options: Sendable {
        /// The Java class path holding ZooKeeper and its log configuration.
        var classPath =
            ProcessInfo.processInfo.environment["ZOOSTACK_ZK_CLASSPATH"] ?? "/etc/zookeeper/conf:/usr/share/java/*"
        /// The `java` executable.
        var java = ProcessInfo.processInfo.environment["ZOOSTACK_JAVA"] ?? "/usr/bin/java"
        /// How long to wait for the server to answer `ruok`.
        var startTimeout: Duration = .seconds(30)
    }

    /// The server could not be started.
    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The client port.
    let port: Int
    /// `127.0.0.1:<port>`.
    var connectString: String { "127.0.0.1:\(self.port)" }

    private let process: Process
    private let directory: URL

    private init(port: Int, process: Process, directory: URL) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    /// Starts a server and waits until it answers `ruok`.
    /// - Parameter options: how to start it.
    /// - Returns: the running server.
    /// - Throws: `StartFailure` when Java or ZooKeeper is missing or the server did not come up.
    static func start(options: Options = Options()) async throws -> LocalApacheZooKeeper {
        guard FileManager.default.isExecutableFile(atPath: options.java) else {
            throw StartFailure(description: "no \(options.java): install Apache ZooKeeper (apt-get install zookeeper)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-cli-zk-\(UUID())")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("data"),
            withIntermediateDirectories: true
        )
        let port = try self.freePort()
        let config = """
            tickTime=2000
            dataDir=\(directory.path)/data
            clientPort=\(port)
            clientPortAddress=127.0.0.1
            admin.enableServer=false
            4lw.commands.whitelist=*
            extendedTypesEnabled=true

            """
        let configFile = directory.appendingPathComponent("zoo.cfg")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let log = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: options.java)
        process.arguments = [
            "-Dzookeeper.log.dir=\(directory.path)", "-cp", options.classPath,
            "org.apache.zookeeper.server.ZooKeeperServerMain", configFile.path,
        ]
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let server = LocalApacheZooKeeper(port: port, process: process, directory: directory)
        let deadline = ContinuousClock.now + options.startTimeout
        while ContinuousClock.now < deadline {
            if self.ruok(port: port) { return server }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        server.stop()
        throw StartFailure(description: "Apache ZooKeeper did not start on port \(port):\n\(output.suffix(2000))")
    }

    /// Stops the server and removes its directory.
    func stop() {
        if self.process.isRunning {
            self.process.terminate()
            self.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: self.directory)
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw StartFailure(description: "bind failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Sends the `ruok` four-letter word; true when the answer is `imok`.
    private static func ruok(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = self.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        // A server still starting may accept and drop the connection: a plain write would raise SIGPIPE and kill
        // the test process without a word.
        #if os(Linux)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        let flags: Int32 = 0
        #endif
        guard connected == 0, send(fd, "ruok", 4, flags) == 4 else { return false }
        var answer = [UInt8](repeating: 0, count: 4)
        return read(fd, &answer, 4) == 4 && answer == Array("imok".utf8)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

/// Runs a suite with one Apache ZooKeeper shared by its tests (each test works under its own root znode).
struct ApacheZooKeeperTrait: SuiteTrait, TestScoping {
    /// The server of the suite being run.
    @TaskLocal static var server: LocalApacheZooKeeper?

    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await LocalApacheZooKeeper.start()
        do {
            try await Self.$server.withValue(server) { try await function() }
        } catch {
            server.stop()
            throw error
        }
        server.stop()
    }
}

extension Trait where Self == ApacheZooKeeperTrait {
    /// One Apache ZooKeeper for the whole suite.
    static var apacheZooKeeper: Self { Self() }
}
