import CloudModel
import CloudStore
import Crypto
import Foundation

/// Read-only views of the networking a zone has (listPhysicalNetworks, listTrafficTypes, listNetworkServiceProviders,
/// listSupportedNetworkServices). ZooStack keeps no physical network rows: each zone has one physical network
/// carrying the guest, public, management and storage traffic, and the providers of CloudStack's default offerings.
/// Their UUIDs are derived from the zone's, so they stay the same across requests and servers.
public struct PhysicalNetworkViews: Sendable {
    let services: CloudServices

    /// A zone's physical network.
    public struct PhysicalNetwork: Sendable, Hashable {
        /// UUID, derived from the zone's.
        public var id: String
        /// `Physical Network 1` (CloudStack's name for a zone's first).
        public var name: String
        /// The zone.
        public var zone: Zone
    }

    /// One traffic type a physical network carries.
    public struct TrafficType: Sendable, Hashable {
        /// UUID, derived from the physical network's.
        public var id: String
        /// `Guest`, `Public`, `Management` or `Storage`.
        public var name: String
        /// The physical network's UUID.
        public var physicalNetworkId: String
    }

    /// A network service provider of a physical network.
    public struct Provider: Sendable, Hashable {
        /// UUID, derived from the physical network's.
        public var id: String
        /// `VirtualRouter`, `VpcVirtualRouter`, `InternalLbVm`, `ConfigDrive`, `SecurityGroupProvider`.
        public var name: String
        /// The physical network's UUID.
        public var physicalNetworkId: String
        /// `Enabled` or `Disabled`.
        public var state: String
        /// The services it provides.
        public var services: [String]
    }

    /// The providers and the services each provides, in CloudStack's names.
    public static let providerServices: [(name: String, state: String, services: [String])] = [
        (
            "VirtualRouter", "Enabled",
            ["Dhcp", "Dns", "UserData", "SourceNat", "StaticNat", "PortForwarding", "Lb", "Firewall", "Gateway", "Vpn"]
        ),
        (
            "VpcVirtualRouter", "Enabled",
            [
                "Dhcp", "Dns", "UserData", "SourceNat", "StaticNat", "PortForwarding", "Lb", "NetworkACL", "Gateway",
                "Vpn",
            ]
        ),
        ("InternalLbVm", "Disabled", ["Lb"]),
        ("ConfigDrive", "Enabled", ["UserData"]),
        ("SecurityGroupProvider", "Disabled", ["SecurityGroup"]),
    ]

    /// A UUID derived from a name (SHA-1 of it, laid out as a UUID).
    static func derivedId(_ name: String) -> String {
        let bytes = Array(Insecure.SHA1.hash(data: Data(name.utf8)))
        let hex = bytes.prefix(16).map { String(format: "%02x", $0) }.joined()
        let parts = [
            hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4),
        ]
        return parts.joined(separator: "-") + "-" + hex.dropFirst(20).prefix(12)
    }

    /// The UUID of a zone's physical network.
    /// - Parameter zoneId: the zone's UUID.
    /// - Returns: the physical network's UUID.
    public static func physicalNetworkId(ofZone zoneId: String) -> String {
        Self.derivedId("physical-network:\(zoneId)")
    }

    /// The physical networks of the zones, filtered and paged.
    /// - Throws: 431 for bad paging.
    public func physicalNetworks(
        _ access: Access,
        _ request: ListRequest,
        zoneId: String?
    ) async throws -> ListPage<PhysicalNetwork> {
        var networks = try await self.services.store.list(Zone.self).items.map { zone in
            PhysicalNetwork(id: Self.physicalNetworkId(ofZone: zone.id), name: "Physical Network 1", zone: zone)
        }
        if let zoneId { networks = networks.filter { $0.zone.id == zoneId.lowercased() } }
        if let id = request.id { networks = networks.filter { $0.id == id.lowercased() } }
        if let name = request.name { networks = networks.filter { $0.name.lowercased() == name.lowercased() } }
        if let keyword = request.keyword?.lowercased() {
            networks = networks.filter { $0.name.lowercased().contains(keyword) }
        }
        return try access.pageInMemory(networks, request)
    }

    /// The physical network of this UUID.
    /// - Throws: 431 naming `parameter` when no zone has it.
    public func physicalNetwork(_ access: Access, id: String, parameter: String) async throws -> PhysicalNetwork {
        guard
            let network = try await self.physicalNetworks(access, ListRequest(), zoneId: nil).items.first(where: {
                $0.id == id.lowercased()
            })
        else { throw access.unknown(parameter, id) }
        return network
    }

    /// The traffic types of a physical network (listTrafficTypes).
    /// - Throws: 431 for an unknown physical network or bad paging.
    public func trafficTypes(
        _ access: Access,
        _ request: ListRequest,
        physicalNetworkId: String
    ) async throws -> ListPage<TrafficType> {
        let network = try await self.physicalNetwork(access, id: physicalNetworkId, parameter: "physicalnetworkid")
        let types = ["Guest", "Public", "Management", "Storage"].map { name in
            TrafficType(
                id: Self.derivedId("traffic-type:\(network.id):\(name)"),
                name: name,
                physicalNetworkId: network.id
            )
        }
        return try access.pageInMemory(types, request)
    }

    /// The providers of one physical network or all (listNetworkServiceProviders).
    /// - Throws: 431 for an unknown physical network or bad paging.
    public func providers(
        _ access: Access,
        _ request: ListRequest,
        physicalNetworkId: String?,
        name: String?,
        state: String?
    ) async throws -> ListPage<Provider> {
        let networks =
            if let physicalNetworkId {
                [try await self.physicalNetwork(access, id: physicalNetworkId, parameter: "physicalnetworkid")]
            } else {
                try await self.physicalNetworks(access, ListRequest(), zoneId: nil).items
            }
        var providers = networks.flatMap { network in
            Self.providerServices.map { provider in
                Provider(
                    id: Self.derivedId("provider:\(network.id):\(provider.name)"),
                    name: provider.name,
                    physicalNetworkId: network.id,
                    state: provider.state,
                    services: provider.services
                )
            }
        }
        if let name { providers = providers.filter { $0.name.lowercased() == name.lowercased() } }
        if let state { providers = providers.filter { $0.state.lowercased() == state.lowercased() } }
        if let keyword = request.keyword?.lowercased() {
            providers = providers.filter { $0.name.lowercased().contains(keyword) }
        }
        return try access.pageInMemory(providers, request)
    }

    /// The services and the providers of each (listSupportedNetworkServices), filtered by either.
    /// - Throws: 431 for bad paging.
    public func supportedServices(
        _ access: Access,
        _ request: ListRequest,
        provider: String?,
        service: String?
    ) throws(CloudError) -> ListPage<(service: String, providers: [String])> {
        var names: [String] = []
        for entry in Self.providerServices {
            for name in entry.services where !names.contains(name) { names.append(name) }
        }
        var services = names.map { name in
            (service: name, providers: Self.providerServices.filter { $0.services.contains(name) }.map(\.name))
        }
        if let provider {
            services = services.filter { $0.providers.contains { $0.lowercased() == provider.lowercased() } }
                .map { ($0.service, $0.providers.filter { $0.lowercased() == provider.lowercased() }) }
        }
        if let service { services = services.filter { $0.service.lowercased() == service.lowercased() } }
        if let keyword = request.keyword?.lowercased() {
            services = services.filter { $0.service.lowercased().contains(keyword) }
        }
        return try access.pageInMemory(services, request)
    }
}

extension CloudServices {
    /// The zones' physical networks, traffic types and providers.
    public var physicalNetworks: PhysicalNetworkViews { PhysicalNetworkViews(services: self) }
}
