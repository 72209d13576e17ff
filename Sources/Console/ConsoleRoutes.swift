import Foundation
import HTTPTypes
import Hummingbird

/// The web console's routes: `GET /` (the page) and `GET /console/...` (its assets).
///
/// The console is only files: it speaks to the cloud from the browser through the public API (`/client/api`), so
/// this module knows nothing of the cloud.
public enum ConsoleRoutes {
    /// Adds the console's routes to `router`.
    /// - Parameters:
    ///   - router: the API server's router.
    ///   - assets: the files to serve.
    public static func add<Context: RequestContext>(to router: Router<Context>, assets: ConsoleAssets) {
        router.get("/") { _, _ in
            Self.response(assets.asset(at: "index.html"), cache: "no-cache")
        }
        router.get("/console/**") { request, _ in
            let raw = request.uri.path.dropFirst("/console/".count)
            guard let path = String(raw).removingPercentEncoding else { return Self.notFound() }
            // The page is revalidated each time; the other files for an hour.
            return Self.response(assets.asset(at: path), cache: path == "index.html" ? "no-cache" : "max-age=3600")
        }
    }

    /// The response for `asset`, or 404.
    static func response(_ asset: ConsoleAssets.Asset?, cache: String) -> Response {
        guard let asset else { return Self.notFound() }
        var headers = Self.common
        headers[.contentType] = asset.contentType
        headers[.cacheControl] = cache
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.body))
    }

    /// 404 in plain text.
    static func notFound() -> Response {
        var headers = Self.common
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .notFound,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: "Not found\n"))
        )
    }

    /// Headers on every console response.
    static var common: HTTPFields {
        var headers = HTTPFields()
        if let name = HTTPField.Name("X-Content-Type-Options") { headers[name] = "nosniff" }
        if let name = HTTPField.Name("Content-Security-Policy") {
            // connect-src: the VNC console's websocket goes to the console proxy, on a port of its own.
            headers[name] =
                "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; object-src 'none'; "
                + "frame-ancestors 'none'"
        }
        return headers
    }
}
