/// Arithmetic on numbers that come from clients, from the database or from settings, which must never trap.
///
/// Swift traps on integer overflow and on converting a non-finite or out-of-range `Double` to `Int`; a trap in a
/// request handler or a leader duty kills the whole server, the embedded ZooKeeper server with it. Sizes
/// (GiB → bytes), CPU × speed, memory (MiB → bytes), overprovisioned totals and sums of capacities go through these
/// helpers: the `checked` forms give nil so that a handler can answer 431, the `saturating` forms clamp to
/// `Int.min`/`Int.max` where a bound is as good as the exact value (a capacity of `Int.max` is "unlimited").
extension Int {
    /// `self × other`, or nil when the product does not fit.
    /// - Parameter other: the multiplier.
    /// - Returns: the product, or nil on overflow.
    public func checkedMultiplied(by other: Int) -> Int? {
        let (product, overflow) = self.multipliedReportingOverflow(by: other)
        return overflow ? nil : product
    }

    /// `self + other`, or nil when the sum does not fit.
    /// - Parameter other: the addend.
    /// - Returns: the sum, or nil on overflow.
    public func checkedAdding(_ other: Int) -> Int? {
        let (sum, overflow) = self.addingReportingOverflow(other)
        return overflow ? nil : sum
    }

    /// `self × other`, clamped to `Int.min...Int.max`.
    /// - Parameter other: the multiplier.
    /// - Returns: the product or the bound it passed.
    public func saturatingMultiplied(by other: Int) -> Int {
        let (product, overflow) = self.multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }

    /// `self + other`, clamped to `Int.min...Int.max`.
    /// - Parameter other: the addend.
    /// - Returns: the sum or the bound it passed.
    public func saturatingAdding(_ other: Int) -> Int {
        let (sum, overflow) = self.addingReportingOverflow(other)
        guard overflow else { return sum }
        return other < 0 ? .min : .max
    }

    /// `self − other`, clamped to `Int.min...Int.max`.
    /// - Parameter other: the subtrahend.
    /// - Returns: the difference or the bound it passed.
    public func saturatingSubtracting(_ other: Int) -> Int {
        let (difference, overflow) = self.subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }

    /// A `Double` truncated toward zero, or nil when it is NaN, infinite or outside `Int`'s range.
    /// - Parameter value: the value.
    public init?(checked value: Double) {
        guard value.isFinite else { return nil }
        self.init(exactly: value.rounded(.towardZero))
    }

    /// A `Double` truncated toward zero and clamped to `Int.min...Int.max` (NaN gives 0), as Java's `(long) d`.
    /// - Parameter value: the value.
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if let exact = Int(checked: value) {
            self = exact
        } else {
            self = value < 0 ? .min : .max
        }
    }
}

extension Sequence where Element == Int {
    /// The sum of the elements, clamped to `Int.min...Int.max` at every step.
    public func saturatingSum() -> Int {
        self.reduce(0) { $0.saturatingAdding($1) }
    }
}
