/// What a live migration measured on the hypervisor (QEMU's `query-migrate` once completed).
public struct MigrationFigures: Sendable, Hashable {
    /// From the start of the migration to its end, in milliseconds.
    public var totalTimeMilliseconds: Int
    /// How long the guest was paused for the switch-over, in milliseconds.
    public var downtimeMilliseconds: Int

    /// Makes a value.
    /// - Parameters:
    ///   - totalTimeMilliseconds: the whole migration.
    ///   - downtimeMilliseconds: the guest's pause.
    public init(totalTimeMilliseconds: Int, downtimeMilliseconds: Int) {
        self.totalTimeMilliseconds = totalTimeMilliseconds
        self.downtimeMilliseconds = downtimeMilliseconds
    }
}
