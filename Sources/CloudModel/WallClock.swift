import Foundation

/// The cloud's wall clock: the time rows record (`created`, `completed`, `sent`, ...) and rules compare (ping
/// timeouts, DRS intervals), as seconds since 1970. One clock is injected where the store is opened
/// (`CloudStore.open(..., clock:)`), and everything above the store reads it from there, so a test that sets
/// the time sets it for the whole cloud.
///
/// ```swift
/// let clock = WallClock { 1_700_000_000 }
/// clock.now  // 1_700_000_000
/// ```
public struct WallClock: Sendable {
    private let read: @Sendable () -> Double

    /// A clock reading `read`.
    /// - Parameter read: the current time in seconds since 1970.
    public init(_ read: @escaping @Sendable () -> Double) {
        self.read = read
    }

    /// The machine's clock.
    public static let system = WallClock { Date().timeIntervalSince1970 }

    /// Now, in seconds since 1970.
    public var now: Double { self.read() }
}
