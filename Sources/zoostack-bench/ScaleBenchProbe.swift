import CloudAPI
import ClusterHarness
import Coordination
import Foundation
import Synchronization
import ZooKeeperClient
import ZooKeeperProtocol

/// What `bench scale` reads from ZooKeeper, authenticated as the cluster (ZooStack's nodes are readable only so):
/// the host owners, bucket by bucket, every reply bounded (one bucket's listing, or 100 nodes' data), and the
/// largest `getChildren` reply it saw.
struct ScaleProbe: Sendable {
    let client: ZooKeeperClient
    let layout = ZNodeLayout()
    private let largest: LargestReply

    /// The nodes whose data one `multiRead` asks for (host owner data is a server id: a reply of a few KB).
    static let readBatch = 100

    private init(client: ZooKeeperClient) {
        self.client = client
        self.largest = LargestReply()
    }

    /// Connects to the cluster's ZooKeeper with its credentials.
    /// - Parameter cluster: the cluster.
    /// - Returns: the probe (``close()`` it).
    /// - Throws: ``BenchError`` when the credentials cannot be read; `KeeperError`.
    static func connect(_ cluster: ClusterFixture) async throws -> ScaleProbe {
        ScaleProbe(client: try await Self.client(cluster))
    }

    /// A client of the cluster's ZooKeeper with its credentials and a 30 s session (the probe's session should
    /// outlive the load it measures).
    static func client(_ cluster: ClusterFixture) async throws -> ZooKeeperClient {
        guard let data = FileManager.default.contents(atPath: cluster.clusterCredentialsPath) else {
            throw BenchError("cannot read the cluster credentials file \(cluster.clusterCredentialsPath)")
        }
        let credentials = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        var configuration = try ZooKeeperClientConfiguration(
            connectString: cluster.coordination.connectString,
            sessionTimeout: .seconds(30)
        )
        configuration.authInfo = [("digest", Array(credentials.utf8))]
        return try await ZooKeeperClient.connect(configuration: configuration)
    }

    /// Ends the probe's session.
    func close() async { await self.client.close() }

    /// The largest `getChildren` reply read so far: its size in bytes as framed on the wire (length prefix,
    /// 16-byte reply header, the vector's count and each name's length and UTF-8 bytes) and its path.
    var largestReply: (bytes: Int, path: String) { self.largest.value.withLock { $0 } }

    /// A node's children (none when it does not exist), noting the reply's size.
    /// - Parameter path: the node.
    /// - Returns: the names.
    /// - Throws: `KeeperError`.
    func children(_ path: String) async throws -> [String] {
        let names: [String]
        do {
            names = try await self.client.getChildren(path)
        } catch let error as KeeperError where error.code == .noNode {
            return []
        }
        let bytes = 4 + 16 + 4 + names.reduce(0) { $0 + 4 + $1.utf8.count }
        self.largest.value.withLock { if bytes > $0.bytes { $0 = (bytes, path) } }
        return names
    }

    /// How many leaves a bucketed node (`/hosts`, `/hostowners`) holds: `getAllChildrenNumber` less the buckets.
    /// - Parameter parent: the node.
    /// - Returns: the count.
    /// - Throws: `KeeperError`.
    func leafCount(_ parent: String) async throws -> Int {
        let buckets = try await self.children(parent).count
        guard buckets > 0 else { return 0 }
        return try await self.client.getAllChildrenNumber(parent) - buckets
    }

    /// Every host's owner, read bucket by bucket: host id → management server id.
    /// - Returns: the map.
    /// - Throws: `KeeperError`.
    func owners() async throws -> [String: String] {
        var paths: [String] = []
        for bucket in try await self.children(self.layout.hostOwners).sorted() {
            let parent = self.layout.hostOwners + "/" + bucket
            paths += try await self.children(parent).map { parent + "/" + $0 }
        }
        var owners: [String: String] = [:]
        owners.reserveCapacity(paths.count)
        for start in stride(from: 0, to: paths.count, by: Self.readBatch) {
            let batch = Array(paths[start..<min(start + Self.readBatch, paths.count)])
            let replies = try await self.client.multiRead(
                batch.map { .getData(GetDataRequest(path: $0, watch: false)) }
            )
            for (path, reply) in zip(batch, replies) {
                guard case .getData(let data, _) = reply else { continue }
                let host = String(path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...])
                owners[host] = String(decoding: data ?? [], as: UTF8.self)
            }
        }
        return owners
    }

    /// Lists every bucket of `/hosts` (for the largest reply; owners and hosts share bucket names and sizes).
    /// - Returns: the number of host nodes.
    /// - Throws: `KeeperError`.
    func hostCount() async throws -> Int {
        var total = 0
        for bucket in try await self.children(self.layout.hosts) {
            total += try await self.children(self.layout.hosts + "/" + bucket).count
        }
        return total
    }
}

/// The largest reply seen, shared by the copies of a probe.
private final class LargestReply: Sendable {
    let value = Mutex<(bytes: Int, path: String)>((0, ""))
}

/// Waits until every owner node in `paths` has changed (data changed, or deleted) after `action`, following a
/// persistent recursive watch on `/hostowners` set up before it.
struct OwnerRewriteWatch: Sendable {
    private let client: ZooKeeperClient
    private let events: AsyncThrowingStream<WatchEvent, any Error>

    /// Sets the watch (on a session of its own, closed by ``wait(for:timeout:)``).
    static func start(_ cluster: ClusterFixture, layout: ZNodeLayout) async throws -> OwnerRewriteWatch {
        let client = try await ScaleProbe.client(cluster)
        let events = try await client.addWatch(layout.hostOwners, mode: .persistentRecursive)
        return OwnerRewriteWatch(client: client, events: events)
    }

    /// Waits for an event on each path.
    /// - Parameters:
    ///   - paths: the owner nodes.
    ///   - timeout: the bound.
    /// - Returns: how many paths saw no event (0: all did).
    func wait(for paths: Set<String>, timeout: Duration) async throws -> Int {
        guard !paths.isEmpty else {
            await self.client.close()
            return 0
        }
        let pending = PendingPaths(paths)
        let events = self.events
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await event in events {
                        if pending.remove(event.path) == 0 { return }
                    }
                } catch {}
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        await self.client.close()
        return pending.count
    }
}

/// The paths still waited for.
private final class PendingPaths: Sendable {
    private let paths: Mutex<Set<String>>

    init(_ paths: Set<String>) { self.paths = Mutex(paths) }

    /// Removes one; returns how many are left.
    func remove(_ path: String) -> Int {
        self.paths.withLock {
            $0.remove(path)
            return $0.count
        }
    }

    var count: Int { self.paths.withLock { $0.count } }
}

/// The cheap counts `bench scale` polls in the API: `listHosts type=Routing state=S page=1 pagesize=1`, whose
/// `count` is the database's count of matching rows (the API counts in SQL; one row is rendered).
enum HostCounts {
    /// The number of hosts in `state` (whose name contains `keyword`, if given), asked of the first live server.
    static func count(_ cluster: ClusterFixture, state: String, keyword: String? = nil) async throws -> Int {
        guard let client = cluster.liveClients.first else { throw BenchError("no live management server") }
        var parameters = ["type": "Routing", "state": state, "page": "1", "pagesize": "1"]
        if let keyword { parameters["keyword"] = keyword }
        let response = try await client.call("listHosts", parameters)
        return response["count"]?.int ?? 0
    }
}

/// ZooKeeper's and PostgreSQL's own figures.
enum ScaleFigures {
    /// `mntr` of every server: znodes (the largest answer), watches (summed: each server counts its own
    /// connections' watches) and approximate data size (the largest answer).
    static func zookeeper(_ cluster: ClusterFixture) async -> (znodes: Int, watches: Int, dataBytes: Int)? {
        let answers = await cluster.coordination.fourLetterWord("mntr")
        guard !answers.isEmpty else { return nil }
        var result = (znodes: 0, watches: 0, dataBytes: 0)
        for answer in answers {
            var values: [String: Int] = [:]
            for line in answer.split(separator: "\n") {
                let parts = line.split(separator: "\t")
                if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = Int(value) }
            }
            result.znodes = max(result.znodes, values["zk_znode_count"] ?? 0)
            result.watches += values["zk_watch_count"] ?? 0
            result.dataBytes = max(result.dataBytes, values["zk_approximate_data_size"] ?? 0)
        }
        return result
    }

    /// `pg_database_size` of the cluster's database.
    static func postgresBytes(_ cluster: ClusterFixture) async throws -> Int {
        let text = try await self.psql(cluster, "SELECT pg_database_size(current_database())", timeout: .seconds(30))
        guard let bytes = Int(text) else { throw BenchError("psql: \(text.prefix(300))") }
        return bytes
    }

    /// Runs SQL on the cluster's database through `psql` (a child with its output in a file, waited for without
    /// blocking a thread).
    /// - Returns: the output, trimmed.
    /// - Throws: ``BenchError`` when psql is missing, fails or does not end within `timeout`.
    static func psql(_ cluster: ClusterFixture, _ sql: String, timeout: Duration) async throws -> String {
        let candidates =
            ["/usr/bin/psql"]
            + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted()
            .reversed().map { "/usr/lib/postgresql/\($0)/bin/psql" }
        guard let psql = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BenchError("no psql (apt-get install postgresql-client)")
        }
        let process = try ManagedProcess.launch(
            name: "psql",
            executable: URL(fileURLWithPath: psql),
            arguments: [cluster.database, "-X", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql],
            logPath: cluster.directory.appendingPathComponent("psql-\(UUID().uuidString).log").path
        )
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.kill()
                throw BenchError("psql did not answer in \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = process.log.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.contains("ERROR:") { throw BenchError("psql: \(text.prefix(500))") }
        return text
    }
}
