import Foundation
import Testing
import ZooKeeperClient
import ZooKeeperTestSupport

/// The client over TLS to Apache ZooKeeper 3.8's `secureClientPort` (`NettyServerCnxnFactory`, PEM key and trust
/// stores, client certificates required as by default), with certificates made here by the openssl CLI: a session,
/// a create and a get; a client trusting another CA fails at once with the handshake's reason.
struct ClientTLSTests {
    @Test func sessionOverTLSAndAWrongCAFailsClearly() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-zktls-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await TestCertificates.make(in: dir)
        let securePort = try FreePort.allocate()
        let options = ApacheZooKeeperOptions(
            tickTime: .milliseconds(500),
            extraConfiguration: TestCertificates.secureClientPort(securePort, directory: dir)
        )
        try await withApacheZooKeeper(options: options) { _ in
            var configuration = try ZooKeeperClientConfiguration(
                connectString: "127.0.0.1:\(securePort)",
                sessionTimeout: .seconds(4)
            )
            configuration.tls = try ZooKeeperClientTLS(
                caFile: "\(dir)/ca.pem",
                certificateFile: "\(dir)/leaf.pem",
                privateKeyFile: "\(dir)/leaf-key.pem"
            )
            let client = try await ZooKeeperClient.connect(configuration: configuration)
            let path = "/tls-\(UInt32.random(in: 0...UInt32.max))"
            _ = try await client.create(path, data: Array("over TLS".utf8))
            #expect(try await client.getData(path).data == Array("over TLS".utf8))
            await client.close()

            configuration.tls = try ZooKeeperClientTLS(
                caFile: "\(dir)/other-ca.pem",
                certificateFile: "\(dir)/leaf.pem",
                privateKeyFile: "\(dir)/leaf-key.pem"
            )
            let error = await #expect(throws: ZooKeeperTLSError.self) {
                try await ZooKeeperClient.connect(configuration: configuration)
            }
            #expect(error?.code == .handshakeFailed)
            #expect(
                error?.description.hasPrefix("TLS handshake with ZooKeeper at 127.0.0.1:\(securePort) failed") == true
            )
            #expect(error?.description.contains("CERTIFICATE_VERIFY_FAILED") == true, "\(String(describing: error))")
        }
        #expect(throws: ZooKeeperTLSError.self) { try ZooKeeperClientTLS(caFile: "\(dir)/missing.pem") }
    }
}
