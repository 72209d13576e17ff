import CloudModel
import CloudStore
import Foundation
import Logging
import Orchestrator

/// First-start and every-start work: the root domain, the system and admin accounts with generated credentials,
/// the simulated zone, and recovery of work interrupted by the last shutdown.
public enum CloudBootstrap {
    /// How long a seeding claim may stay unfinished before another server takes it over (seconds).
    static let claimStaleAfter = 300.0
    /// How long a server waits for another server's seeding.
    static let seedingWait = Duration.seconds(600)

    /// Prepares the store.
    ///
    /// Several management servers may start at once on one database: exactly one of them seeds (it wins a claim
    /// row) and gets the admin credentials; the others wait for it to finish.
    /// - Parameters:
    ///   - store: the opened store.
    ///   - endpoint: the API URL, recorded in the credentials.
    ///   - logger: a logger.
    ///   - simulatedHosts: simulator hosts to seed into an empty zone (the zone, pod, cluster, templates, offerings
    ///     and network are seeded even with 0).
    ///   - serverId: the management server bootstrapping (recorded on the claim).
    ///   - recover: whether to run ``RestartRecovery`` for every pending job (a lone server); a cluster member
    ///     recovers only its own jobs once it has joined.
    ///   - secrets: seals the users' secret keys at rest (the admin's, and clear-text ones left from before
    ///     encryption); the ``CloudServices`` over the store must be given the same.
    /// - Returns: the admin's credentials when they were generated now, nil on later starts and on the servers
    ///   that did not seed.
    /// - Throws: ``StoreError``; ``OrchestratorError`` when another server's seeding does not finish in time.
    public static func run(
        store: CloudStore,
        endpoint: String,
        logger: Logger,
        simulatedHosts: Int = 4,
        serverId: String = "local",
        recover: Bool = true,
        secrets: SecretKeyCipher = .ephemeral
    ) async throws -> AdminCredentials? {
        let deadline = ContinuousClock.now + self.seedingWait
        var generated: AdminCredentials?
        while true {
            let claim = try await store.bootstrapClaimCompleted()
            let seeded = try await store.rootDomainId() != nil
            if seeded && claim != false { break }
            if !seeded, claim == nil,
                try await store.claimBootstrap(serverId: serverId, staleAfter: self.claimStaleAfter)
            {
                generated = try await self.seed(
                    store: store,
                    endpoint: endpoint,
                    simulatedHosts: simulatedHosts,
                    secrets: secrets
                )
                try await self.ensure(store: store)
                try await store.completeBootstrap()
                break
            }
            guard ContinuousClock.now < deadline else {
                throw OrchestratorError(.internalError, "Another management server's bootstrap did not finish")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await self.ensure(store: store)
        try await SecretKeySealing.run(store: store, secrets: secrets, logger: logger)
        if recover { try await RestartRecovery.run(store: store, logger: logger) }
        return generated
    }

    /// Every-start additions (image stores, network and disk offerings), idempotent. Servers starting together may race
    /// to add the same row: the loser sees a duplicate and looks again.
    static func ensure(store: CloudStore) async throws {
        for attempt in 1...5 {
            do {
                try await SimulatedZoneSeeder.ensureImageStores(store: store)
                try await NetworkSeeder.ensure(store: store)
                try await DiskOfferingSeeder.ensure(store: store)
                return
            } catch {
                guard error.kind == .duplicate, attempt < 5 else { throw error }
            }
        }
    }

    /// Seeds an empty database: the root domain, the system and admin accounts, the simulated zone.
    static func seed(
        store: CloudStore,
        endpoint: String,
        simulatedHosts: Int,
        secrets: SecretKeyCipher
    ) async throws -> AdminCredentials? {
        guard try await store.rootDomainId() == nil else { return nil }
        let domainId = UUID().uuidString.lowercased()
        try await store.insertDomain(id: domainId, name: "ROOT", path: "/")
        let system = Account(
            id: UUID().uuidString.lowercased(),
            name: "system",
            domainId: domainId,
            role: .rootAdmin,
            created: store.clock.now
        )
        try await store.insert(system)
        let admin = Account(
            id: UUID().uuidString.lowercased(),
            name: "admin",
            domainId: domainId,
            role: .rootAdmin,
            created: store.clock.now
        )
        try await store.insert(admin)
        let credentials = AdminCredentials(
            endpoint: endpoint,
            username: "admin",
            password: PasswordHasher.randomToken(bytes: 18),
            apikey: PasswordHasher.randomToken(bytes: 64),
            secretkey: PasswordHasher.randomToken(bytes: 64)
        )
        try await store.insert(
            User(
                id: UUID().uuidString.lowercased(),
                accountId: admin.id,
                domainId: domainId,
                username: "admin",
                passwordHash: PasswordHasher.hash(credentials.password),
                firstname: "Admin",
                lastname: "User",
                email: "admin@localhost",
                apiKey: credentials.apikey,
                secretKey: try secrets.seal(credentials.secretkey),
                created: store.clock.now
            )
        )
        try await SimulatedZoneSeeder.seedIfEmpty(
            store: store,
            systemAccountId: system.id,
            hostCount: simulatedHosts
        )
        return credentials
    }
}
