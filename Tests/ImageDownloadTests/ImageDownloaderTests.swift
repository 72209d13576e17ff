import Foundation
import ImageDownload
import Testing

struct ImageDownloaderTests {
    static func scratch() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-download-\(UUID().uuidString)").path
    }

    @Test(arguments: ["ftp://127.0.0.1/t.qcow2", "file:///etc/passwd", "http:///t.qcow2", "t.qcow2"])
    func onlyHTTPAndHTTPSURLsAreDownloaded(url: String) async throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let downloader = ImageDownloader(limits: .init(maxBytes: 1 << 20))
        let error = await #expect(throws: DownloadError.self) {
            try await downloader.download(.init(url: url, destination: directory + "/t.qcow2", format: .qcow2)) { _ in }
        }
        #expect(error?.code == .unsupportedURL)
        #expect(!FileManager.default.fileExists(atPath: directory + "/t.qcow2"))
    }

    @Test func aRefusedConnectionIsUnreachableAtOnceAndLeavesNoFile() async throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let downloader = ImageDownloader(limits: .init(maxBytes: 1 << 20, connectTimeout: .seconds(30)))
        let destination = directory + "/template/t.raw"
        // Port 1 on loopback has no listener.
        let error = await #expect(throws: DownloadError.self) {
            try await downloader.download(
                .init(url: "http://user:secret@127.0.0.1:1/t.raw?token=x", destination: destination, format: .raw)
            ) { _ in }
        }
        #expect(error?.code == .unreachable)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("cannot reach http://127.0.0.1:1"), "\(message)")
        #expect(!message.contains("secret") && !message.contains("token"))
        #expect(message == "cannot reach http://127.0.0.1:1: Connection refused")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: directory + "/template")) == [])
    }

    @Test func errorCodesAreDistinctAndDescribed() {
        let codes = DownloadError.Code.allCases
        #expect(Set(codes.map(\.rawValue)).count == codes.count)
        #expect(DownloadError(.tooLarge, "x").description == "tooLarge: x")
    }
}
