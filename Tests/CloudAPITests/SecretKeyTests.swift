import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Foundation
import Logging
import Orchestrator
import Testing

/// Users' secret keys are sealed at rest under a key kept apart from the database.
struct SecretKeyTests {
    @Test func storedSecretsAreSealedAndSigningStillWorks() async throws {
        let cloud = try await TestCloud.make()
        let sam = try await cloud.account("sam")
        let stored = try await cloud.server.core.store.storedSecretKeys()
        #expect(stored.count == 2)
        for (_, secret) in stored {
            #expect(SecretKeyCipher.isSealed(secret))
            #expect(secret != sam.keys.1 && secret != cloud.admin.secretkey)
        }
        // Requests signed with the clear secret verify; getUserKeys answers it in clear.
        #expect(await cloud.call("listZones", keys: sam.keys).status == 200)
        #expect(await cloud.call("listZones").status == 200)
        let (status, keys) = await cloud.call("getUserKeys", ["id": sam.userId], keys: sam.keys)
        #expect(status == 200)
        #expect(keys["userkeys"]?["secretkey"]?.stringValue == sam.keys.1)
        let (listed, users) = await cloud.call("listUsers", ["username": "sam"])
        #expect(listed == 200)
        #expect(users.items.first?["apikey"]?.stringValue == sam.keys.0)
        // A signature made with the stored (sealed) form is not accepted.
        let sealed = try #require(stored.first { $0.userId == sam.userId }?.secretKey)
        #expect(await cloud.call("listZones", keys: (sam.keys.0, sealed)).status == 401)
    }

    @Test func aCopyOfTheDatabaseWithoutTheKeyRevealsNoSecret() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-keys-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("zoostack.sqlite").path
        let logger = Logger(label: "test")
        let store = try await CloudStore.open(.sqlite(path: path), logger: logger)
        let key = try SecretKeyCipher.loadOrCreate(path: directory.appendingPathComponent("key").path)
        let admin = try #require(
            try await CloudBootstrap.run(
                store: store,
                endpoint: "http://127.0.0.1:0/client/api",
                logger: logger,
                simulatedHosts: 0,
                secrets: key
            )
        )
        await store.close()
        // The files on disk (database and write-ahead log) hold no clear secret.
        for suffix in ["", "-wal"] {
            let bytes = FileManager.default.contents(atPath: path + suffix) ?? Data()
            #expect(bytes.range(of: Data(admin.secretkey.utf8)) == nil, "zoostack.sqlite\(suffix)")
        }
        // Opened with another key, the sealed secret does not open, and a server refuses to start on it.
        let copy = try await CloudStore.open(.sqlite(path: path), logger: logger)
        let stored = try #require(try await copy.storedSecretKeys().first?.secretKey)
        #expect(throws: SecretKeyCipherError.self) { try SecretKeyCipher.random().open(stored) }
        #expect(try key.open(stored) == admin.secretkey)
        await #expect(throws: OrchestratorError.self) {
            try await CloudBootstrap.run(
                store: copy,
                endpoint: "http://127.0.0.1:0/client/api",
                logger: logger,
                simulatedHosts: 0,
                secrets: .random()
            )
        }
        await copy.close()
    }

    @Test func clearTextSecretsFromBeforeAreSealedOnStart() async throws {
        let cloud = try await TestCloud.make()
        let ned = try await cloud.account("ned")
        // A row as an older ZooStack wrote it: the secret in clear.
        try await cloud.server.core.store.setKeys(userId: ned.userId, apiKey: ned.keys.0, secretKey: ned.keys.1)
        #expect(await cloud.call("listZones", keys: ned.keys).status == 200)
        _ = try await CloudBootstrap.run(
            store: cloud.server.core.store,
            endpoint: "http://127.0.0.1:0/client/api",
            logger: Logger(label: "test"),
            recover: false
        )
        let stored = try #require(
            try await cloud.server.core.store.storedSecretKeys().first { $0.userId == ned.userId }
        )
        #expect(SecretKeyCipher.isSealed(stored.secretKey))
        #expect(await cloud.call("listZones", keys: ned.keys).status == 200)
    }

    @Test func theKeyFileIsCreatedOnceOwnerOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-key-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("key").path
        let first = try SecretKeyCipher.loadOrCreate(path: path)
        let second = try SecretKeyCipher.loadOrCreate(path: path)
        #expect(try second.open(try first.seal("secret")) == "secret")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["key"])
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SecretKeyCipherError.self) { try SecretKeyCipher.loadOrCreate(path: path) }
    }
}
