import CoreMetrics
import Prometheus

/// The API's own metrics, kept for the server's life: requests by command and HTTP status (a counter) and their
/// latency (a histogram), recorded through swift-metrics into a Prometheus registry of this server's own (not the
/// process-wide `MetricsSystem`, so several servers in one process keep apart). The label sets are bounded: a
/// command label is a registered command's name, `login`, or `unknown`.
public final class APIMetrics: Sendable {
    /// The request counter's name.
    public static let requests = "zoostack_api_requests_total"
    /// The latency histogram's name.
    public static let latency = "zoostack_api_request_duration_seconds"

    /// The registry the metrics live in.
    public let registry: PrometheusCollectorRegistry
    let factory: DocumentedMetricsFactory

    /// Makes an empty set.
    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        self.factory = DocumentedMetricsFactory(
            registry: registry,
            help: [
                Self.requests: "API requests on /client/api by command and HTTP status.",
                Self.latency: "Latency of API requests on /client/api by command and HTTP status.",
            ],
            buckets: [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
                .seconds(5), .seconds(10),
            ]
        )
    }

    /// Records one request.
    /// - Parameters:
    ///   - command: the command's label (``ManagementServer`` bounds it).
    ///   - status: the HTTP status answered.
    ///   - duration: how long it took.
    public func record(command: String, status: Int, duration: Duration) {
        let dimensions = [("command", command), ("status", String(status))]
        Counter(label: Self.requests, dimensions: dimensions, factory: self.factory).increment()
        let (seconds, attoseconds) = duration.components
        Timer(label: Self.latency, dimensions: dimensions, factory: self.factory).recordNanoseconds(
            seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue + attoseconds / 1_000_000_000
        )
    }

    /// The metrics in Prometheus' text format.
    public func render() -> String {
        self.registry.emitToString()
    }
}

/// A swift-metrics factory over a Prometheus registry that gives each metric its `# HELP` text (the stock
/// `PrometheusMetricsFactory` registers none, and `promtool check metrics` refuses a metric without one).
struct DocumentedMetricsFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry
    let help: [String: String]
    let buckets: [Duration]
    var stock: PrometheusMetricsFactory { PrometheusMetricsFactory(registry: self.registry) }

    func descriptor(_ label: String) -> MetricNameDescriptor {
        .named(label, help: self.help[label] ?? label)
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        self.registry.makeCounter(descriptor: self.descriptor(label), labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        self.registry.makeCounter(descriptor: self.descriptor(label), labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        self.registry.makeGauge(descriptor: self.descriptor(label), labels: dimensions)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        self.registry.makeGauge(descriptor: self.descriptor(label), labels: dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        self.registry.makeDurationHistogram(
            descriptor: self.descriptor(label),
            labels: dimensions,
            buckets: self.buckets
        )
    }

    func destroyCounter(_ handler: any CounterHandler) { self.stock.destroyCounter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        self.stock.destroyFloatingPointCounter(handler)
    }
    func destroyRecorder(_ handler: any RecorderHandler) { self.stock.destroyRecorder(handler) }
    func destroyMeter(_ handler: any MeterHandler) { self.stock.destroyMeter(handler) }
    func destroyTimer(_ handler: any TimerHandler) { self.stock.destroyTimer(handler) }
}

extension MetricNameDescriptor {
    /// A descriptor for a whole name (no namespace or unit parts) with its help text.
    /// - Parameters:
    ///   - name: the metric's name.
    ///   - help: its `# HELP` text.
    /// - Returns: the descriptor.
    static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
