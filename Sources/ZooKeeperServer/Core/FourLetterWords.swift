import ZooKeeperProtocol

/// The four-letter words (`server.command.FourLetterCommands`): a word on a fresh connection gets a text
/// answer, then the connection closes. Only whitelisted words run (`4lw.commands.whitelist`, default `srvr`).
enum FourLetterWords {
    /// The version the server reports; kazoo's `server_version()` parses the leading `[\d.]*` of `envi`'s line.
    static let version = "3.8.0-zoostack, built on 2026-01-01 00:00 UTC"

    /// Every word Apache ZooKeeper 3.8 knows.
    static let known: Set<String> = [
        "conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "ruok", "srst", "srvr", "stat", "wchc", "wchp",
        "wchs", "mntr", "isro", "hash", "stmk",
    ]

    /// The answer to `word`.
    static func answer(_ word: String, state: CoreState, now: Int64) -> String {
        guard state.config.allowsFourLetterWord(word) else {
            return "\(word) is not executed because it is not in the whitelist.\n"
        }
        switch word {
        case "ruok": return "imok"
        case "isro": return "rw"
        case "srvr": return self.serverStats(state)
        case "stat": return self.stat(state, now: now)
        case "mntr": return self.monitor(state, now: now)
        case "envi": return self.environment(state)
        case "conf": return self.configuration(state)
        case "cons": return self.connections(state, now: now) + "\n"
        case "wchs":
            let counts = state.watches.counts
            return "\(counts.connections) connections watching \(counts.paths) paths\nTotal watches:\(counts.watches)\n"
        case "wchc", "wchp": return self.watchDump(state, byPath: word == "wchp")
        case "dump": return self.dump(state)
        case "crst": return "Connection stats reset.\n"
        case "srst": return "Server stats reset.\n"
        case "dirs": return "datadir_size: 0\nlogdir_size: 0\n"
        case "gtmk": return "0\n"
        case "stmk": return "0\n"
        case "hash": return "Digest computation is disabled.\n"
        default: return "\(word) is not executed because it is not in the whitelist.\n"
        }
    }

    private static func hex(_ value: Int64) -> String { "0x" + String(UInt64(bitPattern: value), radix: 16) }

    private static func statsLines(_ state: CoreState) -> String {
        let s = state.stats
        let avg =
            s.latencyCount == 0 ? 0.0 : (Double(s.latencyTotal) / Double(s.latencyCount) * 10000).rounded() / 10000
        return """
            Latency min/avg/max: \(s.latencyMin)/\(avg)/\(s.latencyMax)
            Received: \(s.packetsReceived)
            Sent: \(s.packetsSent)
            Connections: \(state.connections.count)
            Outstanding: 0
            Zxid: \(self.hex(state.lastZxid))
            Mode: standalone
            Node count: \(state.tree.nodeCount)

            """
    }

    private static func serverStats(_ state: CoreState) -> String {
        "Zookeeper version: \(self.version)\n" + self.statsLines(state)
    }

    private static func stat(_ state: CoreState, now: Int64) -> String {
        "Zookeeper version: \(self.version)\nClients:\n" + self.connections(state, now: now) + "\n"
            + self.statsLines(state)
    }

    private static func connections(_ state: CoreState, now: Int64) -> String {
        var text = ""
        for (_, entry) in state.connections.sorted(by: { $0.key < $1.key }) {
            var line = " /\(entry.host):\(entry.remotePort)[\(entry.sessionId == nil ? 0 : 1)]"
            line += "(queued=0,recved=\(entry.received),sent=\(entry.sent)"
            if let sessionId = entry.sessionId, let session = state.sessions.session(sessionId) {
                line += ",sid=\(self.hex(sessionId)),lop=SESS,est=\(entry.connectedAt),to=\(session.timeout)"
                line += ",lzxid=\(self.hex(entry.lastZxid)),lresp=\(now),llat=0,minlat=0,avglat=0,maxlat=0"
            }
            text += line + ")\n"
        }
        return text
    }

    private static func monitor(_ state: CoreState, now: Int64) -> String {
        state.metrics(now: now, version: self.version).monitorText
    }

    private static func environment(_ state: CoreState) -> String {
        """
        Environment:
        zookeeper.version=\(self.version)
        host.name=\(state.config.host)
        server.implementation=ZooStack (Swift)
        os.name=\(self.osName)

        """
    }

    private static var osName: String {
        #if os(Linux)
        "Linux"
        #elseif os(macOS)
        "Mac OS X"
        #else
        "unknown"
        #endif
    }

    private static func configuration(_ state: CoreState) -> String {
        let c = state.config
        return """
            clientPort=\(c.port)
            secureClientPort=-1
            dataDir=\(c.dataDir ?? "")
            dataDirSize=0
            dataLogDir=\(c.dataDir ?? "")
            dataLogSize=0
            tickTime=\(c.tickTime)
            maxClientCnxns=\(c.maxClientCnxns)
            minSessionTimeout=\(c.effectiveMinSessionTimeout)
            maxSessionTimeout=\(c.effectiveMaxSessionTimeout)
            clientPortListenBacklog=-1
            serverId=\(c.serverId)

            """
    }

    private static func watchDump(_ state: CoreState, byPath: Bool) -> String {
        let byConnection = state.watches.pathsByConnection
        var text = ""
        if byPath {
            var byPathMap: [String: [ConnectionID]] = [:]
            for (connection, paths) in byConnection {
                for path in paths { byPathMap[path, default: []].append(connection) }
            }
            for (path, connections) in byPathMap.sorted(by: { $0.key < $1.key }) {
                text += path + "\n"
                for connection in connections.sorted() {
                    text += "\t\(self.hex(state.connections[connection]?.sessionId ?? 0))\n"
                }
            }
        } else {
            for (connection, paths) in byConnection.sorted(by: { $0.key < $1.key }) {
                text += "\(self.hex(state.connections[connection]?.sessionId ?? 0))\n"
                for path in paths { text += "\t\(path)\n" }
            }
        }
        return text
    }

    private static func dump(_ state: CoreState) -> String {
        var text = "SessionTracker dump:\nGlobal Sessions(\(state.sessions.sessions.count)):\n"
        for session in state.sessions.sessions.values.sorted(by: { $0.id < $1.id }) {
            text += "\(self.hex(session.id))\t\(session.timeout)ms\n"
        }
        let withEphemerals = state.tree.ephemerals.filter { !$0.value.isEmpty }
        text += "ephemeral nodes dump:\nSessions with Ephemerals (\(withEphemerals.count)):\n"
        for (sessionId, paths) in withEphemerals.sorted(by: { $0.key < $1.key }) {
            text += "\(self.hex(sessionId)):\n"
            for path in paths.sorted() { text += "\t\(path)\n" }
        }
        text += "Connections dump:\nConnections Sets (0)/(0):\n"
        return text
    }
}
