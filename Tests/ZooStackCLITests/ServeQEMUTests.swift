import Foundation
import Testing

/// `zoostack serve --hypervisor qemu`: this machine as one real host, driven by the Python `cs` client
/// (Resources/cs-qemu-workflow.py): the built-in tiny template boots under QEMU (TCG here) with user data and a key
/// pair, a template registered by URL from a local HTTP server downloads (and one with a wrong checksum fails) and
/// boots, its VNC console opens once through createConsoleEndpoint's websocket, its serial console is read through
/// getVirtualMachineConsoleOutput, it stops and starts, a data volume is hot-plugged and unplugged, a guest that
/// powers itself off turns Stopped with its event, volumes are snapshotted (stopped, live, detached) and reverted,
/// templates are made of a snapshot and of a volume, an HA guest (booted from the snapshot's template) whose QEMU is
/// SIGKILLed is restarted, stats show, and expunge removes it. Afterwards no QEMU of the cloud is left running.
struct ServeQEMUTests {
    @Test(.timeLimit(.minutes(5)))
    func csWorkflowBootsRealGuests() async throws {
        let cloud = try await ServedCloud.start(arguments: ["--hypervisor", "qemu"], readyTimeout: .seconds(120))
        defer { cloud.stop() }
        let run = try await CSWorkflow.run("cs-qemu-workflow.py", cloud: cloud)
        run.expectPasses([
            "listHosts shows the real host", "built-in tiny template ready", "deployVirtualMachine (real guest)",
            "user data ran in the guest", "key pair reached the guest", "stopVirtualMachine",
            "console of a stopped VM refused", "createSnapshot of a stopped VM's root disk",
            "createTemplate from a snapshot is a ready KVM qcow2", "createTemplate from a volume is a ready KVM qcow2",
            "revertSnapshot with the VM stopped", "startVirtualMachine",
            "createSnapshot of a running guest (live) passes qemu-img check", "revertSnapshot of a running VM refused",
            "deleteSnapshot removes the file", "createConsoleEndpoint",
            "console websocket carries the VNC handshake",
            "a used console token is refused", "a wrong console token is refused", "listVirtualMachines memorykbs",
            "attachVolume on a running guest", "guest sees the hot-plugged disk",
            "listVolumes real virtual and physical sizes", "detachVolume from a running guest",
            "guest loses the unplugged disk", "revertSnapshot restores the volume's data",
            "deploy a guest that powers itself off", "out-of-band stop has its event", "the HA guest's QEMU found",
            "deploy from a template made from a snapshot", "HA.VM.RESTART event", "a new QEMU runs the HA guest",
            "registerTemplate by URL is ready",
            "checksum mismatch leaves the template not ready", "deploy from the downloaded template", "expunged",
        ])
        // Every guest was expunged: no QEMU runs from this cloud's data directory.
        let leftovers = try await ZooStackExecutable.run(
            ["pgrep", "-f", "qemu-system.*\(cloud.dataDir)"],
            executable: URL(fileURLWithPath: "/usr/bin/env")
        )
        #expect(leftovers.stdout.isEmpty, "QEMU left running: \(leftovers.stdout)")
    }
}
