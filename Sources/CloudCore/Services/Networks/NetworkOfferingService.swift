import CloudModel
import CloudStore
import Foundation

/// Network offerings an admin creates, updates and deletes (CloudStack's `createNetworkOffering`,
/// `updateNetworkOffering` and `deleteNetworkOffering` in `ConfigurationManagerImpl`). A new offering starts
/// `Disabled`, as in CloudStack, until updateNetworkOffering enables it; a default offering or one networks use is
/// not deleted.
public struct NetworkOfferingService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The services ZooStack's guest networks can be offered with.
    public static let knownServices: [String] = [
        "Dhcp", "Dns", "UserData", "SourceNat", "StaticNat", "PortForwarding", "Lb", "Firewall", "NetworkACL",
        "Gateway", "Vpn", "SecurityGroup",
    ]

    /// What createNetworkOffering asks for.
    public struct NewOffering: Sendable {
        /// `name`.
        public var name: String
        /// `displaytext`; nil for the name.
        public var displayText: String?
        /// `guestiptype`: Isolated, Shared or L2 (any case).
        public var guestType: String
        /// `traffictype`: only GUEST.
        public var trafficType: String
        /// `supportedservices`.
        public var services: [String]
        /// `forvpc`.
        public var forVpc: Bool
        /// `egressdefaultpolicy`: true allows egress unless a rule denies it.
        public var egressDefaultPolicy: Bool
        /// `specifyipranges`.
        public var specifyIpRanges: Bool

        /// Creates a request.
        public init(
            name: String,
            displayText: String?,
            guestType: String,
            trafficType: String,
            services: [String],
            forVpc: Bool,
            egressDefaultPolicy: Bool,
            specifyIpRanges: Bool
        ) {
            self.name = name
            self.displayText = displayText
            self.guestType = guestType
            self.trafficType = trafficType
            self.services = services
            self.forVpc = forVpc
            self.egressDefaultPolicy = egressDefaultPolicy
            self.specifyIpRanges = specifyIpRanges
        }
    }

    /// Creates a `Disabled` network offering.
    /// - Throws: 431 for a bad guest or traffic type, an unknown service, or a name taken.
    public func create(_ access: Access, _ request: NewOffering) async throws -> NetworkOffering {
        guard
            let guestType = ["Isolated", "Shared", "L2"].first(where: {
                $0.lowercased() == request.guestType.lowercased()
            })
        else { throw CloudError.invalidParameter(access.command, "guestiptype", request.guestType) }
        guard request.trafficType.lowercased() == "guest" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Only traffic type GUEST is supported for network offerings, not \(request.trafficType)"
            )
        }
        var services: [String] = []
        for name in request.services {
            guard let known = Self.knownServices.first(where: { $0.lowercased() == name.lowercased() }) else {
                throw CloudError(.paramError, csErrorCode: 4350, "Invalid service \(name)")
            }
            if !services.contains(known) { services.append(known) }
        }
        let offering = NetworkOffering(
            id: UUID().uuidString.lowercased(),
            name: request.name,
            displayText: request.displayText ?? request.name,
            guestType: guestType,
            services: services.joined(separator: ","),
            forVpc: request.forVpc,
            isDefault: false,
            state: "Disabled",
            egressDefaultPolicy: request.egressDefaultPolicy,
            specifyIpRanges: request.specifyIpRanges,
            created: self.services.clock.now
        )
        try await self.services.insert(
            offering,
            duplicate: "Network offering with name \(request.name) already exists"
        )
        return offering
    }

    /// The network offering of this UUID (parameter `id`).
    /// - Throws: 431 when unknown.
    func offering(_ access: Access, id: String) async throws -> NetworkOffering {
        guard let offering = try await self.store.get(NetworkOffering.self, id: id.lowercased()) else {
            throw access.unknown("id", id)
        }
        return offering
    }

    /// Renames an offering, changes its display text, or enables or disables it (updateNetworkOffering).
    /// - Throws: 431 for an unknown offering, a bad state or a name taken.
    public func update(
        _ access: Access,
        id: String,
        name: String?,
        displayText: String?,
        state: String?
    ) async throws -> NetworkOffering {
        var offering = try await self.offering(access, id: id)
        if let name, !name.isEmpty { offering.name = name }
        if let displayText, !displayText.isEmpty { offering.displayText = displayText }
        if let state {
            guard let known = ["Enabled", "Disabled"].first(where: { $0.lowercased() == state.lowercased() }) else {
                throw CloudError(.paramError, csErrorCode: 4350, "Incorrect state value: \(state)")
            }
            offering.state = known
        }
        do {
            try await self.store.replace(offering, id: offering.id)
        } catch {
            guard error.kind == .duplicate else { throw error }
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Network offering with name \(offering.name) already exists"
            )
        }
        return offering
    }

    /// Deletes an offering no network uses (deleteNetworkOffering).
    /// - Throws: 431 for an unknown or default offering, or one networks use.
    public func delete(_ access: Access, id: String) async throws {
        let offering = try await self.offering(access, id: id)
        guard !offering.isDefault else {
            throw CloudError(.paramError, csErrorCode: 4350, "Default network offering can't be deleted")
        }
        var query = ListQuery(equals: [("network_offering_id", offering.id)])
        query.pageSize = 1
        let used = try await self.store.list(Network.self, query).total
        guard used == 0 else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Can't delete network offering \(offering.id) as its used by \(used) networks. To make the network offering unavailable, disable it"
            )
        }
        try await self.store.delete(NetworkOffering.self, id: offering.id)
    }
}

extension CloudServices {
    /// The network offerings admins manage.
    public var networkOfferings: NetworkOfferingService { NetworkOfferingService(services: self) }
}
