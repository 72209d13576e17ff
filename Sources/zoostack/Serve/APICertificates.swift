import HummingbirdTLS
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The API's TLS certificate chain and key (`serve --tls-cert --tls-key`, PEM files), read again at SIGHUP: every
/// TLS handshake takes the pair current then (NIOSSL's context callback), so a renewed certificate needs no
/// restart and connections already open keep theirs.
final class APICertificates: Sendable {
    let certificatePath: String
    let keyPath: String
    private let current: Mutex<(chain: [NIOSSLCertificate], key: NIOSSLPrivateKey)>

    /// Reads the files.
    /// - Parameters:
    ///   - certificatePath: the certificate chain, PEM, the server's first.
    ///   - keyPath: its private key, PEM.
    /// - Throws: NIOSSL's error when a file is missing or not PEM.
    init(certificatePath: String, keyPath: String) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.current = Mutex(try Self.load(certificatePath: certificatePath, keyPath: keyPath))
    }

    static func load(
        certificatePath: String,
        keyPath: String
    ) throws -> (chain: [NIOSSLCertificate], key: NIOSSLPrivateKey) {
        (try NIOSSLCertificate.fromPEMFile(certificatePath), try NIOSSLPrivateKey(file: keyPath, format: .pem))
    }

    /// Reads the files again; on failure the pair in use stays.
    /// - Throws: NIOSSL's error.
    func reload() throws {
        let pair = try Self.load(certificatePath: self.certificatePath, keyPath: self.keyPath)
        self.current.withLock { $0 = pair }
    }

    /// The server's TLS configuration: the pair read now, replaced at each handshake by the current one.
    var configuration: TLSConfiguration {
        let (chain, key) = self.current.withLock { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.sslContextCallback = { [self] _, promise in
            let (chain, key) = self.current.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = chain.map { .certificate($0) }
            override.privateKey = .privateKey(key)
            promise.succeed(override)
        }
        return configuration
    }
}

/// Reloads the API's certificate at each SIGHUP, until the group's graceful shutdown.
struct CertificateReloader: Service {
    let certificates: APICertificates

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            do {
                try self.certificates.reload()
                Console.out("Reloaded the TLS certificate from \(self.certificates.certificatePath)")
            } catch {
                Console.error("zoostack serve: cannot reload the TLS certificate (keeping the old one): \(error)")
            }
            Console.flush()
        }
    }
}
