import Foundation

/// Everything needed to launch one ZooKeeper JVM: its directory layout, its configuration files and its
/// command line.
///
/// Layout under ``directory``: `conf/` (`zoo.cfg`, `log4j.properties`, `logback.xml`), `data/` (`myid`,
/// `version-2/`) and `log/` (`zookeeper.log`, and `console.log` for the JVM's own stdout and stderr).
struct ApacheZooKeeperLaunchConfiguration: Sendable {
    /// One member of an ensemble, as written in `server.N=127.0.0.1:quorumPort:electionPort`.
    struct Peer: Sendable {
        var id: Int
        var quorumPort: Int
        var electionPort: Int
    }

    var installation: ApacheZooKeeperInstallation
    var options: ApacheZooKeeperOptions
    var directory: URL
    var clientPort: Int
    /// `myid` in an ensemble; `nil` for a standalone server.
    var serverID: Int?
    /// Every member of the ensemble (including this one); empty for a standalone server.
    var peers: [Peer]

    var confDirectory: URL { directory.appendingPathComponent("conf") }
    var dataDirectory: URL { directory.appendingPathComponent("data") }
    var logDirectory: URL { directory.appendingPathComponent("log") }
    var configFile: URL { confDirectory.appendingPathComponent("zoo.cfg") }
    var logFile: URL { logDirectory.appendingPathComponent("zookeeper.log") }
    var consoleFile: URL { logDirectory.appendingPathComponent("console.log") }

    /// `ZooKeeperServerMain` serves a standalone server; `QuorumPeerMain` a member of an ensemble.
    var mainClass: String {
        peers.isEmpty
            ? "org.apache.zookeeper.server.ZooKeeperServerMain"
            : "org.apache.zookeeper.server.quorum.QuorumPeerMain"
    }

    /// Creates the directories and writes `zoo.cfg`, the logging configurations and `myid`.
    func writeFiles() throws {
        let fileManager = FileManager.default
        for directory in [confDirectory, dataDirectory, logDirectory] {
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        try zooConfig.write(to: configFile, atomically: true, encoding: .utf8)
        try log4jProperties.write(
            to: confDirectory.appendingPathComponent("log4j.properties"),
            atomically: true,
            encoding: .utf8
        )
        try logbackXML.write(to: confDirectory.appendingPathComponent("logback.xml"), atomically: true, encoding: .utf8)
        if let serverID {
            try "\(serverID)\n".write(
                to: dataDirectory.appendingPathComponent("myid"),
                atomically: true,
                encoding: .utf8
            )
        }
    }

    var zooConfig: String {
        var lines = [
            "tickTime=\(options.tickTime.wholeMilliseconds)",
            "initLimit=\(options.initLimit)",
            "syncLimit=\(options.syncLimit)",
            "dataDir=\(dataDirectory.path)",
            "clientPort=\(clientPort)",
            "clientPortAddress=127.0.0.1",
            // Jetty's AdminServer would take port 8080 on every server.
            "admin.enableServer=false",
            "4lw.commands.whitelist=*",
            "maxClientCnxns=\(options.maxClientConnections)",
            // Unknown zoo.cfg keys become `zookeeper.<key>` system properties (QuorumPeerConfig.parseProperties).
            "forceSync=\(options.forceSync ? "yes" : "no")",
            // A server killed before its first snapshot would otherwise refuse to restart (ZOOKEEPER-3056;
            // Debian's NEWS for 3.8.0 warns about it).
            "snapshot.trust.empty=true",
        ]
        if let minSessionTimeout = options.minSessionTimeout {
            lines.append("minSessionTimeout=\(minSessionTimeout.wholeMilliseconds)")
        }
        if let maxSessionTimeout = options.maxSessionTimeout {
            lines.append("maxSessionTimeout=\(maxSessionTimeout.wholeMilliseconds)")
        }
        for peer in peers {
            lines.append("server.\(peer.id)=127.0.0.1:\(peer.quorumPort):\(peer.electionPort)")
        }
        for (key, value) in options.extraConfiguration.sorted(by: { $0.key < $1.key }) {
            lines.append("\(key)=\(value)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var log4jProperties: String {
        """
        log4j.rootLogger=INFO, FILE
        log4j.appender.FILE=org.apache.log4j.FileAppender
        log4j.appender.FILE.File=\(logFile.path)
        log4j.appender.FILE.Append=true
        log4j.appender.FILE.layout=org.apache.log4j.PatternLayout
        log4j.appender.FILE.layout.ConversionPattern=%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n

        """
    }

    var logbackXML: String {
        """
        <configuration>
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>\(logFile.path)</file>
            <append>true</append>
            <encoder><pattern>%d{ISO8601} - %-5level [%thread:%logger{0}] - %msg%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="FILE"/></root>
        </configuration>

        """
    }

    /// The arguments after the `java` executable.
    var arguments: [String] {
        var arguments = [
            "-cp", ([confDirectory.path] + installation.classpath).joined(separator: ":"),
            // Small, quick-starting JVMs: tests run several at once and never need peak throughput.
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Djava.net.preferIPv4Stack=true",
            "-Dlog4j.configuration=file:\(confDirectory.appendingPathComponent("log4j.properties").path)",
            "-Dlogback.configurationFile=\(confDirectory.appendingPathComponent("logback.xml").path)",
            "-Dzookeeper.log.dir=\(logDirectory.path)",
            "-Dzookeeper.log.file=zookeeper.log",
            "-Dzookeeper.jmx.log4j.disable=true",
            "-Dzookeeper.admin.enableServer=false",
            "-Dzookeeper.4lw.commands.whitelist=*",
            "-Dznode.container.checkIntervalMs=\(options.containerCheckInterval.wholeMilliseconds)",
        ]
        if options.extendedTypesEnabled {
            arguments.append("-Dzookeeper.extendedTypesEnabled=true")
        }
        if let superDigest = options.superDigest {
            arguments.append("-Dzookeeper.DigestAuthenticationProvider.superDigest=\(superDigest)")
        }
        arguments += options.extraJVMArguments
        arguments += [mainClass, configFile.path]
        return arguments
    }

    /// The last `lines` lines of the console output and of the server log.
    func logTail(lines: Int = 40) -> String {
        var sections: [String] = []
        for file in [consoleFile, logFile] {
            guard let data = FileManager.default.contents(atPath: file.path), !data.isEmpty else { continue }
            let text = String(decoding: data.suffix(64 * 1024), as: UTF8.self)
            let tail = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines)
            sections.append("[\(file.path)]\n" + tail.joined(separator: "\n"))
        }
        return sections.joined(separator: "\n")
    }
}

extension Duration {
    /// The duration in whole milliseconds, as zoo.cfg and ZooKeeper's system properties expect.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
