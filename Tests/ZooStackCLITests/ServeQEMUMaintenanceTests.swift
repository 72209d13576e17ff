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
        let cloud = try await ServedCloud.start(arguments: ["--hypervisor", "qemu"], readyTimeout: .seconds(120))
        let links = RealHostResidue.agentLinks(into: cloud.dataDir)
        var template = Array("/tmp/zsmnt-XXXXXX".utf8CString)
        let agentDir = String(cString: try #require(mkdtemp(&template)))
        var agent: BackgroundZooStack?
        var run: CSWorkflow?
        do {
            let endpoint = try await ServeQEMUMigrationTests.zooKeeperEndpoint(of: cloud)
            let started = try BackgroundZooStack([
                "agent", "--hypervisor", "qemu", "--zookeeper", endpoint, "--data-dir", agentDir,
                "--primary-storage", cloud.dataDir + "/primary", "--cluster-credentials",
                cloud.dataDir + "/cluster-credentials", "--name", "maintenance-agent",
            ])
            agent = started
            let ready = try await started.line(startingWith: "ZooStack agent ", timeout: .seconds(120))
            let hostId = String(ready.split(separator: " ")[2])
            run = try await CSWorkflow.run("cs-qemu-maintenance.py", [hostId, agentDir], cloud: cloud)
        } catch {
            Issue.record("the maintenance workflow did not run: \(error)\nagent: \(agent?.output ?? "")")
        }
        if run?.lines.last != "SUMMARY ok" { Issue.record("agent output:\n\(agent?.output.suffix(4000) ?? "")") }
        agent?.stop()
        cloud.stop(keepingData: true)
        let residue = try await RealHostResidue.find(
            dataDir: cloud.dataDir,
            links: links,
            interfaces: run?.residue ?? []
        )
        let agentResidue = try await RealHostResidue.find(dataDir: agentDir, links: [], interfaces: [])
        await residue.sweep()
        await agentResidue.sweep()
        try? FileManager.default.removeItem(atPath: cloud.dataDir)
        try? FileManager.default.removeItem(atPath: agentDir)
        #expect(residue.isEmpty && agentResidue.isEmpty, "left behind: \(residue), \(agentResidue)")

        run?.expectPasses([
            "both QEMU hosts are Up", "deployVirtualMachine on the agent's host",
            "prepareHostForMaintenance puts the host in Maintenance", "the VM runs on the server's host",
            "the agent's QEMU is gone", "one QEMU runs it, the server's", "the guest's uptime never reset",
            "cancelHostMaintenance enables the host", "the VM stays where it went", "expunged",
        ])
    }
}
