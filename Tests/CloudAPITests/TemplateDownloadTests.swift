import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Crypto
import Foundation
import Testing

/// registerTemplate and registerIso into a zone with a `file://` image store: real downloads over HTTP on
/// 127.0.0.1, checked with the checksum, `qemu-img info` and the ISO 9660 signature.
struct TemplateDownloadTests {
    /// A cloud whose zone has a file image store in a fresh temporary directory (removed by ``finish()``).
    struct Fixture {
        let cloud: TestCloud
        let zoneId: String
        let directory: String

        static func make() async throws -> Fixture {
            let cloud = try await TestCloud.make()
            let zone = try await cloud.first("listZones", "zone")
            let zoneId = try #require(zone["id"]?.stringValue)
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("zoostack-images-\(UUID().uuidString)").path
            try await ImageStoreDownloads.addFileStore(
                zoneId: zoneId,
                directory: directory,
                store: cloud.server.core.store
            )
            return Fixture(cloud: cloud, zoneId: zoneId, directory: directory)
        }

        func finish() async {
            await self.cloud.server.core.imageDownloads.shutdown()
            try? FileManager.default.removeItem(atPath: self.directory)
        }

        /// The files under `template/`.
        var files: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: self.directory + "/template")) ?? []).sorted()
        }

        /// Registers a template (or, with format ISO, an ISO); returns its id.
        func register(_ url: String, format: String, checksum: String? = nil) async throws -> String {
            var parameters = ["name": "t", "displaytext": "t", "url": url, "zoneid": self.zoneId]
            if let checksum { parameters["checksum"] = checksum }
            let command = format == "ISO" ? "registerIso" : "registerTemplate"
            if format != "ISO" {
                parameters["format"] = format
                parameters["hypervisor"] = "KVM"
            }
            let (status, body) = await self.cloud.call(command, parameters)
            try #require(status == 200, "\(body.json)")
            return try #require(body.items.first?["id"]?.stringValue)
        }

        /// The template's listing while its download runs, until it is ready or failed (30 s bound); every status
        /// seen, in order, and the last listing.
        func await(_ id: String, iso: Bool = false) async throws -> (statuses: [String], last: APIValue) {
            var statuses: [String] = []
            let deadline = ContinuousClock.now + .seconds(90)
            while ContinuousClock.now < deadline {
                let (_, list) =
                    iso
                    ? await self.cloud.call("listIsos", ["isofilter": "self", "id": id])
                    : await self.cloud.call("listTemplates", ["templatefilter": "self", "id": id])
                let item = try #require(list.items.first)
                let status = item["status"]?.stringValue ?? ""
                if statuses.last != status { statuses.append(status) }
                if item["isready"] == .bool(true) || status.hasPrefix(ImageStoreDownloads.failedPrefix) {
                    return (statuses, item)
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            Issue.record("download of \(id) did not end: \(statuses)")
            return (statuses, .object([]))
        }
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func md5(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    @Test func qcow2DownloadsWithItsVirtualSizeAndDeleteRemovesIt() async throws {
        let fixture = try await Fixture.make()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let image = try TestImages.disk("qcow2", virtualSize: 64 << 20, in: fixture.directory)
        try await ImageServer.with(["tiny.qcow2": .init(image)]) { port in
            let id = try await fixture.register(
                "http://127.0.0.1:\(port)/tiny.qcow2",
                format: "QCOW2",
                checksum: "{SHA-256}" + Self.sha256(image)
            )
            let (statuses, last) = try await fixture.await(id)
            #expect(last["isready"] == .bool(true))
            #expect(statuses.last == "Download Complete")
            #expect(last["size"]?.int == 64 << 20)
            #expect(fixture.files == ["\(id).qcow2"])
            let file = fixture.directory + "/" + ImageStoreLayout.templatePath(id: id, format: "QCOW2")
            let stored = try #require(FileManager.default.contents(atPath: file))
            #expect(Self.sha256(Array(stored)) == Self.sha256(image))
            _ = try await fixture.cloud.callAndWait("deleteTemplate", ["id": id])
            #expect(fixture.files.isEmpty)
        }
        await fixture.finish()
    }

    @Test func rawDownloadsWithAPlainMD5Checksum() async throws {
        let fixture = try await Fixture.make()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let image = try TestImages.disk("raw", virtualSize: 3 << 20, in: fixture.directory)
        try await ImageServer.with(["disk.raw": .init(image)]) { port in
            let id = try await fixture.register(
                "http://127.0.0.1:\(port)/disk.raw",
                format: "RAW",
                checksum: Self.md5(image)
            )
            let (_, last) = try await fixture.await(id)
            #expect(last["isready"] == .bool(true))
            #expect(last["status"]?.stringValue == "Download Complete")
            #expect(last["size"]?.int == 3 << 20)
            #expect(fixture.files == ["\(id).raw"])
        }
        await fixture.finish()
    }

    @Test func isoDownloadsAndDeleteIsoRemovesIt() async throws {
        let fixture = try await Fixture.make()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let image = try TestImages.iso(in: fixture.directory)
        try await ImageServer.with(["boot.iso": .init(image)]) { port in
            let id = try await fixture.register(
                "http://127.0.0.1:\(port)/boot.iso",
                format: "ISO",
                checksum: "{SHA-512}" + SHA512.hash(data: image).map { String(format: "%02x", $0) }.joined()
            )
            let (_, last) = try await fixture.await(id, iso: true)
            #expect(last["isready"] == .bool(true))
            #expect(last["size"]?.int == image.count)
            #expect(fixture.files == ["\(id).iso"])
            _ = try await fixture.cloud.callAndWait("deleteIso", ["id": id])
            #expect(fixture.files.isEmpty)
        }
        await fixture.finish()
    }

    @Test func progressIsReportedWhileASlowBodyArrives() async throws {
        let fixture = try await Fixture.make()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let image = try TestImages.disk("raw", virtualSize: 2 << 20, in: fixture.directory)
        // 64 writes of 32 KiB, 15 ms apart: about a second in all.
        let slow = ImageServer.File(image, chunk: 32 << 10, pause: .milliseconds(15))
        try await ImageServer.with(["slow.raw": slow]) { port in
            let id = try await fixture.register("http://127.0.0.1:\(port)/slow.raw", format: "RAW")
            let (statuses, last) = try await fixture.await(id)
            #expect(last["isready"] == .bool(true))
            let percents = statuses.compactMap { status -> Int? in
                guard status.hasSuffix("% Downloaded") else { return nil }
                return Int(status.dropLast("% Downloaded".count))
            }
            #expect(percents.contains { $0 > 0 && $0 < 100 }, "\(statuses)")
            #expect(percents == percents.sorted(), "\(statuses)")
            #expect(statuses.last == "Download Complete")
        }
        await fixture.finish()
    }

    /// A download that must fail: what is served, what is registered, and what the status must say.
    struct Failure: Sendable, CustomTestStringConvertible {
        var name: String
        var file: String?
        var format: String
        var checksum: String?
        var status: String
        var testDescription: String { self.name }
    }

    static let failures: [Failure] = [
        Failure(name: "unreachable", file: nil, format: "QCOW2", status: "cannot reach http://127.0.0.1:1"),
        Failure(name: "404", file: "missing", format: "QCOW2", status: "the server answered HTTP 404 Not Found"),
        Failure(
            name: "checksum mismatch",
            file: "qcow2",
            format: "QCOW2",
            checksum: "{MD5}00000000000000000000000000000000",
            status: "didn't match the given value, \"{MD5}00000000000000000000000000000000\""
        ),
        Failure(
            name: "raw declared QCOW2",
            file: "raw",
            format: "QCOW2",
            status: "the file is a raw image, not the declared QCOW2"
        ),
        Failure(
            name: "qcow2 declared RAW",
            file: "qcow2",
            format: "RAW",
            status: "the file is a qcow2 image, not the declared RAW"
        ),
        Failure(name: "not an ISO", file: "raw.iso", format: "ISO", status: "the file is not an ISO 9660 image"),
    ]

    @Test(arguments: Self.failures)
    func aFailedDownloadSaysWhyAndLeavesNoFile(failure: Failure) async throws {
        let fixture = try await Fixture.make()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let raw = ImageServer.File(try TestImages.disk("raw", virtualSize: 1 << 20, in: fixture.directory))
        let files: [String: ImageServer.File] = [
            "qcow2": .init(try TestImages.disk("qcow2", virtualSize: 16 << 20, in: fixture.directory)),
            "raw": raw, "raw.iso": raw,
        ]
        try await ImageServer.with(files) { port in
            // Port 1 on loopback has no listener: the connection is refused.
            let url = failure.file.map { "http://127.0.0.1:\(port)/\($0)" } ?? "http://127.0.0.1:1/x.qcow2"
            let id = try await fixture.register(url, format: failure.format, checksum: failure.checksum)
            let (_, last) = try await fixture.await(id, iso: failure.format == "ISO")
            #expect(last["isready"] == .bool(false))
            let status = last["status"]?.stringValue ?? ""
            #expect(status.hasPrefix(ImageStoreDownloads.failedPrefix), "\(status)")
            #expect(status.contains(failure.status), "\(status)")
            #expect(fixture.files.isEmpty)
        }
        await fixture.finish()
    }
}
