/// A small, fast, seedable random number generator (Steele, Lea and Flood's SplitMix64) for the `random`
/// allocators in tests and benchmarks, where the same seed must give the same order.
///
/// Not cryptographic. The planner takes any `RandomNumberGenerator`; the server may pass
/// `SystemRandomNumberGenerator` or one of these seeded from it.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// Creates a generator.
    /// - Parameter seed: the seed; equal seeds give equal sequences.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 random bits.
    /// - Returns: a random value.
    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
