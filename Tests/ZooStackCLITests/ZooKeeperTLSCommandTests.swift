import Foundation
import Testing
import ZooKeeperTestSupport

/// `--zookeeper-tls-ca` (and the client certificate) against Apache ZooKeeper 3.8's `secureClientPort`: `zk` creates
/// and reads over TLS, a wrong CA exits 2 saying why, and `serve --zookeeper` joins the cluster over TLS.
struct ZooKeeperTLSCommandTests {
    @Test func zkAndServeOverTLS() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-clitls-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await TestCertificates.make(in: dir)
        let securePort = try FreePort.allocate()
        let options = ApacheZooKeeperOptions(
            tickTime: .milliseconds(500),
            extraConfiguration: TestCertificates.secureClientPort(securePort, directory: dir)
        )
        let server = "127.0.0.1:\(securePort)"
        let tls = [
            "--zookeeper-tls-ca", "\(dir)/ca.pem", "--zookeeper-tls-cert", "\(dir)/leaf.pem", "--zookeeper-tls-key",
            "\(dir)/leaf-key.pem",
        ]
        try await withApacheZooKeeper(options: options) { _ in
            let created = try await ZooStackExecutable.run(["zk", "--server", server] + tls + ["create", "/t", "hi"])
            #expect(created.status == 0, "\(created.stderr)")
            let read = try await ZooStackExecutable.run(["zk", "--server", server] + tls + ["get", "/t"])
            #expect(read.stdout == "hi\n", "\(read.stderr)")
            let wrong = try await ZooStackExecutable.run(
                ["zk", "--server", server, "--zookeeper-tls-ca", "\(dir)/other-ca.pem"]
                    + ["--zookeeper-tls-cert", "\(dir)/leaf.pem", "--zookeeper-tls-key", "\(dir)/leaf-key.pem"]
                    + ["ls", "/"]
            )
            #expect(wrong.status == 2)
            #expect(
                wrong.stderr.hasPrefix("Cannot connect to ZooKeeper at \(server): TLS handshake with ZooKeeper at"),
                "\(wrong.stderr)"
            )
            #expect(wrong.stderr.contains("is --zookeeper-tls-ca the CA that signed"), "\(wrong.stderr)")

            let serve = try BackgroundZooStack(
                [
                    "serve", "--data-dir", "\(dir)/data", "--api-port", String(try FreePort.allocate()),
                    "--zookeeper", server, "--server-id", "ms-tls",
                ] + tls
            )
            defer { serve.stop() }
            _ = try await serve.line(startingWith: "ZooStack API ready on")
            let members = ["zk", "--server", server, "--cluster-credentials", "\(dir)/data/cluster-credentials"] + tls
            var listed = ""
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline, serve.process.isRunning {
                listed = try await ZooStackExecutable.run(members + ["ls", "/zoostack/managementservers"]).stdout
                if listed.contains("ms-tls") { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(listed.contains("ms-tls"), "members: \(listed)\nserve:\n\(serve.output.suffix(3000))")
        }
        let embedded = try await ZooStackExecutable.run(["serve", "--zookeeper-tls-ca", "\(dir)/ca.pem"])
        #expect(embedded.status == 64)
        #expect(embedded.stderr.contains("--zookeeper-tls-ca needs --zookeeper"), "\(embedded.stderr)")
    }
}
