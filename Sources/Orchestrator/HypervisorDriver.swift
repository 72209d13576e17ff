import CloudModel

/// What the orchestrator asks of a hypervisor: the agent commands of CloudStack (`StartCommand`, ...).
public protocol HypervisorDriver: Sendable {
    /// Creates and boots `vm` on `host`.
    /// - Throws: ``OrchestratorError`` when the agent reports failure.
    func start(_ vm: VirtualMachine, on host: Host) async throws(OrchestratorError)
    /// Stops `vm` (forced: power off).
    /// - Throws: ``OrchestratorError``.
    func stop(_ vm: VirtualMachine, forced: Bool) async throws(OrchestratorError)
    /// Reboots `vm`.
    /// - Throws: ``OrchestratorError``.
    func reboot(_ vm: VirtualMachine) async throws(OrchestratorError)
    /// Live-migrates running `vm` from `source` to `destination` (CloudStack's `MigrateCommand`).
    /// - Returns: the total time and downtime, nil when the hypervisor measures none (a simulator).
    /// - Throws: ``OrchestratorError``; the VM is then still running on `source`.
    @discardableResult
    func migrate(
        _ vm: VirtualMachine,
        from source: Host,
        to destination: Host
    ) async throws(OrchestratorError) -> MigrationFigures?
    /// Changes a running VM's CPU and memory in place (CloudStack's `ScaleVmCommand`).
    /// - Throws: ``OrchestratorError``; the VM keeps its old size.
    func scale(_ vm: VirtualMachine, cpuNumber: Int, cpuSpeed: Int, memory: Int) async throws(OrchestratorError)
    /// The tail of a running VM's serial console.
    /// - Throws: ``OrchestratorError``; `.resourceUnavailable` for a hypervisor without consoles.
    func consoleOutput(_ vm: VirtualMachine, lines: Int) async throws(OrchestratorError) -> String
    /// Where a running VM's VNC server listens, `HOST:PORT` (CloudStack's `GetVncPortCommand`).
    /// - Throws: ``OrchestratorError``; `.resourceUnavailable` for a hypervisor without consoles.
    func consoleAddress(_ vm: VirtualMachine) async throws(OrchestratorError) -> String
    /// Deletes the files of an expunged VM's volumes from primary storage (CloudStack's `DestroyCommand`).
    /// - Throws: ``OrchestratorError`` when a host refuses; a hypervisor without files does nothing.
    func deleteVolumes(_ volumes: [Volume], of vm: VirtualMachine) async throws(OrchestratorError)
    /// Hot-plugs a data disk into running `vm` in slot `deviceId` (CloudStack's `AttachCommand`).
    /// - Throws: ``OrchestratorError`` when the host refuses; the disk is then not attached.
    func attachVolume(_ volume: Volume, deviceId: Int, to vm: VirtualMachine) async throws(OrchestratorError)
    /// Unplugs a data disk from running `vm` (CloudStack's `DettachCommand`).
    /// - Throws: ``OrchestratorError`` when the host refuses; the disk then stays attached.
    func detachVolume(_ volume: Volume, from vm: VirtualMachine) async throws(OrchestratorError)
    /// Grows a volume's file to `size` bytes, live when `vm` runs (CloudStack's `ResizeVolumeCommand`).
    /// - Throws: ``OrchestratorError`` when the host refuses; the volume keeps its size.
    func resizeVolume(_ volume: Volume, to size: Int, of vm: VirtualMachine) async throws(OrchestratorError)
    /// Inserts ISO `isoId` into running `vm`'s CD-ROM, or ejects it (nil).
    /// - Throws: ``OrchestratorError`` when the host refuses; the CD-ROM is then unchanged.
    func changeISO(of vm: VirtualMachine, to isoId: String?) async throws(OrchestratorError)
    /// Copies a volume's disk into `file` (absolute, in the zone's image store) as a self-contained qcow2, without
    /// stopping `vm` when it runs (CloudStack's `CopyCommand` volume -> snapshot).
    /// - Returns: the file's sizes; nil for a hypervisor without volume files (the snapshot is a record only).
    /// - Throws: ``OrchestratorError`` when the host refuses or fails; no file is left then.
    func backupSnapshot(
        of volume: Volume,
        attachedTo vm: VirtualMachine?,
        to file: String
    ) async throws(OrchestratorError) -> ImageFileSizes?
    /// Copies a stopped VM's volume into `file` as a template (CloudStack's `CopyCommand` volume -> template).
    /// - Returns: the file's sizes; nil for a hypervisor without volume files.
    /// - Throws: ``OrchestratorError`` when the host refuses (e.g. the VM runs) or fails.
    func createTemplate(
        from volume: Volume,
        attachedTo vm: VirtualMachine?,
        to file: String
    ) async throws(OrchestratorError) -> ImageFileSizes?
    /// Copies a snapshot's file into `file` as a template (CloudStack's `CopyCommand` snapshot -> template).
    /// - Returns: the file's sizes; nil for a hypervisor without volume files.
    /// - Throws: ``OrchestratorError`` when no host of the zone can or the copy fails.
    func createTemplate(
        fromSnapshot snapshotFile: String,
        zoneId: String,
        to file: String
    ) async throws(OrchestratorError) -> ImageFileSizes?
    /// Makes a volume's disk the content of a snapshot's file; its VM is stopped (CloudStack's
    /// `RevertSnapshotCommand`).
    /// - Returns: true when a host rewrote the file; false for a hypervisor without volume files.
    /// - Throws: ``OrchestratorError`` when the host refuses or fails; the disk is then unchanged.
    func revertSnapshot(
        _ snapshotFile: String,
        to volume: Volume,
        attachedTo vm: VirtualMachine?
    ) async throws(OrchestratorError) -> Bool
    /// Replaces the security-group rules a running VM's host enforces on its NICs (CloudStack's
    /// `SecurityGroupRulesCmd`).
    /// - Throws: ``OrchestratorError``.
    func applySecurityGroupRules(_ vm: VirtualMachine) async throws(OrchestratorError)
    /// Whether a host that lost its management connection still runs `vms` (CloudStack's investigators:
    /// `CheckOnHostCommand` and `CheckVMActivityOnStoragePoolCommand` sent to a neighbour on the shared pool). HA
    /// restarts the VMs elsewhere only on ``HostActivity/dead(_:)`` or ``HostActivity/notFenced``.
    func checkOnHost(_ host: Host, vms: [VirtualMachine]) async -> HostActivity
}

/// What fencing found of a host that lost its management connection.
public enum HostActivity: Sendable, Hashable {
    /// The host's hypervisor has nothing that could run twice (a simulator): HA goes ahead.
    case notFenced
    /// A neighbour on the shared storage found no sign of the host (stale heartbeat, no disk in use): its VMs may
    /// start elsewhere.
    case dead(String)
    /// The host or its VMs still run (fresh heartbeat, a disk held open): nothing is restarted.
    case alive(String)
    /// No neighbour could tell: nothing is restarted (a second copy is worse than a late restart).
    case unknown(String)
}

extension HypervisorDriver {
    /// Drivers without host firewalls have nothing to apply.
    public func applySecurityGroupRules(_ vm: VirtualMachine) async throws(OrchestratorError) {}

    /// Drivers without real VMs have nothing to fence.
    public func checkOnHost(_ host: Host, vms: [VirtualMachine]) async -> HostActivity { .notFenced }

    /// Drivers without live migration refuse it (the VM stays where it is).
    @discardableResult
    public func migrate(
        _ vm: VirtualMachine,
        from source: Host,
        to destination: Host
    ) async throws(OrchestratorError) -> MigrationFigures? {
        throw OrchestratorError(.resourceUnavailable, "MigrateCommand is not supported by this hypervisor driver")
    }

    /// Drivers without consoles refuse it.
    public func consoleOutput(_ vm: VirtualMachine, lines: Int) async throws(OrchestratorError) -> String {
        throw OrchestratorError(.resourceUnavailable, "VM \(vm.name) has no console output on this hypervisor")
    }

    /// Drivers without consoles refuse it.
    public func consoleAddress(_ vm: VirtualMachine) async throws(OrchestratorError) -> String {
        throw OrchestratorError(.resourceUnavailable, "VM \(vm.name) has no console on this hypervisor")
    }

    /// Drivers without volume files have nothing to delete.
    public func deleteVolumes(_ volumes: [Volume], of vm: VirtualMachine) async throws(OrchestratorError) {}

    /// Drivers without volume files have nothing to plug.
    public func attachVolume(_ volume: Volume, deviceId: Int, to vm: VirtualMachine) async throws(OrchestratorError) {}

    /// Drivers without volume files have nothing to unplug.
    public func detachVolume(_ volume: Volume, from vm: VirtualMachine) async throws(OrchestratorError) {}

    /// Drivers without volume files have nothing to grow.
    public func resizeVolume(_ volume: Volume, to size: Int, of vm: VirtualMachine) async throws(OrchestratorError) {}

    /// Drivers without CD-ROMs have nothing to change.
    public func changeISO(of vm: VirtualMachine, to isoId: String?) async throws(OrchestratorError) {}

    /// Drivers without live scaling refuse it (the VM keeps its size).
    public func scale(_ vm: VirtualMachine, cpuNumber: Int, cpuSpeed: Int, memory: Int) async throws(OrchestratorError)
    {
        throw OrchestratorError(.resourceUnavailable, "ScaleVmCommand is not supported by this hypervisor driver")
    }
}
