import ZooKeeperProtocol
import ZooKeeperTestSupport

@testable import ZooKeeperServer

/// Runs `body` against a fresh server on a free loopback port, shutting it down afterwards.
func withServer<T>(
    _ configuration: ZooKeeperServerConfiguration = ZooKeeperServerConfiguration(port: 0),
    clock: ManualClock? = nil,
    _ body: (ZooKeeperServer, Int) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.port = 0
    let server = ZooKeeperServer(
        configuration: configuration,
        clock: clock ?? ManualClock(),
        automaticTicks: false
    )
    try await server.start()
    do {
        let result = try await body(server, server.port)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

/// A fresh temporary directory.
func temporaryDirectory() -> String {
    TemporaryPaths.make("zoostack-server-tests")
}

let openACL = ACL.openUnsafe

func createRequest(_ path: String, _ data: [UInt8] = [], _ flags: CreateMode = .persistent) -> CreateRequest {
    CreateRequest(path: path, data: data, acl: openACL, flags: flags)
}
