import CloudModel

/// Transitional: the handlers that still stamp rows themselves; they move to the core's clock.
enum Timestamp {
    /// Now.
    static var now: Double { WallClock.system.now }
}
