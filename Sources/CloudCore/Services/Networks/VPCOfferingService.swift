import CloudModel
import CloudStore
import Foundation

/// VPC offerings (CloudStack's `VpcProvisioningService`): the defaults a fresh CloudStack has, and the root admin's
/// own, created disabled unless asked (`enable`), as CloudStack does.
public struct VPCOfferingService: Sendable {
    /// The services every VPC offering may provide.
    public static let supportedServices = [
        "Dhcp", "Dns", "UserData", "SourceNat", "StaticNat", "PortForwarding", "Lb", "NetworkACL", "Vpn", "Gateway",
    ]
    /// The defaults' services.
    public static let defaultServices = "Dhcp,Dns,UserData,SourceNat,StaticNat,PortForwarding,Lb,NetworkACL,Vpn"

    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// What listVPCOfferings filters on besides the common list parameters.
    public struct ListFilter: Sendable {
        /// `isdefault`.
        public var isDefault: Bool?
        /// `state` (any case).
        public var state: String?
        /// `displaytext`.
        public var displayText: String?
        /// `supportedservices`: offerings providing all of them.
        public var supportedServices: [String]?

        /// A filter.
        public init(
            isDefault: Bool? = nil,
            state: String? = nil,
            displayText: String? = nil,
            supportedServices: [String]? = nil
        ) {
            self.isDefault = isDefault
            self.state = state
            self.displayText = displayText
            self.supportedServices = supportedServices
        }
    }

    /// The offerings (listVPCOfferings): `name` matches whole names in any case, as CloudStack's SQL does.
    /// - Throws: 431 for bad paging.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        _ filter: ListFilter
    ) async throws -> ListPage<VPCOffering> {
        var unnamed = request
        unnamed.name = nil
        var query = try access.query(unnamed)
        let pageSize = query.pageSize
        let page = query.page
        query.pageSize = nil
        query.page = 1
        var offerings = try await self.store.list(VPCOffering.self, query).items.sorted {
            ($0.created, $0.name) < ($1.created, $1.name)
        }
        if let name = request.name?.lowercased() { offerings = offerings.filter { $0.name.lowercased() == name } }
        if let isDefault = filter.isDefault { offerings = offerings.filter { $0.isDefault == isDefault } }
        if let state = filter.state?.lowercased() { offerings = offerings.filter { $0.state.lowercased() == state } }
        if let text = filter.displayText { offerings = offerings.filter { $0.displayText == text } }
        if let wanted = filter.supportedServices?.map({ $0.lowercased() }) {
            offerings = offerings.filter { offering in
                wanted.allSatisfy { service in offering.serviceList.contains { $0.lowercased() == service } }
            }
        }
        return ListPage(total: offerings.count, items: Access.slice(offerings, page: page, size: pageSize))
    }

    /// Every offering by UUID (there are few: VPC responses name theirs).
    /// - Throws: ``StoreError``.
    public func byId() async throws -> [String: VPCOffering] {
        Dictionary(
            try await self.store.list(VPCOffering.self).items.map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    /// The offering with this UUID.
    /// - Throws: 431 when unknown.
    public func offering(_ access: Access, id: String, parameter: String = "id") async throws -> VPCOffering {
        guard let offering = try await self.store.get(VPCOffering.self, id: id) else {
            throw access.unknown(parameter, id)
        }
        return offering
    }

    /// Creates an offering (createVPCOffering).
    /// - Parameters:
    ///   - access: the caller's access (a root admin: the command says so).
    ///   - name: the unique name.
    ///   - displayText: the display text (default: the name).
    ///   - services: the services (default: the defaults'), each one of ``supportedServices``.
    ///   - enable: whether it starts Enabled (CloudStack creates offerings Disabled).
    /// - Returns: the stored offering.
    /// - Throws: 431 for an unknown service or a name in use.
    public func create(
        _ access: Access,
        name: String,
        displayText: String?,
        services: [String]?,
        enable: Bool
    ) async throws -> VPCOffering {
        var chosen: [String] = []
        for service in services ?? Self.defaultServices.split(separator: ",").map(String.init) {
            guard let known = Self.supportedServices.first(where: { $0.lowercased() == service.lowercased() }) else {
                throw CloudError(.paramError, csErrorCode: 4350, "Invalid service \(service)")
            }
            if !chosen.contains(known) { chosen.append(known) }
        }
        guard !chosen.isEmpty else {
            throw CloudError(.paramError, csErrorCode: 4350, "Invalid parameter supportedservices: no service")
        }
        try await self.requireFreeName(name, except: nil)
        let offering = VPCOffering(
            id: UUID().uuidString.lowercased(),
            name: name,
            displayText: displayText ?? name,
            state: enable ? "Enabled" : "Disabled",
            services: chosen.joined(separator: ","),
            created: self.services.clock.now
        )
        try await self.store.insert(offering)
        return offering
    }

    /// Changes an offering's name, display text or state (updateVPCOffering).
    /// - Throws: 431 for an unknown offering, a state other than Enabled/Disabled, or a name in use.
    public func update(
        _ access: Access,
        id: String,
        name: String?,
        displayText: String?,
        state: String?
    ) async throws -> VPCOffering {
        var offering = try await self.offering(access, id: id)
        if let name, name != offering.name {
            try await self.requireFreeName(name, except: offering.id)
            offering.name = name
        }
        if let displayText { offering.displayText = displayText }
        if let state {
            guard let known = ["Enabled", "Disabled"].first(where: { $0.lowercased() == state.lowercased() }) else {
                throw CloudError(.paramError, csErrorCode: 4350, "Incorrect state value: \(state)")
            }
            offering.state = known
        }
        try await self.store.replace(offering, id: offering.id)
        return offering
    }

    /// Deletes an offering (deleteVPCOffering): never a default one, nor one that VPCs use.
    /// - Throws: 431 for an unknown or default offering, 536 while VPCs use it.
    public func delete(_ access: Access, id: String) async throws {
        let offering = try await self.offering(access, id: id)
        guard !offering.isDefault else {
            throw CloudError(.paramError, csErrorCode: 4350, "Default network offering can't be deleted")
        }
        let used = try await self.store.list(VPC.self, ListQuery(equals: [("vpc_offering_id", offering.id)])).total
        guard used == 0 else {
            throw CloudError(
                .resourceInUse,
                csErrorCode: 4375,
                "Can't delete vpc offering \(offering.id) as its used by \(used) vpcs. To make the network offering unavailable, disable it"
            )
        }
        try await self.store.delete(VPCOffering.self, id: offering.id)
    }

    private func requireFreeName(_ name: String, except id: String?) async throws {
        let clash = try await self.store.list(VPCOffering.self).items.contains {
            $0.name.lowercased() == name.lowercased() && $0.id != id
        }
        guard !clash else {
            throw CloudError(.paramError, csErrorCode: 4350, "VPC offering with name \(name) already exists")
        }
    }
}

extension CloudServices {
    /// VPC offerings.
    public var vpcOfferings: VPCOfferingService { VPCOfferingService(services: self) }
}
