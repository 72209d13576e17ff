import CloudModel

/// The sizes of a file a hypervisor host wrote into the image store (a snapshot or a template).
public struct ImageFileSizes: Sendable, Hashable {
    /// The size a guest sees, in bytes.
    public var virtualSize: Int
    /// The bytes the file takes on the store's file system.
    public var physicalSize: Int

    /// Makes a value.
    /// - Parameters:
    ///   - virtualSize: the guest-visible size.
    ///   - physicalSize: the allocated size.
    public init(virtualSize: Int, physicalSize: Int) {
        self.virtualSize = virtualSize
        self.physicalSize = physicalSize
    }
}

extension HypervisorDriver {
    /// Drivers without volume files keep snapshots as records only.
    public func backupSnapshot(
        of volume: Volume,
        attachedTo vm: VirtualMachine?,
        to file: String
    ) async throws(OrchestratorError) -> ImageFileSizes? { nil }

    /// Drivers without volume files keep templates as records only.
    public func createTemplate(
        from volume: Volume,
        attachedTo vm: VirtualMachine?,
        to file: String
    ) async throws(OrchestratorError) -> ImageFileSizes? { nil }

    /// Drivers without volume files keep templates as records only.
    public func createTemplate(
        fromSnapshot snapshotFile: String,
        zoneId: String,
        to file: String
    ) async throws(OrchestratorError) -> ImageFileSizes? { nil }

    /// Drivers without volume files have nothing to revert.
    public func revertSnapshot(
        _ snapshotFile: String,
        to volume: Volume,
        attachedTo vm: VirtualMachine?
    ) async throws(OrchestratorError) -> Bool { false }
}
