import CloudCore
import HTTPTypes
import Hummingbird
import NIOCore

extension APIRouter {
    /// `/healthz` (200 while the process serves) and `/readyz` (200 when the database answers and the ZooKeeper
    /// session is up, else 503 naming what is not), for the load balancers in front of several management servers.
    /// Neither needs credentials; neither says more than ok or what is down.
    static func addHealth(to router: Router<APIRequestContext>, _ server: ManagementServer) {
        router.get("/healthz") { _, _ in
            Self.plain(.ok, "ok\n")
        }
        router.get("/readyz") { _, _ in
            let readiness = await server.core.readiness()
            var lines = [readiness.isReady ? "ready" : "not ready"]
            for check in readiness.checks { lines.append("\(check.name): \(check.detail)") }
            return Self.plain(readiness.isReady ? .ok : .serviceUnavailable, lines.joined(separator: "\n") + "\n")
        }
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=UTF-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
