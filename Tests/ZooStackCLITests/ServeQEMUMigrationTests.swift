import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Live migration of a real guest between two QEMU hosts on this machine: `zoostack serve --hypervisor qemu`'s own
/// host and a `zoostack agent --hypervisor qemu` whose `--primary-storage` is the server's primary directory (one
/// shared pool), driven by the Python `cs` client (Resources/cs-qemu-migration.py): the guest moves with its serial
/// heartbeat going on and its uptime never reset, the job result carries QEMU's total time and downtime, a
/// migration whose destination QEMU is killed fails and leaves the guest running on its source with nothing left on
/// the destination, and a last migration brings it back. Afterwards no QEMU, tap or link of either host is left.
struct ServeQEMUMigrationTests {
    @Test(.timeLimit(.minutes(6)))
    func guestMovesBetweenTwoQEMUHostsAndAFailedMoveLeavesItRunning() async throws {
        let run = try await TwoQEMUHosts.run(
            "cs-qemu-migration.py",
            directoryPrefix: "zsmig",
            agentName: "migration-agent"
        )
        // The deployed guest's tap, then the taps each destination named after itself.
        #expect(Set(run?.residue.filter { $0.hasPrefix("zst") } ?? []).count == 3, "\(run?.residue ?? [])")

        run?.expectPasses([
            "both QEMU hosts are Up", "deployVirtualMachine on the server's host",
            "migrateVirtualMachine to the agent's host", "the job result carries total time and downtime",
            "a VM.MIGRATE event tells total time and downtime",
            "listVirtualMachines shows the new host", "the source QEMU is gone", "the destination QEMU runs",
            "the guest's uptime never reset", "the destination QEMU waits for the guest",
            "the migration job failed with the reason", "the VM still runs on the source",
            "no QEMU is left on the destination", "the guest ran through the failed migration",
            "migrateVirtualMachine back to the server's host", "one QEMU runs it, the server's", "expunged",
        ])
    }

    /// The address of the server's coordination service, from its log.
    static func zooKeeperEndpoint(of cloud: ServedCloud) async throws -> String {
        let prefix = "coordination server ready on "
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let line = cloud.log.split(separator: "\n").first(where: { $0.contains(prefix) }),
                let endpoint = line.components(separatedBy: prefix).last
            {
                return endpoint.trimmingCharacters(in: .whitespaces)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("no \"\(prefix)\" line in the server's log:\n\(cloud.log.suffix(3000))")
        throw CancellationError()
    }
}
