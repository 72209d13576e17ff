import Foundation
import Testing

/// `zoostack serve`'s data directory is the owner's alone, and the database holds no clear secret key.
struct ServeDataDirectoryTests {
    @Test func theDataDirectoryAndEveryFileInItAreOwnerOnly() async throws {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-modes-\(UUID())").path
        // A directory as an older ZooStack (or umask 022) left it.
        try FileManager.default.createDirectory(
            atPath: "\(dataDir)/old",
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o755]
        )
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dataDir)
        _ = FileManager.default.createFile(
            atPath: "\(dataDir)/old/notes.txt",
            contents: Data("x".utf8),
            attributes: [.posixPermissions: 0o644]
        )
        let cloud = try await ServedCloud.start(dataDir: dataDir)
        defer { cloud.stop() }
        // Something is written after start too (a deployment's rows, the embedded ZooKeeper's log).
        #expect(try await cloud.call(["listZones"]).status == 0)

        func mode(_ path: String) throws -> Int {
            try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        #expect(try mode(dataDir) == 0o700)
        var files: [String] = []
        let entries = try #require(FileManager.default.enumerator(atPath: dataDir))
        while let relative = entries.nextObject() as? String {
            let path = "\(dataDir)/\(relative)"
            let type = try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
            if type == .typeDirectory {
                #expect(try mode(path) == 0o700, "\(relative)")
            } else if type == .typeRegular {
                files.append(relative)
                #expect(try mode(path) == 0o600, "\(relative)")
            }
        }
        for expected in ["zoostack.sqlite", "server-id", "admin-credentials.json", "key", "old/notes.txt"] {
            #expect(files.contains(expected), "\(files)")
        }
        #expect(files.contains { $0.hasPrefix("zookeeper/") }, "\(files)")

        // The admin's secret key is nowhere in the database files; the key file is apart from them.
        let credentials = try String(contentsOfFile: cloud.credentials, encoding: .utf8)
        let secret = try #require(
            credentials.split(separator: "\"").drop { $0 != "secretkey" }.dropFirst(2).first.map(String.init)
        )
        #expect(secret.count > 40)
        for file in files where file.hasPrefix("zoostack.sqlite") {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(dataDir)/\(file)"))
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file)")
        }
    }
}

/// `zoostack serve --http-idle-timeout-ms/--http-read-timeout-ms`: the API closes idle connections and stalled
/// requests.
struct ServeHTTPTimeoutTests {
    /// Opens a loopback TCP connection, sends `text`, and reports whether the server closes it within `seconds`.
    static func closedAfterSending(_ text: String, port: Int, within seconds: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return false }
        _ = text.withCString { send(socket, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<1000 {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
        return false
    }

    @Test func idleAndHalfSentRequestsAreClosed() async throws {
        let cloud = try await ServedCloud.start(arguments: [
            "--http-idle-timeout-ms", "300", "--http-read-timeout-ms", "300",
        ])
        defer { cloud.stop() }
        let port = cloud.apiPort
        let idle = "GET /client/api?command=listZones&response=json HTTP/1.1\r\nHost: localhost\r\n\r\n"
        #expect(Self.closedAfterSending(idle, port: port, within: 10))
        #expect(
            Self.closedAfterSending("GET /client/api?command=listZones HTTP/1.1\r\nHost: l", port: port, within: 10)
        )
        let body = "POST /client/api HTTP/1.1\r\nHost: localhost\r\nContent-Length: 50\r\n\r\ncommand=list"
        #expect(Self.closedAfterSending(body, port: port, within: 10))
    }
}
