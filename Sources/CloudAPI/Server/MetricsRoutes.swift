import CloudCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Orchestrator

extension APIRouter {
    /// `/metrics` in Prometheus' text format, for clients `prometheus.exporter.allowed.ips` allows (loopback by
    /// default; 403 for others, as CloudStack's exporter refuses them). The numbers are the core's
    /// (``MetricsService``), read at each scrape.
    static func addMetrics(to router: Router<APIRequestContext>, _ server: ManagementServer) {
        router.get("/metrics") { _, context in
            let settings = try await server.core.configuration.snapshot()
            let allowed = ScrapeAllowList(settings.value(GlobalSettings.prometheusAllowedIPs) ?? "")
            guard allowed.allows(context.remoteAddress?.ipAddress) else {
                return Self.plain(.forbidden, "this address may not scrape /metrics\n")
            }
            let text: String
            do {
                text = try await server.scrape()
            } catch {
                server.logger.warning("metrics scrape failed", metadata: ["error": "\(error)"])
                return Self.plain(.serviceUnavailable, "the metrics are unavailable now\n")
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}

extension ManagementServer {
    /// What `/metrics` answers: the core's numbers now, and this server's API metrics, in Prometheus' text format.
    /// - Returns: the text.
    /// - Throws: ``StoreError`` or ``OrchestratorError`` when the numbers cannot be read.
    public func scrape() async throws -> String {
        MetricsExposition.render(try await self.core.metrics.sample(), api: self.apiMetrics)
    }
}
