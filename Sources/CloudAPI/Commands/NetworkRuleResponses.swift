import CloudCore
import CloudModel

/// The `firewallrule`, `portforwardingrule`, `loadbalancer` and `ipforwardingrule` response objects, a page at a
/// time.
enum NetworkRuleResponses {
    static func render(_ rules: [NetworkRule], core: CloudServices) async throws -> [APIValue] {
        guard !rules.isEmpty else { return [] }
        let details = try await core.firewall.details(of: rules)
        let owners = try await OwnerNames.load(rules.map(\.accountId), core: core)
        return rules.map { rule in
            let ip = rule.ipAddressId.flatMap { details.ips[$0] }
            var fields: [(String, APIValue)] = [
                ("id", .string(rule.id)), ("protocol", .string(rule.protocolName)), ("state", .string(rule.state)),
                ("networkid", .string(rule.networkId)), ("cidrlist", .string(rule.cidrList)),
                ("fordisplay", .bool(rule.forDisplay ?? true)),
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
                let vm = rule.vmId.flatMap { details.vms[$0] }
                let guestIP = details.nics.first { $0.vmId == rule.vmId && $0.networkId == rule.networkId }?.ipAddress
                fields += [
                    ("publicport", .string(String(rule.startPort ?? 0))),
                    ("publicendport", .string(String(rule.endPort ?? 0))),
                    ("privateport", .string(String(rule.privateStartPort ?? 0))),
                    ("privateendport", .string(String(rule.privateEndPort ?? 0))),
                    ("virtualmachineid", .string(rule.vmId ?? "")), ("virtualmachinename", .string(vm?.name ?? "")),
                    ("virtualmachinedisplayname", .string(vm?.displayName ?? "")),
                    ("vmguestip", .string(guestIP ?? "")),
                ]
            case .staticNat:
                // CloudStack's IpForwardingRuleResponse: the public ports as numbers, the VM of the address.
                let vm = rule.vmId.flatMap { details.vms[$0] }
                fields += [
                    ("startport", .int(rule.startPort ?? 0)), ("endport", .int(rule.endPort ?? rule.startPort ?? 0)),
                    ("virtualmachineid", .string(rule.vmId ?? "")), ("virtualmachinename", .string(vm?.name ?? "")),
                    ("virtualmachinedisplayname", .string(vm?.displayName ?? "")),
                ]
            case .loadBalancing:
                fields += [
                    ("name", .string(rule.name ?? "")),
                    ("description", .string(rule.ruleDescription ?? rule.name ?? "")),
                    ("algorithm", .string(rule.algorithm ?? "roundrobin")),
                    ("publicport", .string(String(rule.startPort ?? 0))),
                    ("privateport", .string(String(rule.privateStartPort ?? 0))),
                    ("publicipid", .string(ip?.id ?? "")), ("publicip", .string(ip?.address ?? "")),
                    ("zoneid", .string(ip?.zoneId ?? "")),
                ]
            }
            fields += owners.fields(rule.accountId)
            let tags = details.tags[rule.id] ?? []
            fields.append(("tags", .array(tags.map { TagCommands.render($0, account: nil) })))
            return .object(fields)
        }
    }
}
