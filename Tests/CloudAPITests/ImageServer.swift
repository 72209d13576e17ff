import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A small HTTP server on 127.0.0.1 serving image files to registerTemplate and registerIso, optionally slowly.
struct ImageServer {
    /// A file the server serves.
    struct File: Sendable {
        /// Its bytes.
        var bytes: ByteBuffer
        /// Bytes per write.
        var chunk = 1 << 20
        /// The pause after each write.
        var pause: Duration = .zero
        /// The `Content-Length` announced (default: the bytes' length).
        var announced: Int?

        init(_ bytes: [UInt8], chunk: Int = 1 << 20, pause: Duration = .zero, announced: Int? = nil) {
            self.bytes = ByteBuffer(bytes: bytes)
            self.chunk = chunk
            self.pause = pause
            self.announced = announced
        }
    }

    /// Serves `files` by name (anything else is a 404) while `body` runs with the server's port.
    static func with<T: Sendable>(
        _ files: [String: File],
        _ body: @escaping @Sendable (_ port: Int) async throws -> T
    ) async throws -> T {
        let router = Router()
        router.get(":name") { _, context -> Response in
            guard let name = context.parameters.get("name"), let file = files[name] else {
                return Response(status: .notFound)
            }
            let length = file.announced ?? file.bytes.readableBytes
            return Response(
                status: .ok,
                headers: [.contentType: "application/octet-stream"],
                body: ResponseBody(contentLength: length) { writer in
                    var remaining = file.bytes
                    while let slice = remaining.readSlice(length: min(file.chunk, remaining.readableBytes)),
                        slice.readableBytes > 0
                    {
                        try await writer.write(slice)
                        if file.pause > .zero { try await Task.sleep(for: file.pause) }
                    }
                    try await writer.finish(nil)
                }
            )
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            try await body(try #require(client.port))
        }
    }
}

/// Images made by the real tools: `qemu-img create` and `xorriso`.
enum TestImages {
    /// Runs a tool to completion (each finishes in well under a second; 30 s bound).
    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) \(arguments.joined(separator: " ")) failed")
    }

    /// A `qemu-img create` image of `format` with the given virtual size, as bytes.
    static func disk(_ format: String, virtualSize: Int, in directory: String) throws -> [UInt8] {
        let file = directory + "/image.\(format)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Self.run("qemu-img", ["create", "-q", "-f", format, file, "\(virtualSize)"])
        return Array(try Data(contentsOf: URL(fileURLWithPath: file)))
    }

    /// An ISO 9660 image holding one small file, made by xorriso.
    static func iso(in directory: String) throws -> [UInt8] {
        let root = directory + "/isoroot"
        let file = directory + "/image.iso"
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: file)
        }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Data("hello from an ISO\n".utf8).write(to: URL(fileURLWithPath: root + "/README"))
        try Self.run("xorriso", ["-as", "mkisofs", "-quiet", "-V", "TESTISO", "-o", file, root])
        return Array(try Data(contentsOf: URL(fileURLWithPath: file)))
    }
}
