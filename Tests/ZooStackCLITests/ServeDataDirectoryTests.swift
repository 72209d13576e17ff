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
