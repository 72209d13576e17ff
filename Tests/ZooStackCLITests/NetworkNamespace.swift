import Foundation
import Testing

/// A network namespace of a test's own (`ip netns add`), with only its loopback up: what runs in it reaches nothing
/// outside, and the bridges and taps made there vanish with it.
struct NetworkNamespace {
    /// Its name (`zsnt-` and 8 hex digits).
    let name: String

    /// Creates a namespace and brings its loopback up.
    /// - Throws: when `ip` fails (the test then cannot run).
    static func create() async throws -> NetworkNamespace {
        let namespace = NetworkNamespace(name: "zsnt-" + UUID().uuidString.prefix(8).lowercased())
        let added = try await Self.ip(["netns", "add", namespace.name])
        try #require(added.status == 0, "ip netns add: \(added.stderr)")
        let up = try await Self.ip(["-n", namespace.name, "link", "set", "lo", "up"])
        if up.status != 0 {
            await namespace.delete()
            try #require(up.status == 0, "ip link set lo up: \(up.stderr)")
        }
        return namespace
    }

    /// The namespace's interfaces other than its loopback.
    func interfaces() async -> [String] {
        let listed = try? await Self.ip(["-n", self.name, "-o", "link"])
        return (listed?.stdout ?? "").split(separator: "\n").compactMap { line in
            let name = line.split(separator: ":").dropFirst().first?.trimmingCharacters(in: .whitespaces)
            return name == "lo" ? nil : name.map { String($0.split(separator: "@")[0]) }
        }
    }

    /// Deletes the namespace (its interfaces go with it once no process holds them).
    func delete() async {
        _ = try? await Self.ip(["netns", "del", self.name])
    }

    private static func ip(_ arguments: [String]) async throws -> ZooStackExecutable.Result {
        try await ZooStackExecutable.run(["ip"] + arguments, executable: URL(fileURLWithPath: "/usr/bin/env"))
    }
}
