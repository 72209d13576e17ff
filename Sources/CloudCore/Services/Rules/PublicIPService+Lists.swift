import CloudModel
import CloudStore

/// The filters of listPublicIpAddresses besides paging and scope.
public struct PublicIPFilter: Sendable {
    /// The zone.
    public var zoneId: String?
    /// The address itself.
    public var address: String?
    /// The guest network the address is associated with.
    public var networkId: String?
    /// The VPC.
    public var vpcId: String?
    /// Source NAT addresses only (true) or none of them (false).
    public var isSourceNat: Bool?
    /// Static NAT addresses only (true) or none of them (false).
    public var isStaticNat: Bool?
    /// The state (`Allocated`, `Free`).
    public var state: String?
    /// False lets the root admin browse free addresses too (unscoped, without tag filters).
    public var allocatedOnly: Bool

    /// Creates a filter; every field is optional.
    public init(
        zoneId: String? = nil,
        address: String? = nil,
        networkId: String? = nil,
        vpcId: String? = nil,
        isSourceNat: Bool? = nil,
        isStaticNat: Bool? = nil,
        state: String? = nil,
        allocatedOnly: Bool = true
    ) {
        self.zoneId = zoneId
        self.address = address
        self.networkId = networkId
        self.vpcId = vpcId
        self.isSourceNat = isSourceNat
        self.isStaticNat = isStaticNat
        self.state = state
        self.allocatedOnly = allocatedOnly
    }
}

/// What the response of a page of addresses names besides the addresses (their owners come from
/// ``CloudServices/owners(of:)``).
public struct PublicIPDetails: Sendable {
    /// Zone names by UUID.
    public var zoneNames: [String: String] = [:]
    /// The addresses' guest networks by UUID.
    public var networks: [String: Network] = [:]
    /// The static NAT VMs by UUID.
    public var vms: [String: VirtualMachine] = [:]
    /// By address id: the guest address static NAT maps it to (the VM's NIC on the address's network).
    public var vmAddresses: [String: String] = [:]
    /// The addresses' tags by address UUID.
    public var tags: [String: [ResourceTag]] = [:]
}

extension PublicIPService {
    /// The addresses the caller may see (the root admin with `allocatedOnly` false: every address, free ones
    /// too).
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        _ filter: PublicIPFilter
    ) async throws -> ListPage<PublicIPAddress> {
        var filters: [(column: String, value: String)] = []
        for (value, column) in [
            (filter.zoneId, "zone_id"), (filter.address, "address"), (filter.networkId, "network_id"),
            (filter.vpcId, "vpc_id"),
        ] {
            if let value { filters.append((column, value)) }
        }
        if let sourceNat = filter.isSourceNat { filters.append(("is_source_nat", sourceNat ? "1" : "0")) }
        if let state = filter.state { filters.append(("state", state)) }
        // Free addresses are the root admin's to browse with allocatedonly=false; everyone else sees its own.
        if access.caller.role == .rootAdmin, !filter.allocatedOnly {
            return try await self.store.list(PublicIPAddress.self, try access.query(request, filters))
        }
        var query = try await access.scopedQuery(request, filters)
        // Allocated only (CloudStack's default): a root admin's `listall` scope must not reach the free pool.
        if filter.state == nil { query.excludeStates = ["Free"] }
        query.tags = request.tags
        query.tagResourceType = "PublicIpAddress"
        var page = try await self.store.list(PublicIPAddress.self, query)
        if let staticNat = filter.isStaticNat {
            page.items = page.items.filter { ($0.staticNatVmId != nil) == staticNat }
            page.total = page.items.count
        }
        return page
    }

    /// The zones, networks, static NAT VMs and tags a page of addresses names.
    /// - Throws: ``StoreError``.
    public func details(of ips: [PublicIPAddress]) async throws -> PublicIPDetails {
        guard !ips.isEmpty else { return PublicIPDetails() }
        var details = PublicIPDetails()
        details.zoneNames = Dictionary(try await self.store.list(Zone.self).items.map { ($0.id, $0.name) }) {
            first,
            _ in first
        }
        details.networks = Dictionary(
            try await self.store.list(Network.self, ListQuery(idIn: Array(Set(ips.compactMap(\.networkId))))).items
                .map { ($0.id, $0) }
        ) { first, _ in first }
        details.vms = Dictionary(
            try await self.store.list(
                VirtualMachine.self,
                ListQuery(idIn: Array(Set(ips.compactMap(\.staticNatVmId))))
            ).items.map { ($0.id, $0) }
        ) { first, _ in first }
        details.tags = try await self.services.tags.of(ips.map(\.id), resourceType: "PublicIpAddress")
        let natted = ips.filter { $0.staticNatVmId != nil }
        if !natted.isEmpty {
            var query = ListQuery(idIn: Array(Set(natted.compactMap(\.staticNatVmId))))
            query.inColumn = "vm_id"
            let nics = try await self.store.list(Nic.self, query).items
            for ip in natted {
                let ofVM = nics.filter { $0.vmId == ip.staticNatVmId }
                let nic = ofVM.first { $0.networkId == ip.networkId } ?? ofVM.first { $0.isDefault } ?? ofVM.first
                details.vmAddresses[ip.id] = nic?.ipAddress
            }
        }
        return details
    }
}
