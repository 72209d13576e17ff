#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock the server stamps txns with and expires sessions by; tests inject a manual one.
protocol ServerClock: Sendable {
    /// Now, in milliseconds since the epoch.
    func nowMilliseconds() -> Int64
}

/// The system's real-time clock.
struct SystemServerClock: ServerClock {
    func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
