import Foundation
import ZooKeeperTestSupport

/// The ZooKeeper a test cluster coordinates through: ZooStack's embedded server as its own process
/// (`zoostack zookeeper`), or a 3-server Apache ZooKeeper 3.8 ensemble (Debian's `zookeeper` package).
public enum CoordinationKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `zoostack zookeeper` on a free loopback port.
    case embedded
    /// Three Apache ZooKeeper servers on loopback.
    case apacheEnsemble = "apache"

    public var description: String { self.rawValue }
}

/// A running coordination service.
public final class CoordinationBackend: Sendable {
    /// The kind.
    public let kind: CoordinationKind
    /// The connect string (`127.0.0.1:P[,...]`).
    public let connectString: String
    private let process: ManagedProcess?
    private let ensemble: ApacheZooKeeperEnsemble?

    private init(
        kind: CoordinationKind,
        connectString: String,
        process: ManagedProcess?,
        ensemble: ApacheZooKeeperEnsemble?
    ) {
        self.kind = kind
        self.connectString = connectString
        self.process = process
        self.ensemble = ensemble
    }

    /// Starts one.
    /// - Parameters:
    ///   - kind: which.
    ///   - binary: the `zoostack` executable (for `.embedded`).
    ///   - directory: a scratch directory.
    ///   - tickTime: ZooKeeper's tick; sessions may be as short as two ticks.
    /// - Returns: the running service.
    /// - Throws: ``HarnessError`` or `ApacheZooKeeperError` when it does not start.
    public static func start(
        _ kind: CoordinationKind,
        binary: URL,
        directory: URL,
        tickTime: Duration = .milliseconds(500)
    ) async throws -> CoordinationBackend {
        let tickMilliseconds = Int(
            tickTime.components.seconds * 1000 + tickTime.components.attoseconds / 1_000_000_000_000_000
        )
        switch kind {
        case .embedded:
            let port = try FreePort.allocate()
            let dataDir = directory.appendingPathComponent("zookeeper").path
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            let process = try ManagedProcess.launch(
                name: "zookeeper",
                executable: binary,
                arguments: [
                    "zookeeper", "--port", String(port), "--metrics-port", "0", "--data-dir", dataDir, "--tick-time",
                    String(tickMilliseconds), "--4lw-whitelist", "srvr,mntr",
                ],
                logPath: directory.appendingPathComponent("zookeeper.log").path
            )
            _ = try await process.waitForLine(containing: "listening on")
            return CoordinationBackend(
                kind: kind,
                connectString: "127.0.0.1:\(port)",
                process: process,
                ensemble: nil
            )
        case .apacheEnsemble:
            var options = ApacheZooKeeperOptions()
            options.tickTime = tickTime
            let ensemble = try await ApacheZooKeeperEnsemble.start(size: 3, options: options)
            return CoordinationBackend(
                kind: kind,
                connectString: ensemble.connectString,
                process: nil,
                ensemble: ensemble
            )
        }
    }

    /// Asks every running server a four-letter word (`mntr`, `srvr`: the embedded server allows those two, the
    /// Apache ensemble all).
    /// - Parameter word: the word.
    /// - Returns: the answers of the servers that gave one (a server that is down or stalls is left out).
    public func fourLetterWord(_ word: String) async -> [String] {
        if let ensemble = self.ensemble {
            var answers: [String] = []
            for server in ensemble.servers where server.isRunning {
                if let answer = try? await server.fourLetterWord(word) { answers.append(answer) }
            }
            return answers
        }
        guard let port = self.connectString.split(separator: ":").last.flatMap({ Int($0) }),
            let answer = try? await RawZooKeeperClient.fourLetterWord(word, port: port)
        else { return [] }
        return [answer]
    }

    /// Stops it.
    public func shutdown() async {
        await self.process?.terminate()
        self.ensemble?.shutdown()
    }
}
