import NIOCore
import NIOSSL

/// TLS to a ZooKeeper ensemble's `secureClientPort` (Apache ZooKeeper's `NettyServerCnxnFactory` with
/// `ssl.keyStore`/`ssl.trustStore`): the server's certificate must chain to the given CA and name the host
/// connected to (a DNS name, or an IP address in its subjectAltName); a client certificate is sent when the
/// ensemble asks for one (`ssl.clientAuth`).
public struct ZooKeeperClientTLS: Sendable {
    let context: NIOSSLContext

    /// Makes a TLS configuration from PEM files.
    /// - Parameters:
    ///   - caFile: the CA certificates (PEM) the server's certificate must chain to.
    ///   - certificateFile: this client's certificate chain (PEM), for ensembles that require one.
    ///   - privateKeyFile: the key of `certificateFile` (PEM); required with it.
    /// - Throws: ``ZooKeeperTLSError`` `.invalidFiles` when a file cannot be read or parsed.
    public init(caFile: String, certificateFile: String? = nil, privateKeyFile: String? = nil) throws(ZooKeeperTLSError)
    {
        var configuration = TLSConfiguration.makeClientConfiguration()
        do {
            let roots = try NIOSSLCertificate.fromPEMFile(caFile)
            guard !roots.isEmpty else { throw ZooKeeperTLSError(.invalidFiles, "\(caFile) holds no certificate") }
            configuration.trustRoots = .certificates(roots)
        } catch let error as ZooKeeperTLSError {
            throw error
        } catch {
            throw ZooKeeperTLSError(.invalidFiles, "cannot read the CA file \(caFile): \(error)")
        }
        switch (certificateFile, privateKeyFile) {
        case (nil, nil):
            break
        case (let certificate?, let key?):
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            } catch {
                throw ZooKeeperTLSError(.invalidFiles, "cannot read the client certificate or key: \(error)")
            }
        case (_?, nil), (nil, _?):
            throw ZooKeeperTLSError(.invalidFiles, "a client certificate needs its key, and a key its certificate")
        }
        do {
            self.context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw ZooKeeperTLSError(.invalidFiles, "cannot use these certificates: \(error)")
        }
    }

    /// The handler that runs TLS over a connection to `host`: SNI and name checks for a DNS name; for an IP
    /// address (which SNI may not carry) NIOSSL checks the address against the certificate's IP SANs.
    func makeHandler(host: String) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try NIOSSLClientHandler(context: self.context, serverHostname: isAddress ? nil : host)
    }
}

/// Why TLS to ZooKeeper could not be used.
public struct ZooKeeperTLSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidFiles
            case handshakeFailed
        }

        private let value: Value

        /// A CA, certificate or key file could not be read or used.
        public static let invalidFiles = Code(value: .invalidFiles)
        /// The TLS handshake with a server failed (most often: its certificate does not chain to the CA, or does
        /// not name the host connected to).
        public static let handshakeFailed = Code(value: .handshakeFailed)

        public var description: String {
            switch self.value {
            case .invalidFiles: "invalidFiles"
            case .handshakeFailed: "handshakeFailed"
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// Why, for people.
    public var reason: String

    /// Makes an error.
    /// - Parameters:
    ///   - code: what went wrong.
    ///   - reason: why.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { self.reason }

    /// Whether `error` is one NIOSSL raises for a failed handshake or certificate check.
    static func isTLSFailure(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }
}
