import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

extension NetworkCommands {
    static let createNetwork = CommandDescriptor(
        "createNetwork",
        "Creates a network",
        events: .records(CommandEvent(.networkCreate, "creating network", .network)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the network"),
            ParameterDescriptor("displaytext", .string, "the display text of the network"),
            ParameterDescriptor("networkofferingid", .uuid, required: true, "the network offering ID"),
            ParameterDescriptor("zoneid", .uuid, required: true, "the zone ID for the network"),
            ParameterDescriptor("gateway", .string, "the gateway of the network"),
            ParameterDescriptor("netmask", .string, "the netmask of the network"),
            ParameterDescriptor("startip", .string, "the beginning IP address in the network IP range"),
            ParameterDescriptor("endip", .string, "the ending IP address in the network IP range"),
            ParameterDescriptor("networkdomain", .string, "network domain"),
            ParameterDescriptor("vpcid", .uuid, "the VPC network belongs to"),
            ParameterDescriptor("aclid", .uuid, "Network ACL ID associated for the network"),
            ParameterDescriptor("account", .string, "account that will own the network"),
            ParameterDescriptor("domainid", .uuid, "domain ID of the account owning a network"),
            ParameterDescriptor("projectid", .uuid, "an optional project for the network"),
            ParameterDescriptor("vlan", .string, "the ID or VID of the network"),
            ParameterDescriptor("acltype", .string, "Access control type; supported values are account and domain"),
        ]
    ) { context in
        let offering = try await context.entity(NetworkOffering.self, "networkofferingid")
        let zone = try await context.entity(Zone.self, "zoneid")
        let owner = try await context.targetAccount()
        guard offering.state == "Enabled" else {
            throw CloudError(.paramError, csErrorCode: 4350, "Network offering \(offering.name) is not enabled")
        }
        let shared = offering.guestType == "Shared"
        if shared && context.caller.role != .rootAdmin {
            throw CommandContext.permissionDenied("Only Admins can create shared networks")
        }
        var vpc: VPC?
        if context.string("vpcid") != nil {
            let found = try await VPCCommands.ownedVPC(context, "vpcid")
            guard offering.forVpc else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Network offering \(offering.name) can't be used for VPC networks"
                )
            }
            vpc = found
        } else if offering.forVpc {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Network offering \(offering.name) can be used for VPC networks only; specify vpcid"
            )
        }
        let (gateway, netmask): (String, String)
        switch (context.string("gateway"), context.string("netmask")) {
        case (let g?, let m?): (gateway, netmask) = (g, m)
        case (nil, nil) where !shared && vpc == nil: (gateway, netmask) = Self.defaultIsolatedGateway
        case (nil, nil):
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                shared
                    ? "gateway and netmask are required when creating a shared network"
                    : "gateway and netmask are required when creating a VPC tier"
            )
        case (_?, nil): throw CloudError.missingParameter(context.command, "netmask")
        case (nil, _?): throw CloudError.missingParameter(context.command, "gateway")
        }
        guard IPv4Subnet.address(gateway) != nil else {
            throw CloudError.invalidParameter(context.command, "gateway", gateway)
        }
        guard let subnet = IPv4Subnet(gateway: gateway, netmask: netmask) else {
            throw CloudError.invalidParameter(context.command, "netmask", netmask)
        }
        let gatewayValue = IPv4Subnet.address(gateway) ?? 0
        guard subnet.contains(gatewayValue), gatewayValue != subnet.network, gatewayValue != subnet.lastHost + 1 else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The gateway \(gateway) is not a host address of \(subnet)"
            )
        }
        var start = subnet.firstHost
        var end = subnet.lastHost
        for (parameter, bound) in [("startip", 0), ("endip", 1)] {
            guard let text = context.string(parameter) else { continue }
            guard let value = IPv4Subnet.address(text), subnet.contains(value), value >= subnet.firstHost,
                value <= subnet.lastHost
            else { throw CloudError.invalidParameter(context.command, parameter, text) }
            if bound == 0 { start = value } else { end = value }
        }
        guard start <= end else {
            throw CloudError(.paramError, csErrorCode: 4350, "startip must not be greater than endip")
        }
        // The gateway is never handed to a NIC: when it sits at an end of the range, the range shrinks past it.
        if start == gatewayValue { start += 1 }
        if end == gatewayValue { end -= 1 }
        guard start <= end else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The IP range of \(subnet) holds no address but the gateway"
            )
        }
        let store = context.server.store
        // Shared networks of a zone and the tiers of a VPC must not overlap (isolated networks may reuse CIDRs).
        if shared || vpc != nil {
            var query = ListQuery(equals: [("zone_id", zone.id)])
            if let vpc {
                query.equals.append(("vpc_id", vpc.id))
            } else {
                query.equals.append(("guest_type", "Shared"))
            }
            for other in try await store.list(Network.self, query).items {
                guard let otherSubnet = IPv4Subnet(gateway: other.gateway, netmask: other.netmask),
                    otherSubnet.overlaps(subnet)
                else { continue }
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "The CIDR \(subnet) overlaps the CIDR \(otherSubnet) of network \(other.name)"
                )
            }
        }
        if let vpc, let vpcSubnet = IPv4Subnet(cidr: vpc.cidr),
            !(vpcSubnet.contains(subnet.network) && subnet.prefix >= vpcSubnet.prefix)
        {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The CIDR \(subnet) of the tier is not within the CIDR \(vpc.cidr) of VPC \(vpc.name)"
            )
        }
        let aclId = try await VPCCommands.aclId(context, vpc: vpc)
        let sharedForAll = shared && context.string("account") == nil
        let network = Network(
            id: UUID().uuidString.lowercased(),
            name: try context.required("name"),
            zoneId: zone.id,
            gateway: gateway,
            netmask: subnet.netmask,
            startIp: IPv4Subnet.text(start),
            endIp: IPv4Subnet.text(end),
            accountId: sharedForAll ? nil : owner.id,
            networkOfferingId: offering.id,
            displayText: context.string("displaytext"),
            guestType: offering.guestType,
            state: shared ? "Setup" : "Implemented",
            vpcId: vpc?.id,
            aclId: aclId,
            networkDomain: context.string("networkdomain") ?? "cs\(owner.id.prefix(4)).cloud.internal",
            created: Timestamp.now
        )
        // Guest networks an account owns count against its `network` limit; shared networks do not.
        try await context.withinLimits(of: network.accountId, shared ? [:] : [.network: 1]) {
            try await store.insert(network)
        }
        if offering.provides("SourceNat") && vpc == nil {
            // The source NAT address of an isolated network, taken when the network is created (CloudStack takes
            // it when the network is first implemented).
            guard
                try await store.allocatePublicIP(
                    zoneId: zone.id,
                    accountId: owner.id,
                    networkId: network.id,
                    vpcId: nil,
                    sourceNat: true
                ) != nil
            else {
                try await store.deleteNetwork(id: network.id)
                throw CloudError(
                    .insufficientCapacity,
                    csErrorCode: 4325,
                    "Insufficient address capacity: no free public IP address in zone \(zone.name) for source NAT"
                )
            }
        }
        return .object(name: "network", try await NetworkResponses.render([network], store: store)[0])
    }
}
