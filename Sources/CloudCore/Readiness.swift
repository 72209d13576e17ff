import CloudStore
import Orchestrator

/// Whether a management server can serve requests now: what `/readyz` reports to the load balancers in front of
/// several management servers. Ready when the database answers and, in a cluster, the ZooKeeper session is up.
public struct Readiness: Sendable, Hashable {
    /// One dependency's state.
    public struct Check: Sendable, Hashable {
        /// `database` or `zookeeper`.
        public var name: String
        /// Whether it is usable.
        public var ok: Bool
        /// `ok`, or why not (no internals: no SQL, no addresses).
        public var detail: String

        /// Creates a check.
        public init(name: String, ok: Bool, detail: String) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }
    }

    /// The checks, database first.
    public var checks: [Check]

    /// Whether every check passed.
    public var isReady: Bool { self.checks.allSatisfy(\.ok) }
}

extension CloudServices {
    /// Checks the database (a `SELECT 1` answered within `databaseTimeout`) and, when this server belongs to a
    /// cluster, its ZooKeeper session (the same local check that refuses coordinated commands with 530).
    /// - Parameter databaseTimeout: how long the database may take to answer.
    /// - Returns: the checks.
    public func readiness(databaseTimeout: Duration = .seconds(2)) async -> Readiness {
        let store = self.store
        let database = await withTaskGroup(of: Readiness.Check?.self) { group in
            group.addTask {
                do {
                    try await store.ping()
                    return Readiness.Check(name: "database", ok: true, detail: "ok")
                } catch {
                    return Readiness.Check(name: "database", ok: false, detail: "the database does not answer")
                }
            }
            group.addTask {
                do { try await Task.sleep(for: databaseTimeout) } catch { return nil }
                return Readiness.Check(
                    name: "database",
                    ok: false,
                    detail: "the database did not answer within \(databaseTimeout)"
                )
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? Readiness.Check(name: "database", ok: false, detail: "the database check was cancelled")
        }
        let zookeeper: Readiness.Check
        if let cluster = self.cluster {
            do {
                try cluster.requireCoordination()
                zookeeper = Readiness.Check(name: "zookeeper", ok: true, detail: "ok")
            } catch {
                zookeeper = Readiness.Check(name: "zookeeper", ok: false, detail: error.message)
            }
        } else {
            zookeeper = Readiness.Check(name: "zookeeper", ok: true, detail: "not a cluster member")
        }
        return Readiness(checks: [database, zookeeper])
    }
}
