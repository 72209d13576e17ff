import Hummingbird
import NIOCore

/// The API router's request context: Hummingbird's basic one plus the client's address, which `/metrics` checks
/// against `prometheus.exporter.allowed.ips`.
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The connected client's address (nil when the channel has none, as in router tests).
    public let remoteAddress: SocketAddress?

    /// Makes the context of a request arriving on a channel.
    /// - Parameter source: the channel and logger.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
