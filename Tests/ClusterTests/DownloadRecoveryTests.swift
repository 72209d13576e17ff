import CloudCore
import CloudModel
import CloudStore
import Cluster
import Foundation
import Testing

/// A management server restarted while a download into a file image store ran: the template does not stay
/// "N% Downloaded" forever.
struct DownloadRecoveryTests {
    @Test(.timeLimit(.minutes(2)))
    func aServerAloneAtStartFailsTheDownloadsItLeftRunning() async throws {
        let harness = try await ClusterHarness()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("zoostack-recovery-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try await harness.start("ms1")
        let store = first.core.store
        let zone = try #require(try await store.list(Zone.self).items.first)
        let account = try #require(try await store.list(Account.self).items.first)
        try await ImageStoreDownloads.addFileStore(zoneId: zone.id, directory: directory, store: store)
        let template = Template(
            id: UUID().uuidString.lowercased(),
            name: "interrupted",
            displayText: "interrupted",
            format: "QCOW2",
            hypervisor: "KVM",
            osTypeName: "Other (64-bit)",
            url: "http://127.0.0.1:1/t.qcow2",
            isPublic: false,
            isFeatured: false,
            accountId: account.id,
            zoneId: zone.id,
            status: "42% Downloaded",
            isReady: false,
            size: 1 << 30,
            created: 0
        )
        try await store.insert(template)
        let partial = ImageStoreDownloads.path(of: template, in: directory) + ".part"
        #expect(FileManager.default.createFile(atPath: partial, contents: Data([0])))
        await first.stop()
        let second = try await harness.start("ms1")
        let after = try await second.core.store.get(Template.self, id: template.id)
        #expect(after?.status == ImageStoreDownloads.restartStatus)
        #expect(after?.isReady == false)
        #expect(!FileManager.default.fileExists(atPath: partial))
        await harness.close()
    }
}
