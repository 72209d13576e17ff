import QEMU

/// Where a ``QEMUHostAgent`` keeps its VMs and disks, and how it runs QEMU.
public struct QEMUAgentConfiguration: Sendable, Hashable {
    /// The agent's directory: `vms/VMID/` holds each VM's run directory (QMP socket, pid file, serial log, config
    /// drive, `vm.json`). Keep it short: a unix socket path (`DIR/vms/VMID/qmp.sock`) is limited to 107 bytes.
    public var dataDirectory: String
    /// Primary storage: the directory holding the VMs' disk files (`AgentDisk.path` is relative to it).
    public var primaryStorage: String
    /// KVM or TCG (decided once, e.g. by `AcceleratorProbe`).
    public var accelerator: QEMUMachine.Accelerator
    /// The QEMU program.
    public var qemuBinary: String
    /// How long QEMU may take to start and answer on QMP.
    public var launchTimeout: Duration
    /// The most console lines one `GetVmConsoleOutputCommand` returns.
    public var maximumConsoleLines: Int
    /// The address the VMs' VNC servers listen on (the management servers' console proxies connect there).
    public var vncAddress: String = "127.0.0.1"
    /// The address the destination of a live migration listens on for the VM's state (a free port is chosen per
    /// migration); the source host must reach it.
    public var migrationAddress: String = "127.0.0.1"
    /// How often the agent writes its host's storage heartbeat (`PRIMARY/.zoostack-hb/HOSTID`, the time in
    /// seconds since 1970), as CloudStack's `kvmheartbeat.sh` does on each pool.
    public var heartbeatInterval: Duration = .seconds(3)
    /// How old a heartbeat may be for its host to count as alive (`CheckOnHostCommand`): four missed beats.
    public var heartbeatTimeout: Duration = .seconds(12)

    /// Makes a configuration.
    /// - Parameters:
    ///   - dataDirectory: the agent's directory (absolute).
    ///   - primaryStorage: the disks' directory (absolute; nil: `DATA/primary`).
    ///   - accelerator: KVM or TCG.
    ///   - qemuBinary: the QEMU program.
    ///   - launchTimeout: how long QEMU may take to start.
    ///   - maximumConsoleLines: the cap on console lines per request.
    public init(
        dataDirectory: String,
        primaryStorage: String? = nil,
        accelerator: QEMUMachine.Accelerator,
        qemuBinary: String = "qemu-system-x86_64",
        launchTimeout: Duration = .seconds(20),
        maximumConsoleLines: Int = 1000
    ) {
        self.dataDirectory = dataDirectory
        self.primaryStorage = primaryStorage ?? dataDirectory + "/primary"
        self.accelerator = accelerator
        self.qemuBinary = qemuBinary
        self.launchTimeout = launchTimeout
        self.maximumConsoleLines = maximumConsoleLines
    }

    /// The directory of the VMs' run directories.
    var vmsDirectory: String { self.dataDirectory + "/vms" }

    /// A VM's run directory.
    func runDirectory(_ vmId: String) -> String { self.vmsDirectory + "/" + vmId }

    /// The directory of the hosts' storage heartbeats in primary storage.
    var heartbeatDirectory: String { self.primaryStorage + "/.zoostack-hb" }

    /// A disk's file in primary storage.
    func diskPath(_ name: String) -> String { self.primaryStorage + "/" + name }
}
