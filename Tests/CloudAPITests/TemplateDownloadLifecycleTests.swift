import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Foundation
import Logging
import Testing

/// A file image store's downloads around their edges: refused registrations, the size limit, shutdown and restart.
struct TemplateDownloadLifecycleTests {
    typealias Fixture = TemplateDownloadTests.Fixture

    @Test func badChecksumsAndURLsAreRefusedAtRegistration() async throws {
        let fixture = try await Fixture.make()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let base = [
            "name": "t", "displaytext": "t", "format": "QCOW2", "hypervisor": "KVM", "zoneid": fixture.zoneId,
            "url": "http://127.0.0.1:1/t.qcow2",
        ]
        for checksum in ["{SHA-256}abc", "{CRC32}00000000", "not-hex"] {
            var parameters = base
            parameters["checksum"] = checksum
            let (status, body) = await fixture.cloud.call("registerTemplate", parameters)
            #expect(status == 431, "\(checksum)")
            #expect(body["errortext"]?.stringValue?.hasPrefix("Invalid checksum") == true, "\(body.json)")
        }
        var ftp = base
        ftp["url"] = "ftp://127.0.0.1/t.qcow2"
        #expect(await fixture.cloud.call("registerTemplate", ftp).status == 431)
        var vhd = base
        vhd["format"] = "VHD"
        #expect(await fixture.cloud.call("registerTemplate", vhd).status == 431)
        let (_, list) = await fixture.cloud.call("listTemplates", ["templatefilter": "self"])
        #expect(list.items.isEmpty)
        await fixture.finish()
    }

    @Test func aFileOverTheSizeLimitIsRefusedBeforeItsBody() async throws {
        let fixture = try await Fixture.make()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let (updated, _) = await fixture.cloud.call(
            "updateConfiguration",
            ["name": "max.template.iso.size", "value": "1"]
        )
        #expect(updated == 200)
        // Announces 2 GiB, sends nothing.
        let huge = ImageServer.File([], announced: 2 << 30)
        try await ImageServer.with(["huge.qcow2": huge]) { port in
            let id = try await fixture.register("http://127.0.0.1:\(port)/huge.qcow2", format: "QCOW2")
            let (_, last) = try await fixture.await(id)
            #expect(last["isready"] == .bool(false))
            let status = last["status"]?.stringValue ?? ""
            #expect(
                status == ImageStoreDownloads.failedPrefix + "the file is larger than the limit of \(1 << 30) bytes"
            )
            #expect(fixture.files.isEmpty)
        }
        await fixture.finish()
    }

    @Test func shutdownCancelsARunningDownloadAndRemovesItsPartialFile() async throws {
        let fixture = try await Fixture.make()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let image = try TestImages.disk("raw", virtualSize: 1 << 20, in: fixture.directory)
        // 256 writes of 4 KiB, 50 ms apart: far longer than the test waits.
        let slow = ImageServer.File(image, chunk: 4 << 10, pause: .milliseconds(50))
        try await ImageServer.with(["slow.raw": slow]) { port in
            let id = try await fixture.register("http://127.0.0.1:\(port)/slow.raw", format: "RAW")
            let store = fixture.cloud.server.core.store
            let deadline = ContinuousClock.now + .seconds(20)
            var status = ""
            while !status.hasSuffix("% Downloaded") || status == "0% Downloaded", ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
                status = try await store.get(Template.self, id: id)?.status ?? ""
            }
            #expect(fixture.files == ["\(id).raw.part"])
            await fixture.cloud.server.core.imageDownloads.shutdown()
            let template = try #require(try await store.get(Template.self, id: id))
            #expect(template.status == ImageStoreDownloads.shutdownStatus)
            #expect(!template.isReady)
            #expect(fixture.files.isEmpty)
        }
        await fixture.finish()
    }

    @Test func aRestartFailsDownloadsLeftInProgress() async throws {
        let fixture = try await Fixture.make()
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let store = fixture.cloud.server.core.store
        let account = try #require(try await store.list(Account.self).items.first)
        func template(_ status: String, ready: Bool) -> Template {
            Template(
                id: UUID().uuidString.lowercased(),
                name: status,
                displayText: status,
                format: "QCOW2",
                hypervisor: "KVM",
                osTypeName: "Other (64-bit)",
                url: "http://127.0.0.1:1/t.qcow2",
                isPublic: false,
                isFeatured: false,
                accountId: account.id,
                zoneId: fixture.zoneId,
                status: status,
                isReady: ready,
                size: 1 << 30,
                created: 0
            )
        }
        let interrupted = template("37% Downloaded", ready: false)
        let verifying = template("Installing Template", ready: false)
        let done = template("Download Complete", ready: true)
        let failed = template(ImageStoreDownloads.failedPrefix + "the server answered HTTP 404 Not Found", ready: false)
        for item in [interrupted, verifying, done, failed] { try await store.insert(item) }
        let partial = ImageStoreDownloads.path(of: interrupted, in: fixture.directory) + ".part"
        #expect(FileManager.default.createFile(atPath: partial, contents: Data([1, 2, 3])))
        let count = try await ImageStoreDownloads.failInterrupted(store: store, logger: Logger(label: "test"))
        #expect(count == 2)
        for item in [interrupted, verifying] {
            #expect(try await store.get(Template.self, id: item.id)?.status == ImageStoreDownloads.restartStatus)
        }
        #expect(try await store.get(Template.self, id: done.id) == done)
        #expect(try await store.get(Template.self, id: failed.id) == failed)
        #expect(fixture.files.isEmpty)
        await fixture.finish()
    }
}
