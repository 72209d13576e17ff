import Foundation
import Testing

/// Guest networks and security groups of `zoostack serve --hypervisor qemu` on real guests
/// (Resources/cs-qemu-networks.py), everything inside a network namespace of the test's: its bridges and taps
/// vanish with it, and no guest has a way out. Guests of one network reach each other, a guest of another isolated
/// network with the same CIDR does not; a security group's ingress rule from another group lets that group's guest
/// ping in once authorized and no longer once revoked, and an egress rule of the other group stops it going out,
/// all on the running guests.
struct ServeQEMUNetworkTests {
    @Test(.timeLimit(.minutes(8)))
    func guestsReachTheirNetworkOnlyAndSecurityGroupsChangeLive() async throws {
        let namespace = try await NetworkNamespace.create()
        let cloud: ServedCloud
        do {
            cloud = try await ServedCloud.start(
                arguments: ["--hypervisor", "qemu"],
                readyTimeout: .seconds(120),
                namespace: namespace.name
            )
        } catch {
            await namespace.delete()
            throw error
        }
        let links = RealHostResidue.agentLinks(into: cloud.dataDir)
        let run: CSWorkflow?
        do {
            run = try await CSWorkflow.run("cs-qemu-networks.py", cloud: cloud)
        } catch {
            Issue.record("cs-qemu-networks.py did not run: \(error)")
            run = nil
        }
        let firewall = try? await ZooStackExecutable.run(
            cloud.inNamespace(["nft", "list", "ruleset"]).arguments,
            executable: URL(fileURLWithPath: "/usr/bin/env")
        )
        cloud.stop(keepingData: true)
        let residue = try await RealHostResidue.find(dataDir: cloud.dataDir, links: links, interfaces: [])
        await residue.sweep()
        let interfaces = await namespace.interfaces()
        await namespace.delete()
        try? FileManager.default.removeItem(atPath: cloud.dataDir)
        #expect(residue.isEmpty, "left behind: \(residue)")
        #expect(interfaces.isEmpty, "taps or bridges left in the namespace: \(interfaces)")
        #expect(
            run?.residue.contains { $0.hasPrefix("zst") } == true,
            "the guests' taps were seen: \(run?.output ?? "")"
        )
        // The expunged guests' chains went with them: only the base chain and the maps are left.
        #expect(firewall?.stdout.contains("chain in_") == false, "\(firewall?.stdout ?? "")")
        run?.expectPasses([
            "two isolated networks share 198.18.1.0/24", "deploy guest-a", "deploy guest-c",
            "addresses from the networks' ranges", "deploy guest-b", "a guest reaches a guest of its network",
            "a guest never reaches a guest of another isolated network", "expunged the isolation guests",
            "deploy guest-d", "deploy guest-e", "no ingress rule: D refuses E's ping",
            "authorizeSecurityGroupIngress icmp from a group", "the ingress rule took effect on the running guests",
            "an egress rule for TCP only: E's ping no longer leaves", "no egress rule left: E sends anything again",
            "revoked: D refuses E's ping again", "expunged",
        ])
    }
}
