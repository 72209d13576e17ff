import AgentCommandLine
import ArgumentParser

extension ZooStack {
    /// `zoostack agent --simulator | --hypervisor qemu`: a hypervisor host as its own process (``AgentOptions``;
    /// `zoostack-agent` is the same command in an executable of its own that links no management server).
    struct AgentRun: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agent",
            abstract: AgentOptions.abstract,
            discussion: AgentOptions.discussion
        )

        @OptionGroup var options: AgentOptions

        func run() async throws {
            try await self.options.run()
        }
    }
}
