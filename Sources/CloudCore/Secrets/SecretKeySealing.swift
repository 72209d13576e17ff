import CloudStore
import Logging
import Orchestrator

/// The start-up pass over stored secret keys: seals the ones still in clear text (rows from before encryption)
/// and checks that the sealed ones open with this server's key.
enum SecretKeySealing {
    /// Runs the pass.
    /// - Parameters:
    ///   - store: the store.
    ///   - secrets: this server's cipher.
    ///   - logger: a logger.
    /// - Throws: ``OrchestratorError`` (internal error, 530 at the API) when a secret was sealed with another key: this server was given the
    ///   wrong key file (every server of a database needs the same one); ``StoreError``.
    static func run(store: CloudStore, secrets: SecretKeyCipher, logger: Logger) async throws {
        var sealed = 0
        for (userId, stored) in try await store.storedSecretKeys() {
            if SecretKeyCipher.isSealed(stored) {
                do {
                    _ = try secrets.open(stored)
                } catch {
                    throw OrchestratorError(
                        .internalError,
                        "The users' secret keys were encrypted with another encryption key than this server's: "
                            + "every management server of a database needs the same key file "
                            + "(zoostack serve --encryption-key-file)"
                    )
                }
            } else {
                try await store.replaceSecretKey(userId: userId, old: stored, new: try secrets.seal(stored))
                sealed += 1
            }
        }
        if sealed > 0 { logger.info("sealed clear-text secret keys", metadata: ["users": "\(sealed)"]) }
    }
}
