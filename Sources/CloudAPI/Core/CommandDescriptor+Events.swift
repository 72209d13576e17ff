extension CommandDescriptor {
    /// What a command leaves in the event log, declared with the command (CloudStack's `@ActionEvent` and
    /// `BaseAsyncCmd.getEventType()`).
    public enum EventRecording: Sendable, Hashable {
        /// It changes nothing and records nothing: the `list`, `get`, `query` and `find` commands
        /// (``CommandDescriptor/readOnlyVerbs``).
        case readOnly
        /// It changes state and records this event: one `Completed` event for a sync command, `Scheduled`,
        /// `Started` and `Completed` for an async job.
        case records(CommandEvent)
        /// It changes state but records no event of its own; the text says why (a service records it, or it
        /// changes no cloud resource).
        case unrecorded(String)
    }

    /// The verbs of the commands that only read (`listVirtualMachines`, `getUserKeys`, `queryAsyncJobResult`,
    /// `findHostsForMigration`); every other command changes state and names its event or why it records none.
    public static let readOnlyVerbs: Set<String> = ["list", "get", "query", "find"]

    /// The command's verb: the lowercase start of its name (`deploy` of `deployVirtualMachine`).
    public var verb: String { String(self.name.prefix { $0.isLowercase }) }

    /// The event this command records; nil for commands that record none.
    public var event: CommandEvent? {
        guard case .records(let event) = self.events else { return nil }
        return event
    }
}
