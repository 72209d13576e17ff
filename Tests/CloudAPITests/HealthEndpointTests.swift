import CloudAPI
import CloudCore
import CloudStore
import Hummingbird
import HummingbirdTesting
import Testing

/// `/healthz` and `/readyz`, for the load balancers in front of several management servers.
struct HealthEndpointTests {
    @Test func healthzWhileServingAndReadyzFollowsTheDatabase() async throws {
        let cloud = try await TestCloud.make()
        let app = Application(router: APIRouter.make(cloud.server))
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
                #expect(response.headers[.cacheControl] == "no-store")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ready\ndatabase: ok\nzookeeper: not a cluster member\n")
            }
            // The database goes away: not ready (503, naming it), while the process still serves.
            await cloud.server.core.store.close()
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = String(buffer: response.body)
                #expect(body.hasPrefix("not ready\ndatabase: "), "\(body)")
                #expect(!body.contains("database: ok"), "\(body)")
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
