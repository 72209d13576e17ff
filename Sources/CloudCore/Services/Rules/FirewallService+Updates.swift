import CloudModel
import CloudStore

/// The rules' update commands (CloudStack's `updateFirewallRule`, `updateEgressFirewallRule`,
/// `updatePortForwardingRule` and `updateLoadBalancerRule`): whether the owner is shown a rule, and a load balancer
/// rule's name, description and algorithm. What they change leaves the data plane as it is.
extension FirewallService {
    /// What an update changes; nil leaves a field as it is.
    public struct RuleUpdate: Sendable {
        /// `fordisplay`.
        public var forDisplay: Bool?
        /// A load balancer rule's `name`.
        public var name: String?
        /// A load balancer rule's `description`.
        public var description: String?
        /// A load balancer rule's `algorithm`, lower-cased.
        public var algorithm: String?

        /// Creates an update.
        public init(forDisplay: Bool?, name: String? = nil, description: String? = nil, algorithm: String? = nil) {
            self.forDisplay = forDisplay
            self.name = name
            self.description = description
            self.algorithm = algorithm
        }
    }

    /// The rule an update names, checked: of `purpose` and, for firewall rules, of `trafficType`.
    /// - Throws: 431 for an unknown rule, an unknown algorithm; 531 out of reach.
    public func prepareUpdate(
        _ access: Access,
        id: String,
        purpose: NetworkRule.Purpose,
        trafficType: String? = nil,
        _ update: RuleUpdate
    ) async throws -> NetworkRule {
        let rule = try await self.rule(access, id: id, purpose: purpose)
        if let trafficType, rule.trafficType != trafficType { throw access.unknown("id", id) }
        if let algorithm = update.algorithm, !LoadBalancerService.algorithms.contains(algorithm) {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Invalid algorithm \(algorithm); supported: leastconn, roundrobin, source"
            )
        }
        return rule
    }

    /// Applies an update to a rule from ``prepareUpdate(_:id:purpose:trafficType:_:)``.
    /// - Returns: the rule as stored.
    /// - Throws: ``StoreError``; 431 when the rule is gone.
    public func apply(_ update: RuleUpdate, to rule: NetworkRule) async throws -> NetworkRule {
        guard var current = try await self.store.get(NetworkRule.self, id: rule.id) else {
            throw CloudError.invalidParameter("update", "id", rule.id)
        }
        if let forDisplay = update.forDisplay { current.forDisplay = forDisplay }
        if let name = update.name, !name.isEmpty { current.name = name }
        if let description = update.description { current.ruleDescription = description }
        if let algorithm = update.algorithm { current.algorithm = algorithm }
        try await self.store.replace(current, id: current.id)
        return current
    }
}
