import Foundation
import Testing
import ZooKeeperTestSupport

/// `serve --tls-cert --tls-key`: the API over HTTPS with certificates made here by the openssl CLI, and a renewed
/// certificate taken at SIGHUP without a restart. curl is the client: it trusts only the CA file it is given.
struct ServeTLSTests {
    /// Runs a command to its end (30 s at most); returns its exit status and standard output.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (
            process.terminationStatus,
            String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        )
    }

    /// A self-signed certificate for 127.0.0.1 and its key, written over `certificate` and `key`.
    static func makeCertificate(_ name: String, certificate: String, key: String) async throws {
        let made = try await Self.run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=\(name)",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ])
        #expect(made.status == 0)
    }

    /// `curl` trusting only `ca`: the HTTP status, or nil when TLS verification failed.
    static func status(_ url: String, ca: String) async throws -> String? {
        let result = try await Self.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca, url])
        return result.status == 0 ? result.output : nil
    }

    @Test func apiOverHTTPSAndACertificateRenewedAtSIGHUP() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zoostack-tls-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (certificate, key) = ("\(dir)/api.pem", "\(dir)/api-key.pem")
        try await Self.makeCertificate("first", certificate: certificate, key: key)
        try FileManager.default.copyItem(atPath: certificate, toPath: "\(dir)/first-ca.pem")
        let port = try FreePort.allocate()
        let serve = try BackgroundZooStack([
            "serve", "--data-dir", "\(dir)/data", "--api-port", String(port), "--zookeeper-port", "0",
            "--zookeeper-metrics-port", "0", "--tls-cert", certificate, "--tls-key", key,
        ])
        defer { serve.stop() }
        _ = try await serve.line(startingWith: "ZooStack API ready on https://127.0.0.1:\(port)/client/api")
        let base = "https://127.0.0.1:\(port)"
        #expect(try await Self.status("\(base)/healthz", ca: "\(dir)/first-ca.pem") == "200")
        // The API itself answers over TLS (401: no credentials).
        #expect(try await Self.status("\(base)/client/api?command=listZones", ca: "\(dir)/first-ca.pem") == "401")

        try await Self.makeCertificate("second", certificate: certificate, key: key)
        kill(serve.process.processIdentifier, SIGHUP)
        _ = try await serve.line(startingWith: "Reloaded the TLS certificate")
        #expect(try await Self.status("\(base)/healthz", ca: certificate) == "200")
        #expect(try await Self.status("\(base)/healthz", ca: "\(dir)/first-ca.pem") == nil)
        #expect(serve.process.isRunning)
    }
}
