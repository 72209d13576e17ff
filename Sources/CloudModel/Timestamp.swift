import Foundation

/// Wall-clock time for rows, as seconds since 1970.
public enum Timestamp {
    /// Now.
    public static var now: Double { Date().timeIntervalSince1970 }
}
