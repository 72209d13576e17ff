import CloudModel
import CloudStore
import Foundation
import Orchestrator

extension NetworkService {
    /// The default gateway and netmask of an isolated network created without them (CloudStack's
    /// `guest.network.cidr`).
    public static let defaultIsolatedGateway = ("10.1.1.1", "255.255.255.0")

    /// What createNetwork is asked for, as given (the core checks and derives the rest).
    public struct CreateRequest: Sendable {
        /// The name.
        public var name: String
        /// The display text.
        public var displayText: String?
        /// The offering's UUID.
        public var networkOfferingId: String
        /// The zone's UUID.
        public var zoneId: String
        /// The gateway (with ``netmask``; default for isolated networks outside VPCs).
        public var gateway: String?
        /// The netmask.
        public var netmask: String?
        /// The first address of the range handed to NICs.
        public var startIp: String?
        /// The last address of the range handed to NICs.
        public var endIp: String?
        /// The network domain.
        public var networkDomain: String?
        /// The VPC of a tier.
        public var vpcId: String?
        /// The ACL list of a tier.
        public var aclId: String?
        /// Who owns the network (a shared network without an account is everyone's).
        public var owner: OwnerRequest

        /// Creates a request.
        public init(
            name: String,
            displayText: String? = nil,
            networkOfferingId: String,
            zoneId: String,
            gateway: String? = nil,
            netmask: String? = nil,
            startIp: String? = nil,
            endIp: String? = nil,
            networkDomain: String? = nil,
            vpcId: String? = nil,
            aclId: String? = nil,
            owner: OwnerRequest = OwnerRequest()
        ) {
            self.name = name
            self.displayText = displayText
            self.networkOfferingId = networkOfferingId
            self.zoneId = zoneId
            self.gateway = gateway
            self.netmask = netmask
            self.startIp = startIp
            self.endIp = endIp
            self.networkDomain = networkDomain
            self.vpcId = vpcId
            self.aclId = aclId
            self.owner = owner
        }
    }

    /// Creates a guest network (createNetwork): an isolated network (with its source NAT address when the offering
    /// provides one), a shared zone network (root admin), or a tier of a VPC.
    /// - Throws: 431 for unknown ids, a disabled or unfit offering, bad or overlapping addresses; 531 out of reach;
    ///   533 when no public address is free for source NAT; 535 over the owner's `network` limit.
    public func create(_ access: Access, _ request: CreateRequest) async throws -> Network {
        guard let offering = try await self.store.get(NetworkOffering.self, id: request.networkOfferingId) else {
            throw access.unknown("networkofferingid", request.networkOfferingId)
        }
        guard let zone = try await self.store.get(Zone.self, id: request.zoneId) else {
            throw access.unknown("zoneid", request.zoneId)
        }
        let owner = try await access.targetAccount(request.owner)
        guard offering.state == "Enabled" else {
            throw CloudError(.paramError, csErrorCode: 4350, "Network offering \(offering.name) is not enabled")
        }
        guard offering.guestType != "L2" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Invalid parameter networkofferingid: ZooStack does not create L2 networks (offering \(offering.name))"
            )
        }
        let shared = offering.guestType == "Shared"
        if shared && access.caller.role != .rootAdmin {
            throw Access.permissionDenied("Only Admins can create shared networks")
        }
        var vpc: VPC?
        if let vpcId = request.vpcId {
            let found = try await self.services.vpcs.owned(access, id: vpcId, parameter: "vpcid")
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
        let (gateway, netmask) = try Self.gateway(access, request, shared: shared, inVPC: vpc != nil)
        let (subnet, start, end) = try Self.range(access, request, gateway: gateway, netmask: netmask)
        // Shared networks of a zone and the tiers of a VPC must not overlap (isolated networks may reuse CIDRs).
        if shared || vpc != nil {
            var query = ListQuery(equals: [("zone_id", zone.id)])
            if let vpc {
                query.equals.append(("vpc_id", vpc.id))
            } else {
                query.equals.append(("guest_type", "Shared"))
            }
            for other in try await self.store.list(Network.self, query).items {
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
        let aclId = try await self.services.networkACLs.tierACLId(access, vpc: vpc, aclId: request.aclId)
        let sharedForAll = shared && request.owner.account == nil
        let network = Network(
            id: UUID().uuidString.lowercased(),
            name: request.name,
            zoneId: zone.id,
            gateway: gateway,
            netmask: subnet.netmask,
            startIp: IPv4Subnet.text(start),
            endIp: IPv4Subnet.text(end),
            accountId: sharedForAll ? nil : owner.id,
            networkOfferingId: offering.id,
            displayText: request.displayText,
            guestType: offering.guestType,
            state: shared ? "Setup" : "Implemented",
            vpcId: vpc?.id,
            aclId: aclId,
            networkDomain: request.networkDomain ?? "cs\(owner.id.prefix(4)).cloud.internal",
            created: self.services.clock.now
        )
        // Guest networks an account owns count against its `network` limit; shared networks do not.
        try await self.withinLimits(of: network.accountId, shared ? [:] : [.network: 1]) {
            try await self.store.insert(network)
        }
        if offering.provides("SourceNat") && vpc == nil {
            // The source NAT address of an isolated network, taken when the network is created (CloudStack takes
            // it when the network is first implemented).
            guard
                try await self.store.allocatePublicIP(
                    zoneId: zone.id,
                    accountId: owner.id,
                    networkId: network.id,
                    vpcId: nil,
                    sourceNat: true
                ) != nil
            else {
                try await self.store.deleteNetwork(id: network.id)
                throw CloudError(
                    .insufficientCapacity,
                    csErrorCode: 4325,
                    "Insufficient address capacity: no free public IP address in zone \(zone.name) for source NAT"
                )
            }
        }
        return network
    }

    /// The gateway and netmask of a new network: both given, or the default for an isolated network outside VPCs.
    static func gateway(
        _ access: Access,
        _ request: CreateRequest,
        shared: Bool,
        inVPC: Bool
    ) throws -> (String, String) {
        switch (request.gateway, request.netmask) {
        case (let g?, let m?): return (g, m)
        case (nil, nil) where !shared && !inVPC: return Self.defaultIsolatedGateway
        case (nil, nil):
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                shared
                    ? "gateway and netmask are required when creating a shared network"
                    : "gateway and netmask are required when creating a VPC tier"
            )
        case (_?, nil): throw CloudError.missingParameter(access.command, "netmask")
        case (nil, _?): throw CloudError.missingParameter(access.command, "gateway")
        }
    }

    /// The subnet of a new network and the range of addresses it hands to NICs (without the gateway).
    static func range(
        _ access: Access,
        _ request: CreateRequest,
        gateway: String,
        netmask: String
    ) throws -> (subnet: IPv4Subnet, start: UInt32, end: UInt32) {
        guard IPv4Subnet.address(gateway) != nil else {
            throw CloudError.invalidParameter(access.command, "gateway", gateway)
        }
        guard let subnet = IPv4Subnet(gateway: gateway, netmask: netmask) else {
            throw CloudError.invalidParameter(access.command, "netmask", netmask)
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
        for (parameter, given, bound) in [("startip", request.startIp, 0), ("endip", request.endIp, 1)] {
            guard let text = given else { continue }
            guard let value = IPv4Subnet.address(text), subnet.contains(value), value >= subnet.firstHost,
                value <= subnet.lastHost
            else { throw CloudError.invalidParameter(access.command, parameter, text) }
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
        return (subnet, start, end)
    }

    /// Runs `body`, which creates resources for `accountId`, within that account's resource limits (none apply
    /// without an account or to an unknown one).
    func withinLimits<T: Sendable>(
        of accountId: String?,
        _ demands: [ResourceType: Int],
        _ body: () async throws -> T
    ) async throws -> T {
        guard let accountId, let owner = try await self.store.get(Account.self, id: accountId) else {
            return try await body()
        }
        let limits = self.services.limits
        return try await limits.withReservation(for: owner, demands, body)
    }
}
