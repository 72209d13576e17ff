import CloudCore
import CloudModel
import CloudStore
import Logging
import Orchestrator
import Testing

/// One clock for the cloud: set where the store is opened, read by the store and every service over it.
struct WallClockTests {
    @Test func theStoresClockStampsEventsAlertsKeysAndJobs() async throws {
        let fixed = 1_234_567.0
        let logger = Logger(label: "clock-test")
        let store = try await CloudStore.open(.sqlite(path: nil), clock: WallClock { fixed }, logger: logger)
        _ = try await CloudBootstrap.run(
            store: store,
            endpoint: "http://127.0.0.1:0/client/api",
            logger: logger,
            simulatedHosts: 0
        )
        let services = CloudServices(store: store, logger: logger)
        #expect(services.clock.now == fixed)

        let eventId = try #require(await services.events.record("VM.CREATE", "clocked"))
        #expect(try await store.get(Event.self, id: eventId)?.created == fixed)
        let alertId = try #require(await services.alerts.raise(.haAction, "clocked"))
        #expect(try await store.get(Alert.self, id: alertId)?.sent == fixed)

        let admin = try #require(try await store.list(Account.self).items.first { $0.name == "admin" })
        let user = try #require(try await store.list(User.self).items.first { $0.accountId == admin.id })
        let caller = Caller(user: user, account: admin)
        let access = Access(caller: caller, command: "createSSHKeyPair", services: services)
        let (pair, _) = try await services.sshKeyPairs.create(access, owner: OwnerRequest(), name: "clocked")
        #expect(pair.created == fixed)

        let job = AsyncJob(
            id: "job-clocked",
            accountId: admin.id,
            userId: user.id,
            cmd: "org.apache.cloudstack.api.command.user.vm.StartVMCmd",
            instanceType: "VirtualMachine",
            instanceId: nil,
            created: services.clock.now
        )
        try await services.jobs.submit(job) { JobOutcome.success("{}") }
        _ = await services.jobs.drain(within: .seconds(10))
        let done = try #require(try await store.get(AsyncJob.self, id: job.id))
        #expect(done.created == fixed)
        #expect(done.completed == fixed)
        await store.close()
    }
}
