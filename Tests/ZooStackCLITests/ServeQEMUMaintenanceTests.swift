import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Host maintenance with a real guest: `prepareHostForMaintenance` on a `zoostack agent --hypervisor qemu` host whose
/// `--primary-storage` is the server's primary directory empties it by live migration to `zoostack serve
/// --hypervisor qemu`'s own host, the guest's uptime never reset, and `cancelHostMaintenance` enables it again
/// (Resources/cs-qemu-maintenance.py). Afterwards no QEMU, tap or link of either host is left.
struct ServeQEMUMaintenanceTests {
    @Test(.timeLimit(.minutes(5)))
    func maintenanceMovesARealGuestOffItsHostLive() async throws {
        let run = try await TwoQEMUHosts.run(
            "cs-qemu-maintenance.py",
            directoryPrefix: "zsmnt",
            agentName: "maintenance-agent"
        )

        run?.expectPasses([
            "both QEMU hosts are Up", "deployVirtualMachine on the agent's host",
            "prepareHostForMaintenance puts the host in Maintenance", "the VM runs on the server's host",
            "the agent's QEMU is gone", "one QEMU runs it, the server's", "the guest's uptime never reset",
            "cancelHostMaintenance enables the host", "the VM stays where it went", "expunged",
        ])
    }
}
