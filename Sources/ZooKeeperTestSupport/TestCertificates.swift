import Foundation

/// Certificates for TLS tests, made by the openssl CLI in a directory the test owns: a CA (`ca.pem`), another CA
/// that signed nothing here (`other-ca.pem`), and a leaf for 127.0.0.1 signed by the first (`leaf.pem`,
/// `leaf-key.pem`; server and client use) with `keystore.pem`, the leaf's key and certificate in one file as
/// Apache ZooKeeper's PEM key store reads them.
public enum TestCertificates {
    /// Makes the files in `directory`.
    /// - Parameter directory: an existing directory.
    /// - Throws: ``ApacheZooKeeperError`` when openssl fails or outlasts 30 s.
    public static func make(in directory: String) async throws {
        for ca in ["ca", "other-ca"] {
            try await Self.openssl(
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=\(ca)", "-keyout",
                    "\(ca)-key.pem", "-out", "\(ca).pem",
                ],
                in: directory
            )
        }
        try await Self.openssl(
            [
                "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "leaf-key.pem", "-out",
                "leaf.csr",
            ],
            in: directory
        )
        try "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n"
            .write(toFile: "\(directory)/leaf.ext", atomically: true, encoding: .utf8)
        try await Self.openssl(
            [
                "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-days", "1", "-extfile", "leaf.ext", "-out", "leaf.pem",
            ],
            in: directory
        )
        let key = try String(contentsOfFile: "\(directory)/leaf-key.pem", encoding: .utf8)
        let certificate = try String(contentsOfFile: "\(directory)/leaf.pem", encoding: .utf8)
        try (key + certificate).write(toFile: "\(directory)/keystore.pem", atomically: true, encoding: .utf8)
    }

    /// The `zoo.cfg` entries of a `secureClientPort` served with the files ``make(in:)`` wrote
    /// (`NettyServerCnxnFactory`, PEM key and trust stores; client certificates required, ZooKeeper's default).
    /// - Parameters:
    ///   - port: the secure client port.
    ///   - directory: where the certificates are.
    /// - Returns: entries for ``ApacheZooKeeperOptions/extraConfiguration``.
    public static func secureClientPort(_ port: Int, directory: String) -> [String: String] {
        [
            "serverCnxnFactory": "org.apache.zookeeper.server.NettyServerCnxnFactory",
            "secureClientPort": String(port),
            "ssl.keyStore.location": "\(directory)/keystore.pem",
            "ssl.keyStore.type": "PEM",
            "ssl.trustStore.location": "\(directory)/ca.pem",
            "ssl.trustStore.type": "PEM",
        ]
    }

    static func openssl(_ arguments: [String], in directory: String) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ApacheZooKeeperError(
                code: .invalidConfiguration,
                message: "openssl \(arguments.joined(separator: " ")) failed (status \(process.terminationStatus))"
            )
        }
    }
}
