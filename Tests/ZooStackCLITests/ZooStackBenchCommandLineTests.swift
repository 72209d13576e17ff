import Foundation
import Testing

/// The benchmarks are `zoostack-bench`, an executable apart from the shipped `zoostack`, which has no `bench`.
struct ZooStackBenchCommandLineTests {
    /// `zoostack-bench`, built beside `zoostack`.
    static let url = ZooStackExecutable.url.deletingLastPathComponent().appendingPathComponent("zoostack-bench")

    @Test func shippedBinaryHasNoBench() async throws {
        let help = try await ZooStackExecutable.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("serve"))
        #expect(!help.stdout.contains("bench"))
        let result = try await ZooStackExecutable.run(["bench"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: Unexpected argument 'bench'"))
    }

    @Test func benchListsEveryBenchmark() async throws {
        let result = try await ZooStackExecutable.run(["--help"], executable: Self.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: zoostack-bench <subcommand>"))
        for benchmark in ["zookeeper", "placement", "cloud", "cluster", "scale", "vm", "migration"] {
            #expect(result.stdout.contains("\n  \(benchmark) "), "no \(benchmark) in \(result.stdout)")
        }
    }

    @Test func usageErrorExits64() async throws {
        let result = try await ZooStackExecutable.run(
            ["zookeeper", "--server", "127.0.0.1:2181", "--ops", "0"],
            executable: Self.url
        )
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("Error: --ops, --window and --clients must be positive."))
        #expect(result.stderr.contains("Usage: zoostack-bench zookeeper"))
    }

    @Test func placementRunsOnATinyZone() async throws {
        let result = try await ZooStackExecutable.run(
            ["placement", "--hosts", "100", "--decisions", "10"],
            executable: Self.url
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("placement: 100 hosts in 100 clusters, 10 decisions\n"))
        #expect(result.stdout.contains("firstfit "))
    }

    /// `vm` on real guests (TCG here), one round and two concurrent deploys: the table's shape, not its timings,
    /// and nothing left behind (its directory, its QEMUs).
    @Test(.timeLimit(.minutes(5)))
    func vmRunsOneRoundOnRealGuests() async throws {
        let result = try await ZooStackExecutable.run(
            ["vm", "--rounds", "1", "--concurrent", "2", "--idle-seconds", "2", "--boot-timeout", "180"],
            executable: Self.url
        )
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first)
        // The agent measured is the lean `zoostack-agent` built beside the bench, and the output says so.
        #expect(header.hasPrefix("bench vm: 1 host (agent `"), "\(result.stdout)")
        #expect(header.contains("/zoostack-agent` pid "), "\(header)")
        #expect(header.contains(" 1 rounds, 2 concurrent, in /tmp/zsb-"), "\(header)")
        for prefix in [
            "round 1  bare ", "  steps, s from the start  bare: launched ", "boot-to-ready  bare p50 ",
            "through API    zoostack p50 ", "stop           answer p50 ", "concurrent 2  ",
            "agent          RSS ",
        ] {
            #expect(lines.contains { $0.hasPrefix(prefix) }, "no line starting \(prefix):\n\(result.stdout)")
        }
        #expect(
            lines.contains { $0.hasPrefix("boot-to-ready ") && ($0.hasSuffix(": met") || $0.hasSuffix(": missed")) }
        )
        #expect(
            lines.contains {
                $0.hasPrefix("agent ") && $0.contains(" with 2 VMs (`")
                    && $0.contains("/zoostack-agent`)  goal < 30 MiB and < 1%: ")
            }
        )
        // The bare boot's tap and bridge (`zstx`, `zsbrx` and the bench's pid) are gone too.
        try await Self.expectNothingLeft(header: header, links: ["zstx", "zsbrx"])
    }

    /// `migration` on real guests, one round per load and the HA phase: both sides migrate each guest (the figures
    /// come from QEMU's `query-migrate`, so a zero would mean none was read), and nothing is left behind.
    @Test(.timeLimit(.minutes(6)))
    func migrationRunsOneRoundOnRealGuests() async throws {
        let result = try await ZooStackExecutable.run(
            [
                "migration", "--rounds", "1", "--memory", "128", "--dirty-mib", "8", "--timeout", "180",
                "--ping-interval", "2",
            ],
            executable: Self.url
        )
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first)
        #expect(header.hasPrefix("bench migration: 2 hosts sharing a pool (agent `"), "\(result.stdout)")
        for load in ["idle", "busy"] {
            for side in ["bare", "zoostack"] {
                let line = lines.first { $0.hasPrefix("\(load) \(side) round 1  total ") }
                let fields = try #require(line, "no \(load) \(side) round:\n\(result.stdout)").split(separator: " ")
                // "... qemu total-time N ms  downtime M ms": QEMU measured a migration that took time.
                let totalTime = fields.firstIndex(of: "total-time").flatMap { Int(fields[$0 + 1]) }
                #expect((totalTime ?? 0) > 0, "\(line ?? "")")
            }
            #expect(lines.contains { $0.hasPrefix("\(load) p50  total bare ") && $0.contains("goal < 10%: ") })
        }
        // The host crash: the HA guest runs again on the other host, after the session timeout and HA's wait.
        #expect(
            lines.contains {
                $0.hasPrefix("ha after a host crash  Running on the other host ") && $0.contains("HA's wait 5 s")
            },
            "\(result.stdout)"
        )
        try await Self.expectNothingLeft(header: header, links: ["zstm", "zsbrm"])
    }

    /// A real-guest bench left nothing behind: its directory (the header's last word), a QEMU naming it, or a link
    /// whose name starts with one of `links`.
    static func expectNothingLeft(header: String, links prefixes: [String]) async throws {
        let directory = String(header.split(separator: " ").last ?? "")
        #expect(!FileManager.default.fileExists(atPath: directory), "\(directory) left behind")
        let leftovers = try await ZooStackExecutable.run(
            ["pgrep", "-f", "qemu-system.*\(directory)"],
            executable: URL(fileURLWithPath: "/usr/bin/env")
        )
        #expect(leftovers.stdout.isEmpty, "QEMU left running: \(leftovers.stdout)")
        let links = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? []
        #expect(!links.contains { link in prefixes.contains { link.hasPrefix($0) } }, "links left: \(links)")
    }
}
