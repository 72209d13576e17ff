import ArgumentParser
import Synchronization
import ZooKeeperClient
import ZooKeeperProtocol

/// Connects for one `zoostack zk` command, runs it, closes the session, and turns failures into zkCli.sh's
/// messages and the CLI's exit codes.
enum ZKSession {
    /// Exit status when the server refused an operation.
    static let operationFailed = ExitCode(1)
    /// Exit status when no session could be established or it was lost.
    static let connectionFailed = ExitCode(2)

    /// Connects, runs `body`, closes.
    /// - Parameters:
    ///   - options: the connection options.
    ///   - body: the command.
    /// - Throws: `ExitCode` 1 or 2 after printing the error to stderr; `ValidationError` from `body`.
    static func run(
        _ options: ZKConnectionOptions,
        _ body: (ZooKeeperClient) async throws -> Void
    ) async throws {
        let client = try await self.connect(options)
        do {
            try await body(client)
        } catch let error as KeeperError {
            await client.close()
            Console.error(ZKErrorMessage.text(for: error))
            throw Self.isConnectionProblem(error.code) ? Self.connectionFailed : Self.operationFailed
        } catch {
            await client.close()
            throw error
        }
        await client.close()
    }

    /// Opens a session within `--timeout-ms` and adds the `--auth` and `--cluster-credentials` credentials.
    /// - Parameter options: the connection options.
    /// - Returns: a connected client.
    /// - Throws: `ExitCode` 2 after printing why to stderr.
    static func connect(_ options: ZKConnectionOptions) async throws -> ZooKeeperClient {
        let credentials: [(scheme: String, auth: [UInt8])]
        do {
            credentials = try options.credentials()
        } catch {
            Console.error("Cannot use --cluster-credentials: \(error)")
            throw Self.connectionFailed
        }
        let client: ZooKeeperClient
        do {
            client = try await self.connect(configuration: options.configuration(), within: options.timeoutMs)
        } catch let error as KeeperError {
            Console.error("Cannot connect to ZooKeeper at \(options.server): \(error)")
            throw Self.connectionFailed
        } catch let error as ZooKeeperTLSError {
            Console.error(
                "Cannot connect to ZooKeeper at \(options.server): \(error) (is --zookeeper-tls-ca the CA that signed "
                    + "the server's certificate, and does the certificate name the host?)"
            )
            throw Self.connectionFailed
        } catch is ConnectTimeout {
            Console.error(
                "Cannot connect to ZooKeeper at \(options.server): no session within \(options.timeoutMs) ms"
            )
            throw Self.connectionFailed
        }
        for (scheme, auth) in credentials {
            do {
                try await client.addAuth(scheme: scheme, auth: auth)
            } catch {
                await client.close()
                Console.error("Authentication failed for scheme \(scheme): \(error)")
                throw Self.connectionFailed
            }
        }
        return client
    }

    private static func isConnectionProblem(_ code: KeeperError.Code) -> Bool {
        code == .connectionLoss || code == .sessionExpired || code == .authFailed || code == .operationTimeout
    }

    private struct ConnectTimeout: Error {}

    /// `ZooKeeperClient.connect` waits at least five seconds; a CLI answers within the timeout it was given. The
    /// losing connect attempt is closed when it finishes.
    private static func connect(
        configuration: ZooKeeperClientConfiguration,
        within milliseconds: Int
    ) async throws -> ZooKeeperClient {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = Outcome(continuation)
            Task {
                do {
                    let client = try await ZooKeeperClient.connect(configuration: configuration)
                    if !outcome.resume(with: .success(client)) { await client.close() }
                } catch {
                    outcome.resume(with: .failure(error))
                }
            }
            Task {
                try? await Task.sleep(for: .milliseconds(milliseconds))
                outcome.resume(with: .failure(ConnectTimeout()))
            }
        }
    }

    /// Resumes a continuation once, from whichever of two tasks finishes first.
    private final class Outcome: Sendable {
        private let continuation: Mutex<CheckedContinuation<ZooKeeperClient, any Error>?>

        init(_ continuation: CheckedContinuation<ZooKeeperClient, any Error>) {
            self.continuation = Mutex(continuation)
        }

        /// Resumes the continuation unless it was resumed already.
        /// - Returns: whether this call resumed it.
        @discardableResult
        func resume(with result: Result<ZooKeeperClient, any Error>) -> Bool {
            guard let continuation = self.continuation.withLock({ $0.take() }) else { return false }
            continuation.resume(with: result)
            return true
        }
    }
}
