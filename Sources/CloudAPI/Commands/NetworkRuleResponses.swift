import CloudCore
import CloudModel
import CloudStore

/// The `firewallrule`, `portforwardingrule` and `loadbalancer` response objects, a page at a time.
enum NetworkRuleResponses {
    static func render(_ rules: [NetworkRule], store: CloudStore) async throws -> [APIValue] {
        guard !rules.isEmpty else { return [] }
        let ips = Dictionary(
            try await store.list(PublicIPAddress.self, ListQuery(idIn: Array(Set(rules.compactMap(\.ipAddressId)))))
                .items.map { ($0.id, $0) }
        ) { first, _ in first }
        let vms = Dictionary(
            try await store.list(VirtualMachine.self, ListQuery(idIn: Array(Set(rules.compactMap(\.vmId))))).items.map {
                ($0.id, $0)
            }
        ) { first, _ in first }
        var nicQuery = ListQuery(idIn: Array(Set(rules.compactMap(\.vmId))))
        nicQuery.inColumn = "vm_id"
        let nics = try await store.list(Nic.self, nicQuery).items
        let owners = try await OwnerNames.load(rules.map(\.accountId), store: store)
        let tags = try await store.tags(of: rules.map(\.id), resourceType: "FirewallRule")
        return rules.map { rule in
            let ip = rule.ipAddressId.flatMap { ips[$0] }
            var fields: [(String, APIValue)] = [
                ("id", .string(rule.id)), ("protocol", .string(rule.protocolName)), ("state", .string(rule.state)),
                ("networkid", .string(rule.networkId)), ("cidrlist", .string(rule.cidrList)),
                ("fordisplay", .bool(true)),
            ]
            if let ip {
                fields += [("ipaddressid", .string(ip.id)), ("ipaddress", .string(ip.address))]
            }
            switch rule.purpose {
            case .firewall:
                if let start = rule.startPort { fields.append(("startport", .int(start))) }
                if let end = rule.endPort { fields.append(("endport", .int(end))) }
                if let type = rule.icmpType { fields.append(("icmptype", .int(type))) }
                if let code = rule.icmpCode { fields.append(("icmpcode", .int(code))) }
                fields.append(("traffictype", .string(rule.trafficType)))
                if rule.trafficType == "Egress" { fields.append(("destcidrlist", .string(""))) }
            case .portForwarding:
                let vm = rule.vmId.flatMap { vms[$0] }
                fields += [
                    ("publicport", .string(String(rule.startPort ?? 0))),
                    ("publicendport", .string(String(rule.endPort ?? 0))),
                    ("privateport", .string(String(rule.privateStartPort ?? 0))),
                    ("privateendport", .string(String(rule.privateEndPort ?? 0))),
                    ("virtualmachineid", .string(rule.vmId ?? "")), ("virtualmachinename", .string(vm?.name ?? "")),
                    ("virtualmachinedisplayname", .string(vm?.displayName ?? "")),
                    (
                        "vmguestip",
                        .string(nics.first { $0.vmId == rule.vmId && $0.networkId == rule.networkId }?.ipAddress ?? "")
                    ),
                ]
            case .loadBalancing:
                fields += [
                    ("name", .string(rule.name ?? "")), ("description", .string(rule.name ?? "")),
                    ("algorithm", .string(rule.algorithm ?? "roundrobin")),
                    ("publicport", .string(String(rule.startPort ?? 0))),
                    ("privateport", .string(String(rule.privateStartPort ?? 0))),
                    ("publicipid", .string(ip?.id ?? "")), ("publicip", .string(ip?.address ?? "")),
                    ("zoneid", .string(ip?.zoneId ?? "")),
                ]
            }
            fields += owners.fields(rule.accountId)
            fields.append(("tags", .array((tags[rule.id] ?? []).map { TagCommands.render($0, account: nil) })))
            return .object(fields)
        }
    }

    /// 537 when `rule` overlaps an existing rule of the same kind on its IP: firewall rules with firewall rules,
    /// port forwarding and load balancing with each other (CloudStack's `detectRulesConflict`).
    static func checkConflicts(_ rule: NetworkRule, store: CloudStore) async throws {
        guard let ipId = rule.ipAddressId else { return }
        let existing = try await store.list(NetworkRule.self, ListQuery(equals: [("ip_address_id", ipId)])).items
        for other in existing where other.id != rule.id {
            let sameFamily = (rule.purpose == .firewall) == (other.purpose == .firewall)
            guard sameFamily else { continue }
            let overlaps: Bool
            if rule.purpose == .firewall {
                overlaps =
                    rule.protocolName == other.protocolName && rule.cidrList == other.cidrList
                    && (rule.startPort == nil
                        ? other.startPort == nil && rule.protocolName != "icmp" : rule.conflicts(with: other))
            } else {
                overlaps = rule.conflicts(with: other)
            }
            if overlaps {
                throw CloudError(
                    .networkRuleConflict,
                    csErrorCode: 4370,
                    "The range specified, \(rule.startPort.map(String.init) ?? "")-\(rule.endPort.map(String.init) ?? ""), conflicts with rule \(other.id) which has \(other.startPort.map(String.init) ?? "")-\(other.endPort.map(String.init) ?? "")"
                )
            }
        }
    }
}
