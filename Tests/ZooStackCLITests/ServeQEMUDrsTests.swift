import Testing

/// DRS execution with real guests (Resources/cs-qemu-drs.py): two guests on a `zoostack agent --hypervisor qemu`
/// host and none on `zoostack serve --hypervisor qemu`'s own host; `executeClusterDrsPlan` moves one of them by live
/// migration, its uptime never reset. Afterwards no QEMU, tap or link of either host is left.
struct ServeQEMUDrsTests {
    @Test(.timeLimit(.minutes(6)))
    func anExecutedDrsPlanMovesARealGuestLive() async throws {
        let run = try await TwoQEMUHosts.run("cs-qemu-drs.py", directoryPrefix: "zsdrs", agentName: "drs-agent")
        run?.expectPasses([
            "both QEMU hosts are Up in one cluster", "guest-drs-a runs on the agent's host",
            "guest-drs-b runs on the agent's host", "generateClusterDrsPlan plans one move to the server's host",
            "executeClusterDrsPlan completes its migration", "the moved guest runs on the server's host",
            "one QEMU runs it, the server's", "the guest's uptime never reset",
            "the other guest stays on the agent's host", "expunged",
        ])
    }
}
