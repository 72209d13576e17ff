import CloudModel
import CloudStore
import Foundation

/// Seeds what networking needs on every start: CloudStack's default network and VPC offerings and a public IP range
/// per zone (the simulator's `192.168.100.10`–`192.168.100.200`), each only when missing.
public enum NetworkSeeder {
    /// The default offerings: name, guest type, services, for VPC tiers, specify IP ranges.
    static let defaults: [(String, String, String, Bool, Bool)] = [
        (
            "DefaultIsolatedNetworkOfferingWithSourceNatService", "Isolated",
            "Dhcp,Dns,UserData,Firewall,Gateway,SourceNat,StaticNat,PortForwarding,Lb,Vpn", false, false
        ),
        ("DefaultIsolatedNetworkOffering", "Isolated", "Dhcp,Dns,UserData", false, false),
        ("DefaultSharedNetworkOffering", "Shared", "Dhcp,Dns,UserData", false, true),
        ("DefaultSharedNetworkOfferingWithSGService", "Shared", "Dhcp,Dns,UserData,SecurityGroup", false, true),
        (
            "DefaultIsolatedNetworkOfferingForVpcNetworks", "Isolated",
            "Dhcp,Dns,UserData,SourceNat,StaticNat,PortForwarding,Lb,NetworkACL,Vpn", true, false
        ),
        (
            "DefaultIsolatedNetworkOfferingForVpcNetworksNoLB", "Isolated",
            "Dhcp,Dns,UserData,SourceNat,StaticNat,PortForwarding,NetworkACL,Vpn", true, false
        ),
        (
            "DefaultIsolatedNetworkOfferingForVpcNetworksWithInternalLB", "Isolated",
            "Dhcp,Dns,UserData,SourceNat,StaticNat,PortForwarding,Lb,NetworkACL", true, false
        ),
        ("QuickCloudNoServices", "Shared", "Dhcp,Dns,UserData,SecurityGroup", false, true),
        ("DefaultL2NetworkOffering", "L2", "", false, false),
        ("DefaultL2NetworkOfferingVlan", "L2", "", false, false),
        ("DefaultL2NetworkOfferingConfigDrive", "L2", "UserData", false, false),
        ("DefaultL2NetworkOfferingConfigDriveVlan", "L2", "UserData", false, false),
    ]

    /// CloudStack's display texts of the default offerings.
    static let descriptions: [String: String] = [
        "DefaultIsolatedNetworkOfferingWithSourceNatService":
            "Offering for Isolated networks with Source Nat service enabled",
        "DefaultIsolatedNetworkOffering": "Offering for Isolated networks with no Source Nat service",
        "DefaultSharedNetworkOfferingWithSGService": "Offering for Shared Security group enabled networks",
        "DefaultIsolatedNetworkOfferingForVpcNetworks":
            "Offering for Isolated VPC networks with Source Nat service enabled",
        "DefaultIsolatedNetworkOfferingForVpcNetworksNoLB":
            "Offering for Isolated VPC networks with Source Nat service enabled and LB service Disabled",
        "DefaultIsolatedNetworkOfferingForVpcNetworksWithInternalLB":
            "Offering for Isolated VPC networks with Internal Lb support",
        "QuickCloudNoServices": "Offering for QuickCloud with no services",
        "DefaultL2NetworkOffering": "Offering for L2 networks",
        "DefaultL2NetworkOfferingVlan": "Offering for L2 networks VLAN",
        "DefaultL2NetworkOfferingConfigDrive": "Offering for L2 networks with config drive user data",
        "DefaultL2NetworkOfferingConfigDriveVlan": "Offering for L2 networks with config drive user data VLAN",
    ]

    /// CloudStack's default VPC offerings: id (the first is the fixed id VPCs named before offerings were rows),
    /// name, display text, redundant router.
    public static let defaultVPCOfferings: [(id: String, name: String, displayText: String, redundant: Bool)] = [
        ("8a3b3a4e-0000-4000-8000-0000000000a1", "Default VPC offering", "Default VPC offering", false),
        ("8a3b3a4e-0000-4000-8000-0000000000a2", "Redundant VPC offering", "Redundant VPC offering", true),
    ]

    /// The name of the offering of the zones' default shared networks.
    public static let sharedOfferingName = "DefaultSharedNetworkOffering"

    /// The system ACL lists every VPC may use (fixed ids, as CloudStack's are ids 1 and 2).
    public static let defaultACLLists: [(id: String, name: String, description: String)] = [
        ("8a3b3a4e-0000-4000-8000-000000000001", "default_allow", "Default Network ACL Allow All"),
        ("8a3b3a4e-0000-4000-8000-000000000002", "default_deny", "Default Network ACL Deny All"),
    ]

    /// The simulator's public range.
    static let publicRange = (
        gateway: "192.168.100.1", netmask: "255.255.255.0", start: "192.168.100.10",
        end: "192.168.100.200"
    )

    /// Seeds the default offerings and each zone's public range when missing.
    /// - Parameter store: the store.
    /// - Throws: ``StoreError``.
    public static func ensure(store: CloudStore) async throws(StoreError) {
        let existing = Set(try await store.list(NetworkOffering.self).items.map(\.name))
        for (name, guestType, services, forVpc, specifyIpRanges) in Self.defaults where !existing.contains(name) {
            let description = Self.descriptions[name] ?? "Offering for Shared networks"
            try await store.insert(
                NetworkOffering(
                    id: UUID().uuidString.lowercased(),
                    name: name,
                    displayText: description,
                    guestType: guestType,
                    services: services,
                    forVpc: forVpc,
                    specifyIpRanges: specifyIpRanges,
                    created: store.clock.now
                )
            )
        }
        let vpcOfferings = Set(try await store.list(VPCOffering.self).items.map(\.id))
        for offering in Self.defaultVPCOfferings where !vpcOfferings.contains(offering.id) {
            try await store.insert(
                VPCOffering(
                    id: offering.id,
                    name: offering.name,
                    displayText: offering.displayText,
                    isDefault: true,
                    services: "Dhcp,Dns,UserData,SourceNat,StaticNat,PortForwarding,Lb,NetworkACL,Vpn",
                    redundantRouter: offering.redundant,
                    created: store.clock.now
                )
            )
        }
        if let shared = try await store.list(
            NetworkOffering.self,
            ListQuery(equals: [("name", Self.sharedOfferingName)])
        ).items.first {
            try await store.adoptNetworks(offeringId: shared.id)
        }
        let lists = try await store.list(
            NetworkACLList.self,
            ListQuery(equals: [], idIn: Self.defaultACLLists.map(\.id))
        )
        for (id, name, description) in Self.defaultACLLists where !lists.items.contains(where: { $0.id == id }) {
            try await store.insert(NetworkACLList(id: id, name: name, description: description, vpcId: nil))
        }
        for zone in try await store.list(Zone.self).items {
            let page = try await store.list(
                PublicIPAddress.self,
                ListQuery(equals: [("zone_id", zone.id)], pageSize: 1)
            )
            guard page.items.isEmpty else { continue }
            try await store.addPublicRange(
                zoneId: zone.id,
                gateway: Self.publicRange.gateway,
                netmask: Self.publicRange.netmask,
                startIp: Self.publicRange.start,
                endIp: Self.publicRange.end
            )
        }
    }
}
