/// An answer frame: `{seq, result, details}` (CloudStack's `Answer`), plus the VM list of `GetVmStatesCommand`.
public struct AgentAnswer: Codable, Hashable, Sendable {
    /// The request's sequence number.
    public var seq: UInt64
    /// Whether the command succeeded.
    public var result: Bool
    /// What happened, or why it failed.
    public var details: String
    /// The host's VMs (for `GetVmStatesCommand`).
    public var vms: [AgentVm]?
    /// The console's tail (for `GetVmConsoleOutputCommand`).
    public var output: String?
    /// Counters by VM id (for `GetVmStatsCommand`).
    public var vmStats: [String: AgentVmStats]?
    /// The host's use (for `GetHostStatsCommand`).
    public var hostStats: AgentHostStats?
    /// `HOST:PORT` of the VM's VNC server (for `GetVncPortCommand`).
    public var vnc: String?
    /// Sizes by volume file name (for `GetVolumeStatsCommand`).
    public var volumeStats: [String: AgentVolumeStats]?
    /// The sizes of the file a `CopyCommand` wrote.
    public var written: AgentVolumeStats?
    /// True when a `StartCommand` failed because the host lacks the free memory (or other capacity) the VM
    /// needs, before anything was started: the management server answers CloudStack's 533 and may try another
    /// host. Absent otherwise.
    public var insufficientCapacity: Bool?
    /// Where the destination's QEMU waits for the VM's state (for `PrepareForMigrationCommand`), passed on to the
    /// source in `MigrateCommand`.
    public var migrationURI: String?
    /// What the live migration took (for `MigrateCommand`).
    public var migration: AgentMigrationStats?
    /// For `CheckOnHostCommand`: whether the checked host is still active on the shared storage (fresh heartbeat or
    /// a disk held by a running QEMU); its VMs must then not be started elsewhere.
    public var hostAlive: Bool?

    /// Makes an answer.
    public init(
        seq: UInt64,
        result: Bool,
        details: String,
        vms: [AgentVm]? = nil,
        output: String? = nil,
        vmStats: [String: AgentVmStats]? = nil,
        hostStats: AgentHostStats? = nil,
        volumeStats: [String: AgentVolumeStats]? = nil,
        insufficientCapacity: Bool? = nil
    ) {
        self.seq = seq
        self.result = result
        self.details = details
        self.vms = vms
        self.output = output
        self.vmStats = vmStats
        self.hostStats = hostStats
        self.volumeStats = volumeStats
        self.insufficientCapacity = insufficientCapacity
    }
}

/// What a live migration took, as QEMU's `query-migrate` reports it once completed.
public struct AgentMigrationStats: Codable, Hashable, Sendable {
    /// From the start of the migration to its end, in milliseconds (`total-time`).
    public var totalTimeMilliseconds: Int
    /// How long the guest was paused for the switch-over, in milliseconds (`downtime`).
    public var downtimeMilliseconds: Int

    /// Makes a value.
    public init(totalTimeMilliseconds: Int, downtimeMilliseconds: Int) {
        self.totalTimeMilliseconds = totalTimeMilliseconds
        self.downtimeMilliseconds = downtimeMilliseconds
    }
}
