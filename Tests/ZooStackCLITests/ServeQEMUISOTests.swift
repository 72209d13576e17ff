import Foundation
import Testing

/// `zoostack serve --hypervisor qemu` installing a real guest from an ISO, driven by the Python `cs` client
/// (Resources/cs-qemu-iso-workflow.py): the ISO `zoostack image tiny --format iso` builds is registered by URL from a
/// loopback HTTP server and downloads; deployed with a disk offering, the guest boots from it onto a blank root disk
/// of the offering's size (listVolumes agrees, with hypervisor KVM); detachIso and attachIso answer as CloudStack's;
/// user data replaced by updateVirtualMachine and a key pair replaced by resetSSHKeyForVirtualMachine on the stopped
/// VM are what the guest sees at its next start. Once the server has stopped, no QEMU of its data directory, no tap or
/// bridge of its guest and no agent link in /tmp is left.
struct ServeQEMUISOTests {
    @Test(.timeLimit(.minutes(4)))
    func isoInstallThenUserDataAndKeyResetAtTheNextStart() async throws {
        let work = "/tmp/zs-iso-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let iso = work + "/tiny.iso"
        let built = try await ZooStackExecutable.run(["image", "tiny", "--format", "iso", "--output", iso])
        try #require(built.status == 0, "zoostack image tiny: \(built.stderr)")

        let cloud = try await ServedCloud.start(arguments: ["--hypervisor", "qemu"], readyTimeout: .seconds(120))
        let links = RealHostResidue.agentLinks(into: cloud.dataDir)
        let run: CSWorkflow?
        do {
            run = try await CSWorkflow.run("cs-qemu-iso-workflow.py", [iso], cloud: cloud)
        } catch {
            Issue.record("cs-qemu-iso-workflow.py did not run: \(error)")
            run = nil
        }
        // SIGTERM: the server deregisters its host and removes its agent link; the guest was expunged.
        cloud.stop(keepingData: true)
        let residue = try await RealHostResidue.find(
            dataDir: cloud.dataDir,
            links: links,
            interfaces: run?.residue ?? []
        )
        await residue.sweep()
        try? FileManager.default.removeItem(atPath: cloud.dataDir)
        #expect(residue.isEmpty, "left behind: \(residue)")
        #expect(!links.isEmpty, "a data directory this long gets a short agent link")
        #expect(run?.residue.contains { $0.hasPrefix("zst") } == true, "the guest's tap was seen: \(run?.output ?? "")")

        run?.expectPasses([
            "registerIso by URL", "registered ISO is ready", "ISO deploy without a disk offering refused",
            "deployVirtualMachine from the ISO", "the deployed VM has the ISO attached",
            "the ISO's VM runs on KVM",
            "the guest booted from the ISO",
            "the first user data ran", "the first key reached the guest",
            "the guest sees a root disk of the offering's size", "the root disk is blank",
            "listVolumes: one ROOT volume of the offering's size", "listVolumes hypervisor is KVM",
            "detachIso from the running guest", "detachIso without an ISO refused", "attachIso to the running guest",
            "a second attachIso refused", "deleteIso of an attached ISO refused", "stopVirtualMachine",
            "a stopped VM's volume is still KVM", "updateVirtualMachine userdata on the stopped VM",
            "resetSSHKeyForVirtualMachine on the stopped VM", "startVirtualMachine",
            "the re-attached ISO boots the guest again", "the new user data ran at the next start",
            "the old user data did not run", "the config drive carries the new key, not the old", "expunged",
            "deleteIso",
        ])
    }
}
