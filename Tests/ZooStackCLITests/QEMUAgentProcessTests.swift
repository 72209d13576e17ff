import Coordination
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("zoostack agent --hypervisor qemu as a process")
struct QEMUAgentProcessTests {
    @Test(.timeLimit(.minutes(3)))
    func registersAsKVMWithItsAcceleratorAndKeepsItsHostId() async throws {
        let zookeeper = try BackgroundZooStack(["zookeeper", "--port", "0", "--in-memory"])
        defer { zookeeper.stop() }
        let listening = try await zookeeper.line(startingWith: "ZooKeeper-compatible server listening on ")
        let endpoint = try #require(listening.split(separator: " ").dropFirst(4).first.map(String.init))
        let credentials = try AgentProcessTests.credentialsFile()
        defer { try? FileManager.default.removeItem(atPath: credentials) }
        var template = Array("/tmp/qa-cli-XXXXXX".utf8CString)
        let dataDir = String(cString: try #require(mkdtemp(&template)))
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let arguments = [
            "agent", "--hypervisor", "qemu", "--zookeeper", endpoint, "--data-dir", dataDir, "--memory", "2048",
            "--cluster-credentials", credentials,
        ]
        let agent = try BackgroundZooStack(arguments)
        defer { agent.stop() }
        let ready = try await agent.line(startingWith: "ZooStack agent ")
        let hostId = String(ready.split(separator: " ")[2])
        let node = try await AgentProcessTests.waitForNode(
            ZNodeLayout().hostPath(hostId),
            server: endpoint,
            credentials: credentials,
            exists: true
        )
        let info = try #require(try JSONSerialization.jsonObject(with: Data(node.utf8)) as? [String: Any])
        #expect(info["hypervisor"] as? String == "KVM")
        #expect(["kvm", "tcg"].contains(info["accelerator"] as? String ?? ""), "\(node)")
        #expect(info["memoryBytes"] as? Int == 2048 << 20)
        #expect(info["cpuCores"] as? Int == ProcessInfo.processInfo.activeProcessorCount)
        #expect(FileManager.default.fileExists(atPath: dataDir + "/primary"))
        agent.stop(signal: SIGTERM)
        #expect(agent.process.terminationStatus == 0)

        // The next agent on the same directory is the same host (its VMs' host).
        let again = try BackgroundZooStack(arguments)
        defer { again.stop() }
        _ = try await again.line(startingWith: "ZooStack agent \(hostId) ready on ")
    }

    @Test(arguments: [
        ["--hypervisor", "qemu"],
        ["--simulator", "--hypervisor", "qemu", "--data-dir", "/tmp/x"],
        ["--hypervisor", "simulator"],
        ["--hypervisor", "qemu", "--data-dir", "/tmp/" + String(repeating: "d", count: 60)],
    ])
    func badCombinationsExit64(_ extra: [String]) async throws {
        let result = try await ZooStackExecutable.run(["agent", "--zookeeper", "127.0.0.1:1"] + extra)
        #expect(result.status == 64, "\(result.stderr)")
    }
}
