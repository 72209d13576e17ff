/// A live configuration change: a key set to a value, or removed (`value` nil).
public struct ConfigurationChange: Hashable, Sendable {
    /// The key.
    public var key: String
    /// The new value, or nil when the key was removed.
    public var value: String?
    /// When the change was written (milliseconds since 1970, ZooKeeper's clock; 0 for a removal), so that
    /// propagation delay can be measured by a receiver.
    public var writtenMilliseconds: Int64

    /// Makes a change.
    /// - Parameters:
    ///   - key: the key.
    ///   - value: the value, or nil.
    ///   - writtenMilliseconds: when it was written.
    public init(key: String, value: String?, writtenMilliseconds: Int64 = 0) {
        self.key = key
        self.value = value
        self.writtenMilliseconds = writtenMilliseconds
    }
}
