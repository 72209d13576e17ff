import ZooKeeperClient
import ZooKeeperProtocol

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Helpers the recipes share: parent creation, Curator's protected (GUID-prefixed) sequential names, and waits with
/// a deadline.
enum RecipeSupport {
    /// Creates `path` and its missing parents as persistent nodes, as Curator's `creatingParentsIfNeeded` does.
    static func ensurePath(_ client: ZooKeeperClient, _ path: String) async throws {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            do {
                try await client.create(current)
            } catch let error as KeeperError where error.code == .nodeExists {
                continue
            }
        }
    }

    /// `parent/child`, without a double slash under the root.
    static func join(_ parent: String, _ child: String) -> String {
        parent == "/" ? "/" + child : parent + "/" + child
    }

    /// The 10-digit sequence suffix ZooKeeper appends to a sequential node's name, or nil.
    static func sequence(of name: String) -> Int64? {
        guard name.count >= 10 else { return nil }
        return Int64(name.suffix(10))
    }

    /// Children carrying `marker` in their name, sorted by their sequence suffix (Curator's
    /// `LockInternals.getSortedChildren`): the GUID prefix differs per client, so names alone do not sort.
    static func sortedSequential(_ children: [String], marker: String) -> [String] {
        children.filter { $0.contains(marker) }
            .sorted { (sequence(of: $0) ?? .max, $0) < (sequence(of: $1) ?? .max, $1) }
    }

    /// Creates an ephemeral-sequential node named `_c_<guid>-<marker><seq>` under `parent`, protected as Curator's
    /// `CreateBuilder.withProtection()` is: when the reply is lost to a connection loss the node may still have been
    /// made, so the children are searched for the GUID before trying again. Without that, an orphan node would sit
    /// ahead of every waiter until the session ended.
    /// - Returns: the node's name (not its path).
    static func createProtected(
        _ client: ZooKeeperClient,
        parent: String,
        marker: String,
        data: [UInt8] = []
    ) async throws -> String {
        let guid = UUID().uuidString.lowercased()
        let prefix = "_c_\(guid)-\(marker)"
        var attempts = 0
        while true {
            do {
                let created = try await client.create(join(parent, prefix), data: data, mode: .ephemeralSequential)
                return String(created.split(separator: "/").last ?? Substring(created))
            } catch let error as KeeperError where error.code == .connectionLoss || error.code == .operationTimeout {
                attempts += 1
                if attempts > 20 { throw error }
                // The create may have been applied: look for our GUID once the session is back.
                if let found = try? await client.getChildren(parent).first(where: { $0.hasPrefix(prefix) }) {
                    return found
                }
                try await Task.sleep(for: .milliseconds(100))
            } catch let error as KeeperError where error.code == .noNode {
                try await ensurePath(client, parent)
            }
        }
    }

    /// Waits for a one-shot watch, or for `timeout` on `clock` to pass.
    /// - Returns: true when the watch fired, false on timeout.
    static func wait(
        for watch: Watch,
        timeout: Duration?,
        clock: any Clock<Duration>
    ) async throws -> Bool {
        guard let timeout else {
            _ = try await watch.event()
            return true
        }
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try await watch.event()
                return true
            }
            group.addTask {
                try await clock.sleep(for: timeout)
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
