import CloudModel
import CloudStore
import Foundation

/// The ingress and egress rules of security groups.
extension SecurityGroupService {
    /// Adds rules to a group: one per CIDR and one per peer group, leaving out those the group already has.
    /// - Parameters:
    ///   - group: the group, checked (``group(_:id:name:owner:idParameter:)``).
    ///   - request: the rules.
    /// - Returns: the rules added (CloudStack's answer names only these).
    /// - Throws: 437 when every rule already exists; ``StoreError``.
    @discardableResult
    public func authorize(
        _ group: SecurityGroup,
        _ request: SecurityGroupRuleRequest
    ) async throws -> [SecurityGroupRule] {
        var ruleQuery = ListQuery(equals: [("security_group_id", group.id), ("type", request.type)])
        ruleQuery.pageSize = nil
        let existing = try await self.store.list(SecurityGroupRule.self, ruleQuery).items
        let targets: [(cidr: String?, peer: (account: String?, group: String?))] =
            request.cidrs.map { ($0, (nil, nil)) } + request.peers.map { (nil, ($0.account, $0.group)) }
        var rules: [SecurityGroupRule] = []
        for (cidr, peer) in targets {
            let rule = SecurityGroupRule(
                id: UUID().uuidString.lowercased(),
                securityGroupId: group.id,
                type: request.type,
                protocolName: request.protocolName,
                startPort: request.startPort,
                endPort: request.endPort,
                cidr: cidr,
                peerAccount: peer.account,
                peerGroup: peer.group
            )
            let duplicate = existing.contains {
                $0.protocolName == rule.protocolName && $0.startPort == rule.startPort && $0.endPort == rule.endPort
                    && $0.cidr == rule.cidr && $0.peerGroup == rule.peerGroup && $0.peerAccount == rule.peerAccount
            }
            if !duplicate { rules.append(rule) }
        }
        guard !rules.isEmpty else {
            throw CloudError(
                .networkRuleConflict,
                csErrorCode: 4370,
                "The same rule already exists in security group \(group.name)"
            )
        }
        for rule in rules { try await self.store.insert(rule) }
        return rules
    }

    /// The rule of this UUID and its group, checked for access before it is revoked with ``revoke(ruleId:)``.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - id: the rule's UUID (parameter `id`).
    ///   - type: `ingress` or `egress`: a rule of the other type is refused as unknown.
    /// - Throws: 431 when unknown, 531 out of reach.
    public func rule(
        _ access: Access,
        id: String,
        type: String
    ) async throws -> (rule: SecurityGroupRule, group: SecurityGroup) {
        guard let rule = try await self.store.get(SecurityGroupRule.self, id: id) else {
            throw access.unknown("id", id)
        }
        guard rule.type == type, let group = try await self.store.get(SecurityGroup.self, id: rule.securityGroupId)
        else { throw access.unknown("id", rule.id) }
        try await self.checkAccess(access, group)
        return (rule, group)
    }

    /// Deletes a rule.
    /// - Throws: ``StoreError``.
    public func revoke(ruleId: String) async throws {
        try await self.store.delete(SecurityGroupRule.self, id: ruleId)
    }
}

/// Rules to add to a security group (authorizeSecurityGroupIngress/Egress), parsed and validated.
public struct SecurityGroupRuleRequest: Sendable {
    /// `ingress` or `egress`.
    public var type: String
    /// `tcp`, `udp`, `icmp` or `all`.
    public var protocolName: String
    /// The first port, or the ICMP type.
    public var startPort: Int?
    /// The last port, or the ICMP code.
    public var endPort: Int?
    /// The CIDRs, a rule each.
    public var cidrs: [String]
    /// Peer groups (an account's name, nil for the group's own, and a group's name), a rule each.
    public var peers: [(account: String?, group: String)]

    /// Creates a request.
    public init(
        type: String,
        protocolName: String,
        startPort: Int?,
        endPort: Int?,
        cidrs: [String],
        peers: [(account: String?, group: String)]
    ) {
        self.type = type
        self.protocolName = protocolName
        self.startPort = startPort
        self.endPort = endPort
        self.cidrs = cidrs
        self.peers = peers
    }
}
