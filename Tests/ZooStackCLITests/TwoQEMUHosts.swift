import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Two QEMU hosts on this machine for the real-guest workflows: `zoostack serve --hypervisor qemu`'s own host and a
/// `zoostack agent --hypervisor qemu` whose `--primary-storage` is the server's primary directory (one shared pool).
/// ``run(_:directoryPrefix:agentName:agentOptions:scriptArguments:)`` starts both, runs a Python `cs` workflow
/// against them, then stops everything and expects no QEMU, tap or link of either host left, even on failure.
struct TwoQEMUHosts {
    /// The started agent, as a workflow's arguments may need it.
    struct Agent {
        /// Its host id (from its ready line).
        var hostId: String
        /// Its data directory.
        var directory: String
        /// Its process id.
        var pid: Int32
        /// The command line that started it (`zoostack` and its arguments), for a workflow that restarts it.
        var commandLine: [String]
    }

    /// Runs `script` with `[agent host id, agent data dir] + scriptArguments(agent)`.
    /// - Parameters:
    ///   - script: the workflow in Resources.
    ///   - directoryPrefix: the agent directory's prefix in /tmp (short: QEMU's unix sockets live under it).
    ///   - agentName: the agent's `--name`.
    ///   - agentOptions: more `zoostack agent` options.
    ///   - scriptArguments: more arguments for the workflow.
    /// - Returns: the workflow's run, nil when it could not run (an issue is recorded).
    static func run(
        _ script: String,
        directoryPrefix: String,
        agentName: String,
        agentOptions: [String] = [],
        scriptArguments: (Agent) -> [String] = { _ in [] }
    ) async throws -> CSWorkflow? {
        let cloud = try await ServedCloud.start(arguments: ["--hypervisor", "qemu"], readyTimeout: .seconds(120))
        let links = RealHostResidue.agentLinks(into: cloud.dataDir)
        var template = Array("/tmp/\(directoryPrefix)-XXXXXX".utf8CString)
        let agentDir = String(cString: try #require(mkdtemp(&template)))
        var agent: BackgroundZooStack?
        var run: CSWorkflow?
        do {
            let endpoint = try await ServeQEMUMigrationTests.zooKeeperEndpoint(of: cloud)
            let arguments =
                [
                    "agent", "--hypervisor", "qemu", "--zookeeper", endpoint, "--data-dir", agentDir,
                    "--primary-storage", cloud.dataDir + "/primary", "--cluster-credentials",
                    cloud.dataDir + "/cluster-credentials", "--name", agentName,
                ] + agentOptions
            let started = try BackgroundZooStack(arguments)
            agent = started
            let ready = try await started.line(startingWith: "ZooStack agent ", timeout: .seconds(120))
            let hostId = String(ready.split(separator: " ")[2])
            let described = Agent(
                hostId: hostId,
                directory: agentDir,
                pid: started.process.processIdentifier,
                commandLine: [ZooStackExecutable.url.path] + arguments
            )
            run = try await CSWorkflow.run(script, [hostId, agentDir] + scriptArguments(described), cloud: cloud)
        } catch {
            Issue.record("the workflow \(script) did not run: \(error)\nagent: \(agent?.output ?? "")")
        }
        if run?.lines.last != "SUMMARY ok" { Issue.record("agent output:\n\(agent?.output.suffix(4000) ?? "")") }
        agent?.stop()
        // Agents a workflow started itself (`AGENT PID` lines), should it have failed before stopping them.
        for line in run?.lines ?? [] where line.hasPrefix("AGENT ") {
            if let pid = Int32(line.dropFirst(6)),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                String(decoding: cmdline, as: UTF8.self).contains(agentDir)
            {
                kill(pid, SIGKILL)
            }
        }
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
        return run
    }
}
