import CloudCore
import CloudModel

/// The `network`, `networkoffering` and `nic` response objects.
enum NetworkResponses {
    /// A network offering (NetworkOfferingResponse).
    static func offering(_ offering: NetworkOffering) -> APIValue {
        .object([
            ("id", .string(offering.id)), ("name", .string(offering.name)),
            ("displaytext", .string(offering.displayText)), ("traffictype", .string("Guest")),
            ("isdefault", .bool(offering.isDefault)), ("specifyvlan", .bool(offering.specifyIpRanges)),
            ("conservemode", .bool(true)), ("specifyipranges", .bool(offering.specifyIpRanges)),
            (
                "availability",
                .string(offering.name == "DefaultIsolatedNetworkOfferingWithSourceNatService" ? "Required" : "Optional")
            ),
            ("networkrate", .int(200)), ("state", .string(offering.state)),
            ("guestiptype", .string(offering.guestType)),
            ("forvpc", .bool(offering.forVpc)), ("egressdefaultpolicy", .bool(offering.egressDefaultPolicy)),
            ("ispersistent", .bool(false)), ("supportsstrechedl2subnet", .bool(false)),
            ("created", .string(DateFormat.string(offering.created))),
            ("service", .array(offering.serviceList.map { Self.service($0) })),
        ])
    }

    static func service(_ name: String) -> APIValue {
        let provider =
            name == "SecurityGroup"
            ? "SecurityGroupProvider" : name == "NetworkACL" ? "VpcVirtualRouter" : "VirtualRouter"
        return .object([("name", .string(name)), ("provider", .array([.object([("name", .string(provider))])]))])
    }

    /// A page of networks with their zones, offerings, owners and tags (one query per related table).
    static func render(_ networks: [Network], core: CloudServices) async throws -> [APIValue] {
        guard !networks.isEmpty else { return [] }
        return Self.render(networks, try await core.networks.relations(of: networks))
    }

    /// A page of networks with what the core loaded beside them.
    static func render(_ networks: [Network], _ relations: NetworkRelations) -> [APIValue] {
        Self.render(
            networks,
            zones: relations.zones,
            offerings: relations.offerings,
            owners: OwnerNames(relations.owners),
            tags: relations.tags
        )
    }

    static func render(
        _ networks: [Network],
        zones: [String: Zone],
        offerings: [String: NetworkOffering],
        owners: OwnerNames,
        tags: [String: [ResourceTag]]
    ) -> [APIValue] {
        networks.map { network in
            let offering = network.networkOfferingId.flatMap { offerings[$0] }
            let cidr = IPv4Subnet(gateway: network.gateway, netmask: network.netmask)?.description ?? ""
            var fields: [(String, APIValue)] = [
                ("id", .string(network.id)), ("name", .string(network.name)),
                ("displaytext", .string(network.displayText.isEmpty ? network.name : network.displayText)),
                ("broadcastdomaintype", .string("Vlan")), ("traffictype", .string("Guest")),
                ("gateway", .string(network.gateway)), ("netmask", .string(network.netmask)), ("cidr", .string(cidr)),
                ("zoneid", .string(network.zoneId)), ("zonename", .string(zones[network.zoneId]?.name ?? "")),
                ("networkofferingid", .string(network.networkOfferingId ?? "")),
                ("networkofferingname", .string(offering?.name ?? "")),
                ("networkofferingdisplaytext", .string(offering?.displayText ?? "")),
                ("networkofferingconservemode", .bool(true)), ("networkofferingavailability", .string("Optional")),
                ("issystem", .bool(false)), ("state", .string(network.state)), ("related", .string(network.id)),
                ("dns1", .string("8.8.8.8")), ("type", .string(network.guestType)),
                ("acltype", .string(network.accountId == nil ? "Domain" : "Account")),
                ("networkdomain", .string(network.networkDomain)), ("restartrequired", .bool(false)),
                ("specifyipranges", .bool(offering?.specifyIpRanges ?? false)), ("canusefordeploy", .bool(true)),
                ("ispersistent", .bool(false)), ("displaynetwork", .bool(true)),
                ("created", .string(DateFormat.string(network.created))),
            ]
            fields += owners.fields(network.accountId)
            if let vpcId = network.vpcId { fields.append(("vpcid", .string(vpcId))) }
            if let aclId = network.aclId { fields.append(("aclid", .string(aclId))) }
            fields.append(
                ("service", .array((offering?.serviceList ?? ["Dhcp", "Dns", "UserData"]).map { Self.service($0) }))
            )
            fields.append(("tags", .array((tags[network.id] ?? []).map { TagCommands.render($0, account: nil) })))
            return .object(fields)
        }
    }

    /// A NIC (NicResponse), as listNics and the VM's `nic` array show it.
    static func nic(_ nic: Nic, network: Network?) -> APIValue {
        .object([
            ("id", .string(nic.id)), ("networkid", .string(nic.networkId)),
            ("networkname", .string(network?.name ?? "")), ("ipaddress", .string(nic.ipAddress)),
            ("netmask", .string(nic.netmask)), ("gateway", .string(nic.gateway)),
            ("macaddress", .string(nic.macAddress)), ("isdefault", .bool(nic.isDefault)),
            ("traffictype", .string("Guest")), ("type", .string(network?.guestType ?? "Shared")),
            ("broadcasturi", .string("vlan://untagged")), ("isolationuri", .string("vlan://untagged")),
            ("virtualmachineid", .string(nic.vmId)),
        ])
    }
}
