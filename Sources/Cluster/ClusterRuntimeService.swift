import ServiceLifecycle

/// A ``ClusterRuntime`` as a swift-service-lifecycle `Service`: it joins the cluster once the API's address is known
/// (``ClusterJoin``), stays joined until its `ServiceGroup` shuts down, then leaves cleanly (``ClusterRuntime/stop()``:
/// the running jobs finish, the extensions stop, the membership and leadership go at once, the store closes).
///
/// Put it after the embedded ZooKeeper server (if any) and before the API in the group: a group stops its services
/// in reverse, so the API drains its requests first, then the runtime leaves while ZooKeeper still serves.
///
/// ```swift
/// let join = ClusterJoin()
/// let membership = ClusterRuntimeService(runtime: runtime, join: join, extensions: [agents])
/// // The API server, listening, before it serves a request: try await join.joining(at: "10.0.0.5:8080")
/// let group = ServiceGroup(services: [membership, api], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
public struct ClusterRuntimeService: Service, CustomStringConvertible {
    /// The runtime.
    public let runtime: ClusterRuntime
    private let join: ClusterJoin
    private let extensions: [any ClusterExtension]

    /// Makes the service.
    /// - Parameters:
    ///   - runtime: a prepared runtime, not joined (``ClusterRuntime/prepare(configuration:driver:logger:)``); the
    ///     service stops it.
    ///   - join: where the API hands over its address and learns that the runtime joined.
    ///   - extensions: work to run while joined.
    public init(runtime: ClusterRuntime, join: ClusterJoin, extensions: [any ClusterExtension] = []) {
        self.runtime = runtime
        self.join = join
        self.extensions = extensions
    }

    public var description: String { "ClusterRuntime(\(self.runtime.configuration.serverId))" }

    /// Joins at the address the API hands over, runs until the group's graceful shutdown (or the task's
    /// cancellation), then stops the runtime. A group that shuts down before the address is known stops the
    /// runtime without joining.
    /// - Throws: what ``ClusterRuntime/join(address:extensions:)`` throws (the runtime is stopped then).
    public func run() async throws {
        let join = self.join
        guard let address = await cancelWhenGracefulShutdown({ await join.address() }) else {
            join.finish(.failure(CancellationError()))
            await self.runtime.stop()
            return
        }
        do {
            try await self.runtime.join(address: address, extensions: self.extensions)
        } catch {
            join.finish(.failure(error))
            await self.runtime.stop()
            throw error
        }
        join.finish(.success(()))
        try? await gracefulShutdown()
        await self.runtime.stop()
    }
}

/// The hand-over between the API server and ``ClusterRuntimeService``: the API, listening, gives its address (the
/// server's address in the cluster) and waits until the runtime has joined before it serves a request.
public final class ClusterJoin: Sendable {
    private let addresses = AsyncStream<String>.makeStream()
    private let outcomes = AsyncStream<Result<Void, any Error>>.makeStream()

    /// Makes a hand-over, for one join.
    public init() {}

    /// Gives the runtime the address the API listens on and waits until it has joined the cluster. Call it once.
    /// - Parameter address: `host:port`.
    /// - Throws: the error that failed the join; `CancellationError` when the runtime stopped without joining or
    ///   the calling task was cancelled.
    public func joining(at address: String) async throws {
        self.addresses.continuation.yield(address)
        self.addresses.continuation.finish()
        for await outcome in self.outcomes.stream { return try outcome.get() }
        throw CancellationError()
    }

    /// The address, once given; nil when the calling task is cancelled first.
    func address() async -> String? {
        for await address in self.addresses.stream { return address }
        return nil
    }

    /// Reports the join's outcome to ``joining(at:)``.
    func finish(_ outcome: Result<Void, any Error>) {
        self.outcomes.continuation.yield(outcome)
        self.outcomes.continuation.finish()
    }
}
