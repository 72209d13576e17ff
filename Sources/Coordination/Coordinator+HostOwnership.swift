import Logging
import Synchronization
import ZooKeeperClient
import ZooKeeperProtocol
import ZooKeeperRecipes

extension Coordinator {
    /// The live hosts registered by agents.
    public nonisolated var hostDirectory: HostDirectory {
        HostDirectory(client: self.client, layout: self.layout, feed: self.hostsBroadcast)
    }

    /// The hosts this management server owns: the current set first (once read), then the set after every change
    /// under `/hostowners`. The leader assigns owners; after a management server joins or leaves, each host ends up
    /// owned by exactly one live management server.
    /// - Returns: the sets, each sorted; the stream ends when the consumer stops or the coordinator stops.
    public nonisolated func ownedHosts() -> AsyncStream<[String]> {
        let owners = self.ownersBroadcast.stream()
        let me = self.configuration.serverId
        return AsyncStream { continuation in
            let task = Task {
                var last: [String]?
                for await map in owners {
                    let mine = map.filter { $0.value == me }.keys.sorted()
                    if mine != last {
                        last = mine
                        continuation.yield(mine)
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Every host's owner, host id → management server id, as this coordinator last saw it.
    /// - Returns: the map (empty before the first read).
    public nonisolated func hostOwners() -> [String: String] {
        self.ownersBroadcast.last ?? [:]
    }

    func startHostAssignment(token: FencingToken) -> Task<Void, Never> {
        let assigner = HostAssigner(client: self.client, layout: self.layout, token: token, logger: self.logger)
        let servers = self.membersBroadcast.stream()
        let hosts = self.hostsBroadcast.stream()
        return Task { await assigner.run(servers: servers, hosts: hosts) }
    }
}

/// The leader's duty of spreading live hosts over live management servers: rendezvous hashing (the same as
/// ``SetPartitioner/assign(items:members:)``), written to `/hostowners/BUCKET` with fenced multis, again after
/// every change of either set. The assigner reads the owners once per term (bucket by bucket) and then keeps its
/// own view up to date with its writes (only the leader writes owners); a failed write reads them again. A deposed
/// leader's writes fail on the epoch check.
struct HostAssigner: Sendable {
    var client: ZooKeeperClient
    var layout: ZNodeLayout
    var token: FencingToken
    var logger: Logger

    /// The largest number of ops per multi.
    static let batch = 200
    /// How many multis are in flight at once.
    static let pipelined = 4

    func run(servers: AsyncStream<[ManagementServerInfo]>, hosts: AsyncStream<[String: HostInfo]>) async {
        let latest = LatestSets()
        let (triggers, trigger) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await snapshot in servers {
                    latest.value.withLock { $0.servers = snapshot.map(\.id) }
                    trigger.yield()
                }
            }
            group.addTask {
                for await snapshot in hosts {
                    latest.value.withLock { $0.hosts = Array(snapshot.keys) }
                    trigger.yield()
                }
            }
            group.addTask {
                var owners: OwnerView?
                var memo = AssignmentMemo()
                for await _ in triggers {
                    let (servers, hosts) = latest.value.withLock { ($0.servers, $0.hosts) }
                    guard let servers, let hosts, !servers.isEmpty else { continue }
                    do {
                        var current: OwnerView
                        if let owners {
                            current = owners
                        } else {
                            current = try await OwnerView.read(self.client, self.layout)
                        }
                        owners = nil
                        try await self.reconcile(servers: servers, hosts: hosts, current: &current, memo: &memo)
                        owners = current
                    } catch let error as CoordinationError where error.code == .fenced {
                        self.logger.warning("host assignment stopped: \(error.reason)")
                        return
                    } catch {
                        if Task.isCancelled { return }
                        self.logger.debug("host assignment will retry: \(error)")
                        try? await Task.sleep(for: .milliseconds(300))
                        trigger.yield()
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Makes `/hostowners` match the assignment of `hosts` over `servers`, given its `current` state, which it
    /// updates as its batches succeed. The owner of each host is computed once per server set (`memo`), and up to
    /// ``pipelined`` multis are in flight at once.
    func reconcile(
        servers: [String],
        hosts: [String],
        current view: inout OwnerView,
        memo: inout AssignmentMemo
    ) async throws {
        let desired = memo.owners(of: hosts, over: servers)
        // Each change: the host, its node's path and the new owner (nil: delete).
        var changes: [(host: String, path: String, owner: String?)] = []
        var ops: [MultiOp] = []
        let acl = self.client.defaultACL
        let current = view.nodes
        for (host, server) in desired {
            let data = Array(server.utf8)
            if let node = current[host] {
                guard node.data != data else { continue }
                ops.append(.setData(SetDataRequest(path: node.path, data: data, version: -1)))
                changes.append((host, node.path, server))
            } else {
                let path = self.layout.hostOwnerPath(host)
                try await view.ensureBucket(self.layout.hostOwnerBucket(of: host), client: self.client)
                ops.append(.create(CreateRequest(path: path, data: data, acl: acl, flags: .persistent), .create))
                changes.append((host, path, server))
            }
        }
        for (host, node) in current where desired[host] == nil {
            ops.append(.delete(DeleteRequest(path: node.path, version: -1)))
            changes.append((host, node.path, nil))
        }
        guard !ops.isEmpty else { return }
        self.logger.info("assigning \(ops.count) host owner changes over \(servers.count) management servers")
        let batches = stride(from: 0, to: ops.count, by: Self.batch).map { $0..<min($0 + Self.batch, ops.count) }
        for wave in stride(from: 0, to: batches.count, by: Self.pipelined) {
            let ranges = batches[wave..<min(wave + Self.pipelined, batches.count)]
            var failure: (any Error)?
            await withTaskGroup(of: (Range<Int>, (any Error)?).self) { group in
                for range in ranges {
                    let batch = Array(ops[range])
                    group.addTask {
                        do {
                            _ = try await self.client.fencedMulti(batch, token: self.token)
                            return (range, nil)
                        } catch {
                            return (range, error)
                        }
                    }
                }
                for await (range, error) in group {
                    if let error {
                        failure = failure ?? error
                        continue
                    }
                    for change in changes[range] {
                        view.nodes[change.host] = change.owner.map {
                            ChildNode(path: change.path, data: Array($0.utf8), modifiedZxid: 0, modifiedMilliseconds: 0)
                        }
                    }
                }
            }
            if let error = failure as? MultiError, error.failedIndex == 0 {
                throw CoordinationError(.fenced, "leadership epoch \(self.token.epoch) was superseded (\(error.code))")
            }
            if let failure { throw failure }
        }
    }
}

/// The assigner's memo of each host's owner under one server set: rendezvous hashing is computed for the hosts
/// it has not seen, and again for all when the server set changes.
struct AssignmentMemo: Sendable {
    private var servers: [String] = []
    private var owner: [String: String] = [:]

    /// The owner of each of `hosts` over `servers`.
    mutating func owners(of hosts: [String], over servers: [String]) -> [String: String] {
        let sorted = servers.sorted()
        if sorted != self.servers {
            self.servers = sorted
            self.owner = [:]
        }
        var result: [String: String] = [:]
        result.reserveCapacity(hosts.count)
        var unknown: [String] = []
        for host in hosts {
            if let server = self.owner[host] {
                result[host] = server
            } else {
                unknown.append(host)
            }
        }
        for (server, owned) in SetPartitioner.assign(items: unknown, members: sorted) {
            for host in owned {
                result[host] = server
                self.owner[host] = server
            }
        }
        if self.owner.count > 2 * max(hosts.count, 1_000) { self.owner = result }
        return result
    }
}

/// The host owners as the assigner knows them: the nodes by host id and the buckets that exist.
struct OwnerView: Sendable {
    var nodes: [String: ChildNode]
    var buckets: Set<String>

    /// Reads the owners and their buckets.
    static func read(_ client: ZooKeeperClient, _ layout: ZNodeLayout) async throws -> OwnerView {
        let buckets: [String]
        do {
            buckets = try await client.getChildren(layout.hostOwners)
        } catch let error as KeeperError where error.code == .noNode {
            buckets = []
        }
        return OwnerView(
            nodes: try await BucketedFeed.read(client, layout.hostOwners),
            buckets: Set(buckets.map { layout.hostOwners + "/" + $0 })
        )
    }

    /// Creates a bucket node the first time an owner goes into it (buckets are persistent and never deleted).
    mutating func ensureBucket(_ path: String, client: ZooKeeperClient) async throws {
        guard !self.buckets.contains(path) else { return }
        do {
            try await client.create(path)
        } catch let error as KeeperError where error.code == .nodeExists {}
        self.buckets.insert(path)
    }
}

/// The latest server and host sets the assigner saw.
private final class LatestSets: Sendable {
    let value = Mutex<(servers: [String]?, hosts: [String]?)>((nil, nil))
}
