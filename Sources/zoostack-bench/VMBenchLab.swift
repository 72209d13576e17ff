import CloudAPI
import ClusterHarness
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What `bench vm` runs against: a `zoostack serve --hypervisor qemu` process (its built-in tiny template and
/// file image store) and a separate agent process (`zoostack-agent --hypervisor qemu`, what a host runs, when it
/// is built beside `zoostack`; else `zoostack agent --hypervisor qemu`) registered in the server's embedded
/// ZooKeeper, whose host every measured VM is deployed on (`hostid=`), so that the agent measured is a process of
/// its own. Everything lives under one short temporary directory (QEMU's unix sockets), removed by ``close()``.
final class VMBenchLab: Sendable {
    /// The temporary directory (`/tmp/zsb-XXXXXX`).
    let directory: String
    let serve: ManagedProcess
    let agent: ManagedProcess
    /// The agent's command line up to its options (`/path/zoostack-agent` or `/path/zoostack agent`).
    let agentCommand: String
    let client: CloudClient
    /// The external agent's host id.
    let hostId: String
    /// `kvm` or `tcg`, as the agent chose and `listHosts` shows.
    let accelerator: String
    let zoneId: String
    let templateId: String
    /// The built-in template's qcow2 file, which the bare QEMU boots too.
    let templateFile: String
    let offeringId: String

    private init(
        directory: String,
        serve: ManagedProcess,
        agent: ManagedProcess,
        agentCommand: String,
        client: CloudClient,
        hostId: String,
        accelerator: String,
        zoneId: String,
        templateId: String,
        templateFile: String,
        offeringId: String
    ) {
        self.directory = directory
        self.serve = serve
        self.agent = agent
        self.agentCommand = agentCommand
        self.client = client
        self.hostId = hostId
        self.accelerator = accelerator
        self.zoneId = zoneId
        self.templateId = templateId
        self.templateFile = templateFile
        self.offeringId = offeringId
    }

    /// The external agent's VM run directories.
    var agentVMs: String { self.directory + "/a/vms" }

    /// Starts the server and the agent and prepares an offering of 1 vCPU at 100 MHz (so that the host's cores x
    /// 2000 MHz of CPU capacity hold the concurrent VMs even on 2 cores: the speed is a scheduling figure, QEMU does
    /// not cap it) and `memoryMiB`; on failure stops what it started and removes the directory.
    static func start(memoryMiB: Int) async throws -> VMBenchLab {
        var template = Array("/tmp/zsb-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchError("cannot make a temporary directory") }
        let directory = String(cString: made)
        let binary = ZooStackBinary.url
        var started: [ManagedProcess] = []
        do {
            guard FileManager.default.isExecutableFile(atPath: binary.path) else {
                throw BenchError("no zoostack executable at \(binary.path): build it (swift build)")
            }
            let serve = try ManagedProcess.launch(
                name: "serve",
                executable: binary,
                arguments: [
                    "serve", "--hypervisor", "qemu", "--data-dir", directory + "/s", "--api-port", "0",
                    "--zookeeper-port", "0", "--zookeeper-metrics-port", "0",
                ],
                logPath: directory + "/serve.log"
            )
            started.append(serve)
            let zookeeper = try await serve.waitForLine(containing: "coordination server ready on ")
            let endpoint = String(zookeeper.split(separator: " ").last ?? "")
            let api = try await serve.waitForLine(containing: "ZooStack API ready on http://", timeout: .seconds(180))
            guard let portText = api.split(separator: ":").last?.split(separator: "/").first, let port = Int(portText)
            else { throw BenchError("cannot read the API port from: \(api)") }
            _ = try await serve.waitForLine(containing: "Real host ", timeout: .seconds(180))
            let credentials = try Data(contentsOf: URL(fileURLWithPath: directory + "/s/admin-credentials.json"))
            guard let profile = try JSONSerialization.jsonObject(with: credentials) as? [String: Any],
                let apiKey = profile["apikey"] as? String, let secret = profile["secretkey"] as? String
            else { throw BenchError("no apikey and secretkey in admin-credentials.json") }
            let client = CloudClient(port: port, apiKey: apiKey, secret: secret)
            // The lean `zoostack-agent` when it is built (what a host runs), else `zoostack agent`.
            let lean = FileManager.default.isExecutableFile(atPath: ZooStackBinary.agentURL.path)
            let agentBinary = lean ? ZooStackBinary.agentURL : binary
            let agent = try ManagedProcess.launch(
                name: "agent",
                executable: agentBinary,
                arguments: (lean ? [] : ["agent"]) + [
                    "--hypervisor", "qemu", "--zookeeper", endpoint, "--data-dir", directory + "/a",
                    "--primary-storage", directory + "/s/primary", "--cluster-credentials",
                    directory + "/s/cluster-credentials", "--name", "bench-agent",
                ],
                logPath: directory + "/agent.log"
            )
            started.append(agent)
            let ready = try await agent.waitForLine(containing: "ZooStack agent ")
            let hostId = String(ready.split(separator: " ")[2])
            let host = try await Self.waitForHost(hostId, client: client)
            let zoneId = try await client.list("listZones").first?["id"]?.stringValue ?? ""
            let templateId =
                try await client.list(
                    "listTemplates",
                    ["templatefilter": "featured", "name": "ZooStack tiny Linux (KVM)"]
                )
                .first?["id"]?.stringValue ?? ""
            guard let templateFile = Self.firstFile(under: directory + "/s/images", suffix: ".qcow2") else {
                throw BenchError("the built-in template's qcow2 is missing under \(directory)/s/images")
            }
            let offering = try await client.call(
                "createServiceOffering",
                [
                    "name": "bench-tiny", "displaytext": "bench-tiny", "cpunumber": "1", "cpuspeed": "100",
                    "memory": String(memoryMiB),
                ]
            )
            return VMBenchLab(
                directory: directory,
                serve: serve,
                agent: agent,
                agentCommand: agentBinary.path + (lean ? "" : " agent"),
                client: client,
                hostId: hostId,
                accelerator: host["accelerator"]?.stringValue ?? "tcg",
                zoneId: zoneId,
                templateId: templateId,
                templateFile: templateFile,
                offeringId: offering["serviceoffering"]?["id"]?.stringValue ?? ""
            )
        } catch {
            for process in started.reversed() { await process.terminate() }
            Self.killQEMUs(under: directory)
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Expunges every VM, stops the agent and the server, kills any QEMU left under the directory (a failed run's)
    /// and removes the directory.
    func close() async {
        if let vms = try? await self.client.list("listVirtualMachines", ["listall": "true"]) {
            await withTaskGroup(of: Void.self) { group in
                for vm in vms {
                    guard let id = vm["id"]?.stringValue else { continue }
                    group.addTask {
                        _ = try? await self.client.callAndWait(
                            "destroyVirtualMachine",
                            ["id": id, "expunge": "true"],
                            timeout: .seconds(60)
                        )
                    }
                }
            }
        }
        await self.agent.terminate()
        await self.serve.terminate()
        Self.killQEMUs(under: self.directory)
        try? FileManager.default.removeItem(atPath: self.directory)
    }

    /// Waits until `listHosts` shows the host Up.
    private static func waitForHost(_ hostId: String, client: CloudClient) async throws -> APIValue {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let host = try? await client.list("listHosts", ["id": hostId]).first,
                host["state"]?.stringValue == "Up"
            {
                return host
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("host \(hostId) of the agent is not Up after 60 s")
    }

    /// The first file under `directory` whose name ends with `suffix`.
    static func firstFile(under directory: String, suffix: String) -> String? {
        guard let paths = try? FileManager.default.subpathsOfDirectory(atPath: directory) else { return nil }
        return paths.sorted().first { $0.hasSuffix(suffix) }.map { directory + "/" + $0 }
    }

    /// SIGKILLs every QEMU whose pid file (`qemu.pid`) lies under `directory`: they are this run's.
    static func killQEMUs(under directory: String) {
        guard let paths = try? FileManager.default.subpathsOfDirectory(atPath: directory) else { return }
        for path in paths where path.hasSuffix("/qemu.pid") {
            guard let text = try? String(contentsOfFile: directory + "/" + path, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1,
                ProcStat.commandName(pid)?.hasPrefix("qemu") == true
            else { continue }
            _ = kill(pid, SIGKILL)
        }
    }
}
