import CloudModel
import CloudStore
import Foundation

/// A zone's public IP ranges (CloudStack's `vlan` rows: listVlanIpRanges, createVlanIpRange, deleteVlanIpRange).
/// ZooStack keeps one row per public address; a range is the addresses of a zone sharing a gateway, netmask and
/// VLAN, from the lowest to the highest, its UUID derived from those.
public struct PublicIPRangeService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// One range.
    public struct Range: Sendable, Hashable {
        /// UUID, derived from the zone, gateway, netmask and VLAN.
        public var id: String
        /// The zone.
        public var zoneId: String
        /// The gateway.
        public var gateway: String
        /// The netmask.
        public var netmask: String
        /// The VLAN (`untagged` or its id).
        public var vlan: String
        /// The lowest address.
        public var startIp: String
        /// The highest address.
        public var endIp: String
        /// How many of its addresses are allocated.
        public var allocated: Int
    }

    /// The ranges, filtered and paged (listVlanIpRanges).
    /// - Throws: 431 for bad paging.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        zoneId: String?,
        vlan: String?
    ) async throws -> ListPage<Range> {
        var query = ListQuery()
        if let zoneId { query.equals.append(("zone_id", zoneId.lowercased())) }
        let addresses = try await self.store.list(PublicIPAddress.self, query).items
        var groups: [String: [PublicIPAddress]] = [:]
        var order: [String] = []
        for address in addresses {
            let key = "\(address.zoneId)|\(address.gateway)|\(address.netmask)|\(address.vlan)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(address)
        }
        var ranges: [Range] = order.compactMap { key in
            guard let members = groups[key], let first = members.first else { return nil }
            let values = members.compactMap { IPv4Subnet.address($0.address) }
            guard let low = values.min(), let high = values.max() else { return nil }
            return Range(
                id: PhysicalNetworkViews.derivedId("vlan-range:\(key)"),
                zoneId: first.zoneId,
                gateway: first.gateway,
                netmask: first.netmask,
                vlan: first.vlan,
                startIp: IPv4Subnet.text(low),
                endIp: IPv4Subnet.text(high),
                allocated: members.filter { $0.state != "Free" }.count
            )
        }
        if let id = request.id { ranges = ranges.filter { $0.id == id.lowercased() } }
        if let vlan { ranges = ranges.filter { Self.vlanMatches($0.vlan, vlan) } }
        return try access.pageInMemory(ranges, request)
    }

    static func vlanMatches(_ stored: String, _ asked: String) -> Bool {
        let plain = asked.lowercased().replacingOccurrences(of: "vlan://", with: "")
        return stored.lowercased() == plain
    }

    /// Adds a range of public addresses to a zone (createVlanIpRange).
    /// - Returns: the range the addresses joined.
    /// - Throws: 431 for an unknown zone, addresses that are no IPv4 addresses, an end below the start, more than
    ///   65536 addresses, or addresses the zone already has.
    public func create(
        _ access: Access,
        zoneId: String,
        startIp: String,
        endIp: String?,
        gateway: String,
        netmask: String,
        vlan: String?
    ) async throws -> Range {
        let zone = try await self.services.infrastructure.zone(access, id: zoneId)
        let endIp = endIp ?? startIp
        for (parameter, value) in [("startip", startIp), ("endip", endIp), ("gateway", gateway), ("netmask", netmask)] {
            guard InfrastructureService.isIPv4(value) else {
                throw CloudError.invalidParameter(access.command, parameter, value)
            }
        }
        guard let start = IPv4Subnet.address(startIp), let end = IPv4Subnet.address(endIp), start <= end,
            end - start < 65536
        else {
            throw CloudError(.paramError, csErrorCode: 4350, "Please specify a valid IP range: \(startIp)-\(endIp)")
        }
        let vlan = vlan.map { $0.lowercased().replacingOccurrences(of: "vlan://", with: "") } ?? "untagged"
        let existing = try await self.store.list(PublicIPAddress.self, ListQuery(equals: [("zone_id", zone.id)])).items
        if existing.contains(where: { IPv4Subnet.address($0.address).map { (start...end).contains($0) } ?? false }) {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The IP range \(startIp)-\(endIp) overlaps with an existing public IP range of zone \(zone.name)"
            )
        }
        try await self.store.addPublicRange(
            zoneId: zone.id,
            gateway: gateway,
            netmask: netmask,
            startIp: startIp,
            endIp: endIp,
            vlan: vlan
        )
        let ranges = try await self.list(access, ListRequest(), zoneId: zone.id, vlan: vlan)
        guard let range = ranges.items.first(where: { $0.gateway == gateway && $0.netmask == netmask }) else {
            throw CloudError(.internalError, "the new range is missing")
        }
        return range
    }

    /// Deletes a range whose addresses are all free (deleteVlanIpRange).
    /// - Throws: 431 for an unknown range; 530 when some of its addresses are allocated.
    public func delete(_ access: Access, id: String) async throws {
        guard
            let range = try await self.list(access, ListRequest(), zoneId: nil, vlan: nil).items.first(where: {
                $0.id == id.lowercased()
            })
        else { throw access.unknown("id", id) }
        guard range.allocated == 0 else {
            throw CloudError(
                .internalError,
                csErrorCode: 4250,
                "The IP range can't be deleted as \(range.allocated) of its addresses are allocated"
            )
        }
        let query = ListQuery(equals: [
            ("zone_id", range.zoneId), ("gateway", range.gateway), ("netmask", range.netmask), ("vlan", range.vlan),
        ])
        for address in try await self.store.list(PublicIPAddress.self, query).items {
            try await self.store.delete(PublicIPAddress.self, id: address.id)
        }
    }
}

extension CloudServices {
    /// The zones' public IP ranges.
    public var publicIPRanges: PublicIPRangeService { PublicIPRangeService(services: self) }
}
