/// The server's metrics under Apache ZooKeeper's names (`ZooKeeperServer.registerMetrics` and `ServerMetrics`, as
/// its `PrometheusMetricsProvider` exports them and `mntr` prints them with a `zk_` prefix): one set behind both,
/// so the two never disagree.
public struct ZooKeeperMetrics: Sendable, Hashable {
    /// One gauge.
    public struct Gauge: Sendable, Hashable {
        /// Apache ZooKeeper's name (`znode_count`, ...).
        public var name: String
        /// What it measures (the `# HELP` text).
        public var help: String
        /// Its value.
        public var value: Double
    }

    /// The txn log's fsyncs (`ServerMetrics.FSYNC_TIME`, a summary in milliseconds).
    public struct Summary: Sendable, Hashable {
        /// How many.
        public var count: Int
        /// Their total, ms.
        public var sum: Double
        /// The shortest, ms (0 before the first).
        public var min: Double
        /// The longest, ms.
        public var max: Double
    }

    /// The version `mntr` reports first.
    public var version: String
    /// `standalone`.
    public var serverState: String
    /// The gauges, in `mntr`'s order.
    public var gauges: [Gauge]
    /// `fsynctime`.
    public var fsyncTime: Summary

    /// The gauge with Apache ZooKeeper's name `name`.
    /// - Parameter name: e.g. `znode_count`.
    /// - Returns: its value, nil when there is none.
    public func value(_ name: String) -> Double? {
        self.gauges.first { $0.name == name }?.value
    }

    /// The metrics in Prometheus' text format, as Apache ZooKeeper's metrics provider serves them on
    /// `metricsProvider.httpPort` at `/metrics`.
    public var prometheusText: String {
        var text = ""
        for gauge in self.gauges {
            // A gauge named like a summary's or counter's series (`ephemerals_count`) is declared untyped, which
            // the format allows that name; Apache's own provider types it gauge, which promtool's lint refuses.
            let reserved = ["_count", "_sum", "_bucket", "_total"].contains { gauge.name.hasSuffix($0) }
            text += "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) \(reserved ? "untyped" : "gauge")\n"
            text += "\(gauge.name) \(Self.number(gauge.value))\n"
        }
        text += "# HELP fsynctime Time to fsync the txn log, in milliseconds.\n# TYPE fsynctime summary\n"
        text += "fsynctime_sum \(Self.number(self.fsyncTime.sum))\nfsynctime_count \(self.fsyncTime.count)\n"
        return text
    }

    /// `mntr`'s answer: `zk_version` and `zk_server_state`, every gauge, and the fsync summary as Apache prints a
    /// summary (`zk_avg_fsynctime`, `zk_min_`, `zk_max_`, `zk_cnt_`, `zk_sum_`).
    public var monitorText: String {
        var lines: [(String, String)] = [("zk_version", self.version), ("zk_server_state", self.serverState)]
        for gauge in self.gauges { lines.append(("zk_" + gauge.name, Self.number(gauge.value))) }
        let fsync = self.fsyncTime
        let average = fsync.count == 0 ? 0 : fsync.sum / Double(fsync.count)
        lines += [
            ("zk_avg_fsynctime", Self.number(average)), ("zk_min_fsynctime", Self.number(fsync.min)),
            ("zk_max_fsynctime", Self.number(fsync.max)), ("zk_cnt_fsynctime", "\(fsync.count)"),
            ("zk_sum_fsynctime", Self.number(fsync.sum)),
        ]
        return lines.map { "\($0.0)\t\($0.1)\n" }.joined()
    }

    /// A whole number without a fraction, else up to four decimals.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\((value * 10000).rounded() / 10000)"
    }
}

/// The txn log's fsync durations, for `fsynctime`.
struct FsyncStats: Sendable, Hashable {
    var count = 0
    var sum = 0.0
    var min = 0.0
    var max = 0.0

    mutating func record(milliseconds: Double) {
        self.min = self.count == 0 ? milliseconds : Swift.min(self.min, milliseconds)
        self.max = Swift.max(self.max, milliseconds)
        self.sum += milliseconds
        self.count += 1
    }
}

extension CoreState {
    /// The metrics now.
    func metrics(now: Int64, version: String) -> ZooKeeperMetrics {
        let s = self.stats
        let counts = self.watches.counts
        let ephemerals = self.tree.ephemerals.values.reduce(0) { $0 + $1.count }
        let dataSize = self.tree.nodes.reduce(0) { $0 + $1.key.utf8.count + ($1.value.data?.count ?? 0) }
        let average = s.latencyCount == 0 ? 0.0 : Double(s.latencyTotal) / Double(s.latencyCount)
        let gauges: [(String, String, Double)] = [
            ("avg_latency", "Average request latency, ms.", average),
            ("max_latency", "Longest request latency, ms.", Double(s.latencyMax)),
            ("min_latency", "Shortest request latency, ms.", Double(s.latencyMin)),
            ("packets_received", "Packets received from clients.", Double(s.packetsReceived)),
            ("packets_sent", "Packets sent to clients.", Double(s.packetsSent)),
            ("num_alive_connections", "Client connections open.", Double(self.connections.count)),
            ("outstanding_requests", "Requests received and not yet answered.", 0),
            ("znode_count", "Znodes in the tree.", Double(self.tree.nodes.count)),
            ("watch_count", "Watches set.", Double(counts.watches)),
            ("ephemerals_count", "Ephemeral znodes.", Double(ephemerals)),
            ("approximate_data_size", "Bytes of paths and data in the tree.", Double(dataSize)),
            ("global_sessions", "Sessions.", Double(self.sessions.sessions.count)),
            ("local_sessions", "Local sessions (none: standalone).", 0),
            ("uptime", "Milliseconds since the server started.", Double(max(0, now - self.startedAt))),
            ("last_proposal_size", "Bytes of the last txn (none: standalone).", -1),
        ]
        return ZooKeeperMetrics(
            version: version,
            serverState: "standalone",
            gauges: gauges.map { ZooKeeperMetrics.Gauge(name: $0.0, help: $0.1, value: $0.2) },
            fsyncTime: ZooKeeperMetrics.Summary(
                count: s.fsync.count,
                sum: s.fsync.sum,
                min: s.fsync.min,
                max: s.fsync.max
            )
        )
    }
}
