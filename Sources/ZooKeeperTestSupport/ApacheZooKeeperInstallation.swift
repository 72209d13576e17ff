import Foundation

/// Where Java and the Apache ZooKeeper jars are on this machine.
///
/// Two layouts are understood:
/// - **Debian's `zookeeper` package** (3.8.0 on bookworm): `/usr/share/java/zookeeper.jar`, whose manifest
///   `Class-Path` pulls in netty, metrics, snappy, jetty, jackson and commons-*. The manifest does not name
///   an SLF4J binding, so `slf4j-log4j12.jar` and `log4j-1.2.jar` are added explicitly, as is
///   `zookeeper-jute.jar`.
/// - **An unpacked `apache-zookeeper-3.8.x-bin` tarball** in `ZOOSTACK_ZK_HOME`: every jar in its `lib/`.
public struct ApacheZooKeeperInstallation: Sendable, Hashable {
    /// The `java` executable.
    public var javaExecutable: String
    /// The jars to put on the class path, in order. The launcher prepends the server's configuration directory.
    public var classpath: [String]

    /// The jars that must exist in Debian's `/usr/share/java` for a server to start and log.
    public static let debianJars = [
        "zookeeper.jar",
        "zookeeper-jute.jar",
        "slf4j-api.jar",
        "slf4j-log4j12.jar",
        "log4j-1.2.jar",
    ]

    /// Creates an installation from explicit paths.
    ///
    /// - Parameters:
    ///   - javaExecutable: The `java` executable.
    ///   - classpath: The jars to put on the class path.
    public init(javaExecutable: String, classpath: [String]) {
        self.javaExecutable = javaExecutable
        self.classpath = classpath
    }

    /// Finds Java and ZooKeeper.
    ///
    /// - `ZOOSTACK_ZK_HOME` (default `/usr/share/zookeeper`): if its `lib/` holds a `zookeeper-*.jar`, every
    ///   jar there is used (tarball layout). Otherwise the Debian jars in `ZOOSTACK_JAVA_LIBS`
    ///   (default `/usr/share/java`) are used.
    /// - `ZOOSTACK_JAVA`, then `$JAVA_HOME/bin/java`, then `java` on `PATH`.
    ///
    /// - Parameter environment: The environment to read; the process's environment by default.
    /// - Returns: The installation.
    /// - Throws: ``ApacheZooKeeperError`` with code `installationNotFound`, naming what is missing and how to
    ///   install it. Tests must fail rather than skip, so there is no "not installed" result.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ApacheZooKeeperInstallation {
        func value(_ name: String, _ defaultValue: String) -> String {
            guard let value = environment[name], !value.isEmpty else { return defaultValue }
            return value
        }
        let java = try locateJava(environment: environment)
        let fileManager = FileManager.default

        let home = value("ZOOSTACK_ZK_HOME", "/usr/share/zookeeper")
        let tarballLib = URL(fileURLWithPath: home).appendingPathComponent("lib")
        if let names = try? fileManager.contentsOfDirectory(atPath: tarballLib.path),
            names.contains(where: { $0.hasPrefix("zookeeper-") && $0.hasSuffix(".jar") })
        {
            let jars = names.filter { $0.hasSuffix(".jar") }.sorted().map { tarballLib.appendingPathComponent($0).path }
            return ApacheZooKeeperInstallation(javaExecutable: java, classpath: jars)
        }

        let libs = URL(fileURLWithPath: value("ZOOSTACK_JAVA_LIBS", "/usr/share/java"))
        let jars = debianJars.map { libs.appendingPathComponent($0).path }
        let missing = jars.filter { !fileManager.fileExists(atPath: $0) }
        guard missing.isEmpty else {
            throw ApacheZooKeeperError(
                code: .installationNotFound,
                message: """
                    Apache ZooKeeper jars are missing: \(missing.joined(separator: ", ")). \
                    Install Debian's package (`apt-get install -y zookeeper`; scripts/test.sh does this), or set \
                    ZOOSTACK_ZK_HOME to an unpacked apache-zookeeper-3.8.x-bin directory.
                    """
            )
        }
        // The manifest's Class-Path omits netty-codec (Debian's libnetty-java, which the package depends on), which
        // NettyServerCnxnFactory needs: without it a secureClientPort server fails every connection.
        let codec = libs.appendingPathComponent("netty-codec.jar").path
        let extra = fileManager.fileExists(atPath: codec) ? [codec] : []
        return ApacheZooKeeperInstallation(javaExecutable: java, classpath: jars + extra)
    }

    private static func locateJava(environment: [String: String]) throws -> String {
        let fileManager = FileManager.default
        var candidates: [String] = []
        if let java = environment["ZOOSTACK_JAVA"], !java.isEmpty {
            candidates.append(java)
        }
        if let javaHome = environment["JAVA_HOME"], !javaHome.isEmpty {
            candidates.append(URL(fileURLWithPath: javaHome).appendingPathComponent("bin/java").path)
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            candidates.append(URL(fileURLWithPath: String(directory)).appendingPathComponent("java").path)
        }
        candidates.append("/usr/bin/java")
        if let java = candidates.first(where: { fileManager.isExecutableFile(atPath: $0) }) {
            return java
        }
        throw ApacheZooKeeperError(
            code: .installationNotFound,
            message: """
                No `java` executable found (looked at ZOOSTACK_JAVA, $JAVA_HOME/bin/java, PATH and /usr/bin/java). \
                Install a JRE (`apt-get install -y zookeeper` pulls in default-jre).
                """
        )
    }
}
