/// The DRS algorithms CloudStack ships (`drs.algorithm`).
public enum DrsAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Spread the load: act while the imbalance is above `1 - drs.imbalance`, each move lowering it.
    case balanced
    /// Pack the load: act while the imbalance is below `drs.imbalance`, each move raising it.
    case condensed
}

/// The resource DRS measures (`drs.metric`).
public enum DrsMetric: String, Sendable, Hashable, CaseIterable {
    /// CPU in MHz.
    case cpu
    /// Memory in bytes.
    case memory
}

/// Whether DRS measures the used or the free part of the resource (`drs.metric.type`).
public enum DrsMetricType: String, Sendable, Hashable, CaseIterable {
    /// Allocated capacity.
    case used
    /// Capacity left.
    case free
}

/// What a DRS run reads from the cluster's settings.
public struct DrsSettings: Sendable, Hashable {
    /// `drs.algorithm`.
    public var algorithm: DrsAlgorithm
    /// `drs.metric`.
    public var metric: DrsMetric
    /// `drs.metric.type`.
    public var metricType: DrsMetricType
    /// `drs.metric.useratio`: measure each host as a fraction of its capacity rather than in absolute units.
    public var useRatio: Bool
    /// `drs.imbalance`: 1.0 allows no imbalance, 0.0 allows any.
    public var imbalanceThreshold: Double
    /// `drs.max.migrations`: the most moves one plan holds.
    public var maxMigrations: Int

    /// Creates settings (CloudStack's defaults when omitted).
    /// - Parameters:
    ///   - algorithm: `drs.algorithm`.
    ///   - metric: `drs.metric`.
    ///   - metricType: `drs.metric.type`.
    ///   - useRatio: `drs.metric.useratio`.
    ///   - imbalanceThreshold: `drs.imbalance`.
    ///   - maxMigrations: `drs.max.migrations`.
    public init(
        algorithm: DrsAlgorithm = .balanced,
        metric: DrsMetric = .memory,
        metricType: DrsMetricType = .used,
        useRatio: Bool = true,
        imbalanceThreshold: Double = 0.4,
        maxMigrations: Int = 50
    ) {
        self.algorithm = algorithm
        self.metric = metric
        self.metricType = metricType
        self.useRatio = useRatio
        self.imbalanceThreshold = imbalanceThreshold
        self.maxMigrations = maxMigrations
    }

    /// The imbalance at which the algorithm stops acting: above it `balanced` acts (`1 - drs.imbalance`), below it
    /// `condensed` acts (`drs.imbalance`).
    public var threshold: Double {
        switch self.algorithm {
        case .balanced: 1 - self.imbalanceThreshold
        case .condensed: self.imbalanceThreshold
        }
    }

    /// Whether a cluster with this imbalance needs DRS (CloudStack's `needsDrs`).
    /// - Parameter imbalance: the cluster's imbalance.
    /// - Returns: true when the algorithm would act.
    public func needsDrs(imbalance: Double) -> Bool {
        switch self.algorithm {
        case .balanced: imbalance > self.threshold
        case .condensed: imbalance < self.threshold
        }
    }

    /// How much better the cluster is after a move, in the algorithm's direction (positive is better).
    /// - Parameters:
    ///   - before: the imbalance before.
    ///   - after: the imbalance after.
    /// - Returns: `before - after` for balanced, `after - before` for condensed.
    public func improvement(from before: Double, to after: Double) -> Double {
        switch self.algorithm {
        case .balanced: before - after
        case .condensed: after - before
        }
    }
}
