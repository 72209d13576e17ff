import HTTPTypes
import Hummingbird
import NIOCore

/// The HTTP face of the API: GET and POST on `/client/api`, handed to ``ManagementServer/handle(_:)``, and the
/// health endpoints `/healthz` and `/readyz`, and `/metrics`.
public enum APIRouter {
    /// The largest form body accepted.
    static let maxBody = 4 * 1024 * 1024

    /// Builds the router.
    /// - Parameter server: the management server.
    /// - Returns: a router serving `/client/api`.
    public static func make(_ server: ManagementServer) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        let handler: @Sendable (Request, APIRequestContext) async throws -> Response = { request, _ in
            var pairs = APIParameters.decodePairs(Substring(request.uri.query ?? ""))
            var request = request
            if request.method == .post {
                let body = try await request.collectBody(upTo: Self.maxBody)
                pairs += APIParameters.decodePairs(Substring(String(buffer: body)))
            }
            var cookies: [String: String] = [:]
            for header in request.headers[values: .cookie] {
                for item in header.split(separator: ";") {
                    let parts = item.split(separator: "=", maxSplits: 1)
                    if parts.count == 2 {
                        cookies[parts[0].trimmingSpaces] = parts[1].trimmingSpaces
                    }
                }
            }
            let apiRequest = APIRequest(
                method: request.method.rawValue,
                parameters: APIParameters(pairs),
                cookies: cookies,
                host: request.head.authority
            )
            // A client that hangs up must not cancel a command half-way (a VM row without its NIC): the command
            // runs to its end in a task of its own, as a CloudStack servlet thread does.
            let response = await Task { await server.handle(apiRequest) }.value
            var headers = HTTPFields()
            headers[.contentType] = response.contentType
            if let name = HTTPField.Name("X-Content-Type-Options") { headers[name] = "nosniff" }
            if let text = response.errorText, let name = HTTPField.Name("X-Description") {
                headers[name] = String(text.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 })
            }
            for cookie in response.setCookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
            return Response(
                status: HTTPResponse.Status(code: response.status),
                headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: response.body))
            )
        }
        router.get("/client/api", use: handler)
        router.post("/client/api", use: handler)
        Self.addHealth(to: router, server)
        Self.addMetrics(to: router, server)
        return router
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
