import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// VPCs (CloudStack's `VpcService`): creating (with its source NAT address), listing and
/// deleting VPCs; tiers are networks created with a VPC (``NetworkService/create(_:_:)``).
public struct VPCService: Sendable {
    /// The UUID of the seeded `Default VPC offering` (fixed: VPCs from before offerings were rows name it).
    public static let defaultOfferingId = "8a3b3a4e-0000-4000-8000-0000000000a1"
    /// The name of the default VPC offering.
    public static let defaultOfferingName = "Default VPC offering"

    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The VPC with this UUID, when the caller may access it.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - id: the VPC's UUID.
    ///   - parameter: the parameter it came in, for the error text.
    /// - Throws: 431 when unknown, 531 out of reach.
    public func owned(_ access: Access, id: String, parameter: String = "id") async throws -> VPC {
        guard let vpc = try await self.store.get(VPC.self, id: id) else { throw access.unknown(parameter, id) }
        guard try await access.mayAccess(accountId: vpc.accountId) else {
            throw Access.permissionDenied(
                "Account \(access.caller.account.name) does not have permission to access VPC \(vpc.id)"
            )
        }
        return vpc
    }

    /// What createVPC is asked for, as given.
    public struct CreateRequest: Sendable {
        /// The name.
        public var name: String
        /// The display text (default: the name).
        public var displayText: String?
        /// The CIDR all tiers must lie in (a prefix of 8 to 28 bits).
        public var cidr: String
        /// The VPC offering's UUID (an Enabled one).
        public var vpcOfferingId: String
        /// The zone's UUID.
        public var zoneId: String
        /// The network domain.
        public var networkDomain: String?
        /// Who owns the VPC.
        public var owner: OwnerRequest

        /// Creates a request.
        public init(
            name: String,
            displayText: String? = nil,
            cidr: String,
            vpcOfferingId: String,
            zoneId: String,
            networkDomain: String? = nil,
            owner: OwnerRequest = OwnerRequest()
        ) {
            self.name = name
            self.displayText = displayText
            self.cidr = cidr
            self.vpcOfferingId = vpcOfferingId
            self.zoneId = zoneId
            self.networkDomain = networkDomain
            self.owner = owner
        }
    }

    /// Creates a VPC (createVPC), within the owner's `vpc` limit; take its source NAT address with
    /// ``allocateSourceNAT(_:zone:)``.
    /// - Returns: the stored VPC and its zone.
    /// - Throws: 431 for an unknown zone or offering or a bad CIDR; ``Access`` errors; 535 over the limit.
    public func create(_ access: Access, _ request: CreateRequest) async throws -> (vpc: VPC, zone: Zone) {
        guard let zone = try await self.store.get(Zone.self, id: request.zoneId) else {
            throw access.unknown("zoneid", request.zoneId)
        }
        let owner = try await access.targetAccount(request.owner)
        guard let offering = try await self.store.get(VPCOffering.self, id: request.vpcOfferingId) else {
            throw access.unknown("vpcofferingid", request.vpcOfferingId)
        }
        guard offering.state == "Enabled" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to find vpc offering in Enabled state by specified id (vpcofferingid)"
            )
        }
        guard let subnet = IPv4Subnet(cidr: request.cidr), (8...28).contains(subnet.prefix) else {
            throw access.unknown("cidr", request.cidr)
        }
        let vpc = VPC(
            id: UUID().uuidString.lowercased(),
            name: request.name,
            displayText: request.displayText ?? request.name,
            zoneId: zone.id,
            cidr: subnet.description,
            accountId: owner.id,
            vpcOfferingId: request.vpcOfferingId,
            networkDomain: request.networkDomain ?? "cs\(owner.id.prefix(4)).cloud.internal",
            created: self.services.clock.now
        )
        let limits = self.services.limits
        try await limits.withReservation(for: owner, [.vpc: 1]) { try await self.store.insert(vpc) }
        return (vpc, zone)
    }

    /// Takes the source NAT address of a new VPC; without a free address in its zone, the VPC is removed.
    /// - Throws: 533 when the zone has no free public address.
    public func allocateSourceNAT(_ vpc: VPC, zone: Zone) async throws {
        guard
            try await self.store.allocatePublicIP(
                zoneId: zone.id,
                accountId: vpc.accountId,
                networkId: nil,
                vpcId: vpc.id,
                sourceNat: true
            ) != nil
        else {
            try await self.store.deleteVPC(id: vpc.id)
            throw CloudError(
                .insufficientCapacity,
                csErrorCode: 4325,
                "Insufficient address capacity: no free public IP address in zone \(zone.name) for source NAT"
            )
        }
    }

    /// What listVPCs filters on besides the common list and scope parameters.
    public struct ListFilter: Sendable {
        /// `zoneid`.
        public var zoneId: String?
        /// `cidr`.
        public var cidr: String?
        /// `state`.
        public var state: String?
        /// `vpcofferingid`.
        public var vpcOfferingId: String?

        /// Creates a filter; every field is optional.
        public init(zoneId: String? = nil, cidr: String? = nil, state: String? = nil, vpcOfferingId: String? = nil) {
            self.zoneId = zoneId
            self.cidr = cidr
            self.state = state
            self.vpcOfferingId = vpcOfferingId
        }
    }

    /// The VPCs the caller may see (listVPCs).
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(_ access: Access, _ request: ListRequest, _ filter: ListFilter) async throws -> ListPage<VPC> {
        var filters: [(column: String, value: String)] = []
        for (value, column) in [
            (filter.zoneId, "zone_id"), (filter.cidr, "cidr"), (filter.state, "state"),
            (filter.vpcOfferingId, "vpc_offering_id"),
        ] {
            if let value { filters.append((column, value)) }
        }
        var query = try await access.scopedQuery(request, filters)
        query.tags = request.tags
        query.tagResourceType = "Vpc"
        return try await self.store.list(VPC.self, query)
    }

    /// Deletes a VPC (checked with ``owned(_:id:parameter:)``) with its ACL lists, releasing its public IPs.
    /// - Throws: 536 while it has tiers.
    public func delete(_ vpc: VPC) async throws {
        let tiers = try await self.store.list(Network.self, ListQuery(equals: [("vpc_id", vpc.id)])).items
        guard tiers.isEmpty else {
            throw CloudError(
                .resourceInUse,
                csErrorCode: 4375,
                "Unable to delete VPC \(vpc.name): it still has \(tiers.count) network tier(s); delete them first"
            )
        }
        try await self.store.deleteVPC(id: vpc.id)
    }

    /// What the rendering of a page of VPCs shows beside each VPC.
    public struct Relations: Sendable {
        /// The VPCs' owners.
        public var owners: Owners
        /// The tiers of each VPC, by VPC UUID.
        public var tiers: [String: [Network]]
        /// What the tiers' rendering shows.
        public var tierRelations: NetworkRelations
        /// Zone names by UUID.
        public var zoneNames: [String: String]

        /// Creates a set of relations.
        public init(
            owners: Owners = Owners(),
            tiers: [String: [Network]] = [:],
            tierRelations: NetworkRelations = NetworkRelations(),
            zoneNames: [String: String] = [:]
        ) {
            self.owners = owners
            self.tiers = tiers
            self.tierRelations = tierRelations
            self.zoneNames = zoneNames
        }
    }

    /// The owners, tiers (with what their rendering shows) and zone names of a page of VPCs (no query for an empty
    /// page).
    /// - Throws: ``StoreError``.
    public func relations(of vpcs: [VPC]) async throws -> Relations {
        guard !vpcs.isEmpty else { return Relations() }
        let owners = try await self.services.owners(of: vpcs.map(\.accountId))
        var tierQuery = ListQuery(idIn: vpcs.map(\.id))
        tierQuery.inColumn = "vpc_id"
        let tiers = Dictionary(grouping: try await self.store.list(Network.self, tierQuery).items) { $0.vpcId ?? "" }
        let tierRelations = try await self.services.networks.relations(of: tiers.values.flatMap { $0 })
        let zones = Dictionary(try await self.store.list(Zone.self).items.map { ($0.id, $0.name) }) { first, _ in
            first
        }
        return Relations(owners: owners, tiers: tiers, tierRelations: tierRelations, zoneNames: zones)
    }
}

extension CloudServices {
    /// VPCs.
    public var vpcs: VPCService { VPCService(services: self) }
}
