import CloudModel
import CloudStore
import Foundation
import Logging
import Orchestrator

/// First-start and every-start work: the root domain, the system and admin accounts with generated credentials,
/// the simulated zone, and recovery of work interrupted by the last shutdown.
public enum CloudBootstrap {
    /// Prepares the store.
    /// - Parameters:
    ///   - store: the opened store.
    ///   - endpoint: the API URL, recorded in the credentials.
    ///   - logger: a logger.
    /// - Returns: the admin's credentials when they were generated now, nil on later starts.
    /// - Throws: ``StoreError``.
    public static func run(store: CloudStore, endpoint: String, logger: Logger) async throws -> AdminCredentials? {
        var generated: AdminCredentials?
        if try await store.rootDomainId() == nil {
            let domainId = UUID().uuidString.lowercased()
            try await store.insertDomain(id: domainId, name: "ROOT", path: "/")
            let system = Account(
                id: UUID().uuidString.lowercased(),
                name: "system",
                domainId: domainId,
                role: .rootAdmin,
                created: Timestamp.now
            )
            try await store.insert(system)
            let admin = Account(
                id: UUID().uuidString.lowercased(),
                name: "admin",
                domainId: domainId,
                role: .rootAdmin,
                created: Timestamp.now
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
                    username: "admin",
                    passwordHash: PasswordHasher.hash(credentials.password),
                    firstname: "Admin",
                    lastname: "User",
                    email: "admin@localhost",
                    apiKey: credentials.apikey,
                    secretKey: credentials.secretkey,
                    created: Timestamp.now
                )
            )
            try await SimulatedZoneSeeder.seedIfEmpty(store: store, systemAccountId: system.id)
            generated = credentials
        }
        try await SimulatedZoneSeeder.ensureImageStores(store: store)
        try await NetworkSeeder.ensure(store: store)
        try await RestartRecovery.run(store: store, logger: logger)
        return generated
    }
}
