import Foundation
import Testing

/// Live scaling of a real guest on `zoostack serve --hypervisor qemu`'s own host, driven by the Python `cs` client
/// (Resources/cs-qemu-scaling.py): with `enable.dynamic.scale.vm` on, the tiny guest starts with 1 vCPU, 128 MiB
/// and room to grow, `scaleVirtualMachine` makes it 2 vCPUs and 256 MiB while it runs (CPU and DIMM hot-plug), and
/// the guest sees both; a scale beyond the room fails with QEMU's side of the reason and changes nothing, a scale
/// down is refused, and the guest never reboots. Afterwards no QEMU, tap or link of the cloud is left.
struct ServeQEMUScalingTests {
    @Test(.timeLimit(.minutes(5)))
    func runningGuestGrowsAndSeesItsNewCPUsAndMemory() async throws {
        let cloud = try await ServedCloud.start(arguments: ["--hypervisor", "qemu"], readyTimeout: .seconds(120))
        let links = RealHostResidue.agentLinks(into: cloud.dataDir)
        var run: CSWorkflow?
        do {
            run = try await CSWorkflow.run("cs-qemu-scaling.py", cloud: cloud)
        } catch {
            Issue.record("the scaling workflow did not run: \(error)")
        }
        cloud.stop(keepingData: true)
        let residue = try await RealHostResidue.find(
            dataDir: cloud.dataDir,
            links: links,
            interfaces: run?.residue ?? []
        )
        await residue.sweep()
        try? FileManager.default.removeItem(atPath: cloud.dataDir)
        #expect(residue.isEmpty, "left behind: \(residue)")

        run?.expectPasses([
            "listCapabilities says dynamic scaling is on", "deployVirtualMachine with 1 vCPU and 128 MiB",
            "QEMU starts with room to grow", "the guest sees 1 vCPU", "scaleVirtualMachine of the running VM",
            "the same QEMU runs it", "the guest sees the new vCPU and memory",
            "a scale beyond the room fails with the reason", "the VM keeps its size", "a live scale down is refused",
            "the guest never rebooted", "one QEMU, the same", "expunged",
        ])
    }
}
