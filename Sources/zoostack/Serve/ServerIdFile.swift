import Cluster
import Foundation

/// `<data-dir>/server-id`: this management server's id, generated (`ms-` and 8 hex digits) on first start.
enum ServerIdFile {
    static func path(dataDir: String) -> String {
        "\(dataDir)/server-id"
    }

    /// Reads the id, or generates and writes one.
    static func readOrCreate(dataDir: String) throws -> String {
        let path = self.path(dataDir: dataDir)
        if let data = FileManager.default.contents(atPath: path) {
            let id = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if self.isValid(id) { return id }
        }
        let id = ClusterConfiguration.generateServerId()
        try Data((id + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return id
    }

    /// Whether `id` can name a management server (a ZooKeeper node name).
    static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id != "." && id != ".." && id != "zookeeper"
            && !id.unicodeScalars.contains { $0 == "/" || $0.value < 0x20 || $0.value == 0x7f }
    }
}
