import Testing

/// HA with fencing for a real guest (Resources/cs-qemu-ha.py): an HA guest on a `zoostack agent --hypervisor qemu`
/// host whose `--primary-storage` is `zoostack serve --hypervisor qemu`'s. An agent cut off (SIGSTOP, its session
/// expires) leaves its host in Alert with the guest Running on it, and Up again once resumed. Killing only the
/// agent leaves its QEMU running: fencing finds the guest's disk held open, the host stays in Alert, nothing starts
/// a second copy, and the restarted agent's host is Up with the guest Running on it. Killing the agent and its QEMU
/// (a host crash) restarts the guest on the server's host from the same disk. A sampler of `/proc/*/fd` finds no
/// moment when two QEMU processes have one disk open for writing. Afterwards no QEMU, tap or link is left.
struct ServeQEMUHATests {
    @Test(.timeLimit(.minutes(8)))
    func agentKillKeepsOneCopyAndHostCrashRestartsTheGuestElsewhere() async throws {
        let run = try await TwoQEMUHosts.run(
            "cs-qemu-ha.py",
            directoryPrefix: "zsha",
            agentName: "ha-agent",
            // The host's node vanishes 4 s after its agent dies.
            agentOptions: ["--session-timeout-ms", "4000"],
            scriptArguments: { agent in [String(agent.pid)] + agent.commandLine }
        )
        run?.expectPasses([
            "both QEMU hosts are Up", "an HA guest runs on the agent's host",
            "the sampler sees the guest's disk open for writing",
            "a cut-off host goes to Alert, its guest Running on it",
            "back, the host is Up with the guest Running on it, the same QEMU", "the agent is killed, its QEMU runs on",
            "fencing leaves the host in Alert, not Down", "an alert says why it was not declared Down",
            "the guest stays Running on its host", "one QEMU runs it, the agent's", "the restarted agent's host is Up",
            "the guest is Running on its original host", "the same QEMU runs it", "the guest's uptime never reset",
            "the HA guest restarts on the server's host", "the crashed host is Down", "an HA.VM.RESTART event tells it",
            "one QEMU runs it, the server's", "the guest boots from its disk again",
            "at no moment did two QEMUs have one disk open for writing", "expunged",
        ])
    }
}
