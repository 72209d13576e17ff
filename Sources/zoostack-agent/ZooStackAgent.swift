import AgentCommandLine
import ArgumentParser

/// `zoostack-agent`: what a hypervisor host runs. The same command as `zoostack agent` (the same options, the same
/// code, from `AgentCommandLine`) in an executable that links only the agent: no management server, API, store,
/// web console or HTTP client, so that the host's memory goes to its VMs.
@main
struct ZooStackAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoostack-agent",
        abstract: AgentOptions.abstract,
        discussion: AgentOptions.discussion
    )

    @OptionGroup var options: AgentOptions

    func run() async throws {
        try await self.options.run()
    }
}
