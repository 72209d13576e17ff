/// Work that runs beside a management server's cluster membership, started once the server has joined and stopped
/// before it leaves: the seam for the agent side (adopting the hosts this server owns, see
/// ``ClusterRuntime/ownedHosts()`` and ``ClusterRuntime/coordinator``).
public protocol ClusterExtension: Sendable {
    /// Starts the work; it must return promptly (run long work in its own tasks).
    /// - Parameter runtime: the joined runtime.
    /// - Throws: any error, which fails the server's start.
    func start(runtime: ClusterRuntime) async throws
    /// Stops the work (before the server leaves the cluster).
    func stop() async
}
