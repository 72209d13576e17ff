import CloudModel
import CloudStore

/// Guest networks (CloudStack's `NetworkService`): the offerings, creating, listing, updating, deleting and
/// restarting networks, and the caller's access to one network (shared zone networks are everyone's to use, the
/// root admin's to change).
public struct NetworkService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The network with this UUID, when the caller may use it: a shared zone network, or one owned by an account in
    /// the caller's reach.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - id: the network's UUID.
    ///   - parameter: the parameter it came in, for the error text.
    /// - Throws: 431 when unknown, 531 out of reach.
    public func usable(_ access: Access, id: String, parameter: String = "id") async throws -> Network {
        guard let network = try await self.store.get(Network.self, id: id) else {
            throw access.unknown(parameter, id)
        }
        try await self.checkAccess(access, network)
        return network
    }

    /// The network with this UUID, when the caller may change it (shared networks: the root admin only).
    /// - Throws: 431 when unknown, 531 out of reach.
    public func owned(_ access: Access, id: String, parameter: String = "id") async throws -> Network {
        let network = try await self.usable(access, id: id, parameter: parameter)
        try await self.checkOwnership(access, network)
        return network
    }

    /// 531 unless the caller may use `network`.
    public func checkAccess(_ access: Access, _ network: Network) async throws {
        guard let owner = network.accountId else { return }
        guard try await access.mayAccess(accountId: owner) else {
            throw Access.permissionDenied(
                "Account \(access.caller.account.name) does not have permission to access network \(network.id)"
            )
        }
    }

    /// 531 unless the caller may change `network` (shared networks: the root admin only).
    public func checkOwnership(_ access: Access, _ network: Network) async throws {
        if network.accountId == nil && access.caller.role != .rootAdmin {
            throw Access.permissionDenied(
                "Account \(access.caller.account.name) does not have permission to operate on network \(network.id)"
            )
        }
        try await self.checkAccess(access, network)
    }

    /// What listNetworkOfferings filters on besides the common list parameters.
    public struct OfferingFilter: Sendable {
        /// `guestiptype`: Shared or Isolated (any case).
        public var guestType: String?
        /// `forvpc`.
        public var forVpc: Bool?
        /// `state` (any case).
        public var state: String?
        /// `supportedservices`: every one must be provided (any case).
        public var supportedServices: [String]?

        /// Creates a filter; every field is optional.
        public init(
            guestType: String? = nil,
            forVpc: Bool? = nil,
            state: String? = nil,
            supportedServices: [String]? = nil
        ) {
            self.guestType = guestType
            self.forVpc = forVpc
            self.state = state
            self.supportedServices = supportedServices
        }
    }

    /// The network offerings (listNetworkOfferings).
    /// - Throws: 431 for bad paging.
    public func offerings(
        _ access: Access,
        _ request: ListRequest,
        _ filter: OfferingFilter
    ) async throws -> ListPage<NetworkOffering> {
        var query = try access.query(request)
        let pageSize = query.pageSize
        let page = query.page
        query.pageSize = nil
        query.page = 1
        var offerings = try await self.store.list(NetworkOffering.self, query).items
        if let type = filter.guestType {
            offerings = offerings.filter { $0.guestType.lowercased() == type.lowercased() }
        }
        if let forVpc = filter.forVpc {
            offerings = offerings.filter { $0.forVpc == forVpc }
        }
        if let state = filter.state {
            offerings = offerings.filter { $0.state.lowercased() == state.lowercased() }
        }
        if let services = filter.supportedServices {
            let wanted = services.map { $0.lowercased() }
            offerings = offerings.filter { offering in
                wanted.allSatisfy { service in offering.serviceList.contains { $0.lowercased() == service } }
            }
        }
        return ListPage(total: offerings.count, items: Access.slice(offerings, page: page, size: pageSize))
    }

    /// What listNetworks filters on besides the common list and scope parameters.
    public struct ListFilter: Sendable {
        /// `zoneid`.
        public var zoneId: String?
        /// `vpcid`.
        public var vpcId: String?
        /// `networkofferingid`.
        public var networkOfferingId: String?
        /// `type`: Shared or Isolated (any case).
        public var type: String?
        /// `issystem`: system networks (there are none).
        public var isSystem: Bool
        /// `traffictype`: only Guest networks exist.
        public var trafficType: String?

        /// Creates a filter; every field is optional.
        public init(
            zoneId: String? = nil,
            vpcId: String? = nil,
            networkOfferingId: String? = nil,
            type: String? = nil,
            isSystem: Bool = false,
            trafficType: String? = nil
        ) {
            self.zoneId = zoneId
            self.vpcId = vpcId
            self.networkOfferingId = networkOfferingId
            self.type = type
            self.isSystem = isSystem
            self.trafficType = trafficType
        }
    }

    /// The networks the caller may see (listNetworks): those of its scope, and the zones' shared networks unless
    /// one account's networks were asked for (shared networks first).
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(_ access: Access, _ request: ListRequest, _ filter: ListFilter) async throws -> ListPage<Network> {
        var filters: [(column: String, value: String)] = []
        for (value, column) in [
            (filter.zoneId, "zone_id"), (filter.vpcId, "vpc_id"), (filter.networkOfferingId, "network_offering_id"),
        ] {
            if let value { filters.append((column, value)) }
        }
        if let type = filter.type {
            filters.append(
                (
                    "guest_type",
                    type.lowercased() == "shared" ? "Shared" : type.lowercased() == "isolated" ? "Isolated" : type
                )
            )
        }
        if filter.isSystem || (filter.trafficType.map { $0.lowercased() != "guest" } ?? false) {
            return ListPage(total: 0, items: [])
        }
        var owned = try await access.scopedQuery(request, filters)
        let (page, size) = (owned.page, owned.pageSize)
        owned.page = 1
        owned.pageSize = nil
        owned.tags = request.tags
        owned.tagResourceType = "Network"
        var networks = try await self.store.list(Network.self, owned).items
        // Zone-wide shared networks are everyone's, unless one account's networks were asked for.
        if request.account == nil {
            var sharedQuery = try access.query(request, filters)
            sharedQuery.page = 1
            sharedQuery.pageSize = nil
            sharedQuery.isNull = ["account_id"]
            sharedQuery.tags = owned.tags
            sharedQuery.tagResourceType = "Network"
            let known = Set(networks.map(\.id))
            networks =
                try await self.store.list(Network.self, sharedQuery).items.filter { !known.contains($0.id) }
                + networks
        }
        return ListPage(total: networks.count, items: Access.slice(networks, page: page, size: size))
    }

    /// What updateNetwork changes; nil fields are left alone.
    public struct Update: Sendable {
        /// The new name.
        public var name: String?
        /// The new display text.
        public var displayText: String?
        /// The new network domain.
        public var networkDomain: String?
        /// The offering (changing it is not supported).
        public var networkOfferingId: String?

        /// Creates an update.
        public init(
            name: String? = nil,
            displayText: String? = nil,
            networkDomain: String? = nil,
            networkOfferingId: String? = nil
        ) {
            self.name = name
            self.displayText = displayText
            self.networkDomain = networkDomain
            self.networkOfferingId = networkOfferingId
        }
    }

    /// Checks an update of a network the caller may change and applies it to the network, not yet stored; store it
    /// with ``save(_:)``.
    /// - Throws: 431 when unknown or when the offering would change, 531 out of reach.
    public func prepareUpdate(_ access: Access, id: String, _ update: Update) async throws -> Network {
        var network = try await self.owned(access, id: id)
        if let offeringId = update.networkOfferingId, offeringId != network.networkOfferingId {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Changing the network offering of network \(network.name) is not supported"
            )
        }
        if let name = update.name { network.name = name }
        if let text = update.displayText { network.displayText = text }
        if let domain = update.networkDomain { network.networkDomain = domain }
        return network
    }

    /// Stores a network's changed name, display text, domain or state.
    /// - Throws: ``StoreError``.
    public func save(_ network: Network) async throws {
        try await self.store.updateNetwork(network)
    }

    /// Deletes a network (checked with ``owned(_:id:parameter:)``) with its rules, releasing its public IPs.
    /// - Throws: 536 while NICs of VMs are still on it.
    public func delete(_ network: Network) async throws {
        let nics = try await self.store.nicCounts(networkIds: [network.id])[network.id] ?? 0
        guard nics == 0 else {
            throw CloudError(
                .resourceInUse,
                csErrorCode: 4375,
                "Unable to delete network \(network.name): \(nics) NIC(s) of virtual machines are still on it; expunge the VMs or remove their NICs first"
            )
        }
        try await self.store.deleteNetwork(id: network.id)
    }

    /// Restarts a network (checked with ``owned(_:id:parameter:)``): the simulator has no routers to restart, the
    /// network's rules are already in force; an allocated network becomes implemented.
    /// - Throws: ``StoreError``.
    public func restart(_ network: Network) async throws {
        var restarted = network
        if restarted.state == "Allocated" { restarted.state = "Implemented" }
        try await self.store.updateNetwork(restarted)
    }

}

extension CloudServices {
    /// Guest networks.
    public var networks: NetworkService { NetworkService(services: self) }
}
