import CloudCore
import CloudModel
import CloudStore
import Logging
import Orchestrator
import Testing

/// The application core on its own, without the API over it.
struct CloudCoreTests {
    /// A bootstrapped in-memory store (no simulated hosts) and a logger.
    static func bootstrapped() async throws -> (CloudStore, AdminCredentials?, Logger) {
        let logger = Logger(label: "core-test")
        let store = try await CloudStore.open(.sqlite(path: nil), logger: logger)
        do {
            let credentials = try await CloudBootstrap.run(
                store: store,
                endpoint: "http://127.0.0.1:0/client/api",
                logger: logger,
                simulatedHosts: 0
            )
            return (store, credentials, logger)
        } catch {
            await store.close()
            throw error
        }
    }

    @Test func bootstrapSeedsOnceAndTheCoreWiresOverTheStore() async throws {
        let (store, credentials, logger) = try await Self.bootstrapped()
        #expect(credentials?.username == "admin")
        let again = try await CloudBootstrap.run(
            store: store,
            endpoint: "http://127.0.0.1:0/client/api",
            logger: logger,
            simulatedHosts: 0
        )
        #expect(again == nil)
        let services = CloudServices(store: store, serverId: "ms-1", logger: logger)
        #expect(services.jobs.owner == "ms-1")
        #expect(services.cluster == nil)
        #expect(try await services.store.rootDomainId() != nil)
        await store.close()
    }

    @Test func templateDownloadsRunInTheCoreAndShutdownWaitsForThem() async throws {
        let (store, _, logger) = try await Self.bootstrapped()
        let templates = try await store.list(Template.self).items
        let template = try #require(templates.first)
        try await store.setTemplateStatus(id: template.id, status: "Not Downloaded", isReady: false)
        let downloads = TemplateDownloadSimulator(store: store, logger: logger, step: .milliseconds(1))
        downloads.start(template.id)
        await downloads.shutdown()
        let walked = try #require(try await store.get(Template.self, id: template.id))
        #expect(walked.status == "Download Complete")
        #expect(walked.isReady)
        // After shutdown nothing more is walked.
        try await store.setTemplateStatus(id: template.id, status: "Not Downloaded", isReady: false)
        downloads.start(template.id)
        await downloads.shutdown()
        #expect(try await store.get(Template.self, id: template.id)?.status == "Not Downloaded")
        await store.close()
    }
}
