/// Starts a standalone Apache ZooKeeper server, runs `body` with it, and stops it whether `body` returns or
/// throws.
///
/// ```swift
/// try await withApacheZooKeeper(options: .init(extendedTypesEnabled: true)) { server in
///     // connect to server.connectString
/// }
/// ```
///
/// - Parameters:
///   - options: How to configure the server.
///   - isolation: The caller's isolation, inherited by `body`.
///   - body: The test, given the running server.
/// - Returns: What `body` returns.
/// - Throws: What ``ApacheZooKeeperServer/start(options:)`` or `body` throws.
public func withApacheZooKeeper<Result>(
    options: ApacheZooKeeperOptions = .init(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (ApacheZooKeeperServer) async throws -> Result
) async throws -> Result {
    let server = try await ApacheZooKeeperServer.start(options: options)
    do {
        let result = try await body(server)
        await server.stop()
        server.shutdown()
        return result
    } catch {
        server.shutdown()
        throw error
    }
}

/// Starts an Apache ZooKeeper ensemble, runs `body` with it, and shuts it down whether `body` returns or
/// throws.
///
/// - Parameters:
///   - size: The number of members; 3 by default.
///   - options: How to configure every member.
///   - isolation: The caller's isolation, inherited by `body`.
///   - body: The test, given the running ensemble.
/// - Returns: What `body` returns.
/// - Throws: What ``ApacheZooKeeperEnsemble/start(size:options:)`` or `body` throws.
public func withApacheZooKeeperEnsemble<Result>(
    size: Int = 3,
    options: ApacheZooKeeperOptions = .init(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (ApacheZooKeeperEnsemble) async throws -> Result
) async throws -> Result {
    let ensemble = try await ApacheZooKeeperEnsemble.start(size: size, options: options)
    do {
        let result = try await body(ensemble)
        ensemble.shutdown()
        return result
    } catch {
        ensemble.shutdown()
        throw error
    }
}
