import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Public IP addresses: associateIpAddress, disassociateIpAddress, listPublicIpAddresses, enableStaticNat,
/// disableStaticNat.
enum PublicIPCommands {
    static var all: [CommandDescriptor] { [associate, disassociate, list, enableStaticNat, disableStaticNat] }

    /// Loads the public IP named by `parameter` that the caller owns (or may act for).
    static func ownedIP(_ context: CommandContext, _ parameter: String) async throws -> PublicIPAddress {
        try await Self.check(context, try await context.entity(PublicIPAddress.self, parameter))
    }

    /// Checks the caller may act on an allocated address.
    static func check(_ context: CommandContext, _ ip: PublicIPAddress) async throws -> PublicIPAddress {
        guard ip.state == "Allocated", let owner = ip.accountId else {
            throw CloudError(.paramError, csErrorCode: 4350, "Public IP address \(ip.address) is not associated")
        }
        guard try await context.mayAccess(accountId: owner) else {
            throw CommandContext.permissionDenied(
                "Account \(context.caller.account.name) does not have permission to operate on IP address \(ip.id)"
            )
        }
        return ip
    }

    /// A page of addresses with their zones, networks, static NAT VMs and owners.
    static func render(_ ips: [PublicIPAddress], store: CloudStore) async throws -> [APIValue] {
        guard !ips.isEmpty else { return [] }
        let zones = Dictionary(try await store.list(Zone.self).items.map { ($0.id, $0.name) }) { first, _ in first }
        let networks = Dictionary(
            try await store.list(Network.self, ListQuery(idIn: Array(Set(ips.compactMap(\.networkId))))).items.map {
                ($0.id, $0)
            }
        ) { first, _ in first }
        let vms = Dictionary(
            try await store.list(VirtualMachine.self, ListQuery(idIn: Array(Set(ips.compactMap(\.staticNatVmId)))))
                .items.map { ($0.id, $0) }
        ) { first, _ in first }
        let owners = try await OwnerNames.load(ips.map(\.accountId), store: store)
        let tags = try await store.tags(of: ips.map(\.id), resourceType: "PublicIpAddress")
        return ips.map { ip in
            var fields: [(String, APIValue)] = [
                ("id", .string(ip.id)), ("ipaddress", .string(ip.address)),
                ("allocated", .string(ip.allocated.map(DateFormat.string) ?? "")),
                ("zoneid", .string(ip.zoneId)), ("zonename", .string(zones[ip.zoneId] ?? "")),
                ("issourcenat", .bool(ip.isSourceNat)), ("isstaticnat", .bool(ip.staticNatVmId != nil)),
                ("issystem", .bool(false)), ("forvirtualnetwork", .bool(true)), ("vlanname", .string(ip.vlan)),
                ("state", .string(ip.state)), ("fordisplay", .bool(true)),
            ]
            fields += owners.fields(ip.accountId)
            if let networkId = ip.networkId {
                fields += [
                    ("associatednetworkid", .string(networkId)),
                    ("associatednetworkname", .string(networks[networkId]?.name ?? "")),
                ]
            }
            if let vpcId = ip.vpcId { fields.append(("vpcid", .string(vpcId))) }
            if let vmId = ip.staticNatVmId {
                fields += [
                    ("virtualmachineid", .string(vmId)), ("virtualmachinename", .string(vms[vmId]?.name ?? "")),
                    ("virtualmachinedisplayname", .string(vms[vmId]?.displayName ?? "")),
                ]
            }
            fields.append(("tags", .array((tags[ip.id] ?? []).map { TagCommands.render($0, account: nil) })))
            return .object(fields)
        }
    }

    static let associate = CommandDescriptor(
        "associateIpAddress",
        "Acquires and associates a public IP to an account.",
        isAsync: true,
        events: .records(CommandEvent(.netIPAssign, "associating ip address", .ip)),
        parameters: [
            ParameterDescriptor("networkid", .uuid, "The network this IP address should be associated to."),
            ParameterDescriptor("vpcid", .uuid, "the VPC you want the IP address to be associated with"),
            ParameterDescriptor(
                "zoneid",
                .uuid,
                "the ID of the availability zone you want to acquire an public IP address from"
            ),
            ParameterDescriptor("account", .string, "the account to associate with this IP address"),
            ParameterDescriptor("domainid", .uuid, "the ID of the domain to associate with this IP address"),
            ParameterDescriptor("projectid", .uuid, "Deploy VM for the project"),
            ParameterDescriptor(
                "ipaddress",
                .string,
                "IP Address to be associated (not supported: the next free one is taken)"
            ),
            ParameterDescriptor(
                "isportable",
                .boolean,
                "should be set to true if public IP is required to be transferable across zones"
            ),
            ParameterDescriptor(
                "fordisplay",
                .boolean,
                "an optional field, whether to the display the IP to the end user or not"
            ),
        ]
    ) { context in
        let owner = try await context.targetAccount()
        var zoneId = context.string("zoneid")
        var networkId: String?
        var vpcId: String?
        if context.string("networkid") != nil {
            let network = try await NetworkCommands.usableNetwork(context, "networkid")
            guard network.guestType == "Isolated", network.vpcId == nil else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Can't associate a public IP address with network \(network.name): only isolated networks outside VPCs take public IPs"
                )
            }
            networkId = network.id
            zoneId = network.zoneId
        } else if context.string("vpcid") != nil {
            let vpc = try await VPCCommands.ownedVPC(context, "vpcid")
            vpcId = vpc.id
            zoneId = vpc.zoneId
        }
        guard let zoneId else {
            throw CloudError(.paramError, csErrorCode: 4350, "Either networkid, vpcid or zoneid has to be specified")
        }
        guard try await context.server.store.get(Zone.self, id: zoneId) != nil else {
            throw CloudError.invalidParameter(context.command, "zoneid", zoneId)
        }
        let (associatedNetwork, associatedVPC) = (networkId, vpcId)
        // The limit is checked now (CloudStack's create phase) and held until the job has the address.
        let limits = context.server.limits
        let reservation = try await limits.reserve(owner, [.publicIP: 1])
        return try await context.submitJob(instanceType: "IpAddress", instanceId: nil) {
            let store = context.server.store
            let allocated: PublicIPAddress?
            do {
                allocated = try await store.allocatePublicIP(
                    zoneId: zoneId,
                    accountId: owner.id,
                    networkId: associatedNetwork,
                    vpcId: associatedVPC,
                    sourceNat: false
                )
                await limits.release(reservation)
            } catch {
                await limits.release(reservation)
                throw error
            }
            guard let ip = allocated else {
                throw CloudError(
                    .insufficientCapacity,
                    csErrorCode: 4325,
                    "Insufficient address capacity: no free public IP address in zone \(zoneId)"
                )
            }
            return ("ipaddress", try await Self.render([ip], store: store)[0])
        }
    }

    static let disassociate = CommandDescriptor(
        "disassociateIpAddress",
        "Disassociates an IP address from the account.",
        isAsync: true,
        events: .records(CommandEvent(.netIPRelease, "disassociating ip address", .ip)),
        parameters: [
            ParameterDescriptor("id", .uuid, "the ID of the public IP address to disassociate"),
            ParameterDescriptor("ipaddress", .string, "IP Address to be disassociated"),
        ]
    ) { context in
        let ip: PublicIPAddress
        if context.string("id") != nil {
            ip = try await Self.ownedIP(context, "id")
        } else if let address = context.string("ipaddress") {
            guard
                let found = try await context.server.store.list(
                    PublicIPAddress.self,
                    ListQuery(equals: [("address", address), ("state", "Allocated")])
                ).items.first
            else { throw CloudError.invalidParameter(context.command, "ipaddress", address) }
            ip = try await Self.check(context, found)
        } else {
            throw CloudError.missingParameter(context.command, "id")
        }
        guard !ip.isSourceNat else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "IP address \(ip.address) is used for source NAT purposes and can not be disassociated"
            )
        }
        return try await context.submitJob(instanceType: "IpAddress", instanceId: ip.id) {
            // As CloudStack's cleanupIpResources: the address's rules and static NAT go with it.
            try await context.server.store.releasePublicIP(id: ip.id)
            return ("success", .bool(true))
        }
    }

    static let list = CommandDescriptor(
        "listPublicIpAddresses",
        "Lists all public IP addresses",
        parameters: ListParameters.all + ListParameters.scope + [
            ParameterDescriptor("zoneid", .uuid, "lists all public IP addresses by zone ID"),
            ParameterDescriptor("ipaddress", .string, "lists the specified IP address"),
            ParameterDescriptor(
                "associatednetworkid",
                .uuid,
                "lists all public IP addresses associated to the network specified"
            ),
            ParameterDescriptor("vpcid", .uuid, "List IPs belonging to the VPC"),
            ParameterDescriptor("issourcenat", .boolean, "list only source NAT IP addresses"),
            ParameterDescriptor("isstaticnat", .boolean, "list only static NAT IP addresses"),
            ParameterDescriptor("allocatedonly", .boolean, "limits search results to allocated public IP addresses"),
            ParameterDescriptor("state", .string, "lists all public IP addresses by state"),
            ParameterDescriptor("forvirtualnetwork", .boolean, "the virtual network for the IP address"),
            ParameterDescriptor("tags", .map, "List resources by tags (key/value pairs)"),
        ]
    ) { context in
        var filters: [(column: String, value: String)] = []
        for (parameter, column) in [
            ("zoneid", "zone_id"), ("ipaddress", "address"), ("associatednetworkid", "network_id"), ("vpcid", "vpc_id"),
        ] {
            if let value = context.string(parameter) { filters.append((column, value)) }
        }
        if let sourceNat = context.string("issourcenat") {
            filters.append(("is_source_nat", sourceNat.lowercased() == "true" ? "1" : "0"))
        }
        if let state = context.string("state") { filters.append(("state", state)) }
        let store = context.server.store
        // Free addresses are the root admin's to browse with allocatedonly=false; everyone else sees its own.
        if context.caller.role == .rootAdmin, context.string("allocatedonly")?.lowercased() == "false" {
            let page = try await store.list(PublicIPAddress.self, try context.listQuery(filters))
            return .list(
                item: "publicipaddress",
                total: page.total,
                items: try await Self.render(page.items, store: store)
            )
        }
        var query = try await context.scopedListQuery(filters)
        query.tags = context.tagPairs
        query.tagResourceType = "PublicIpAddress"
        var page = try await store.list(PublicIPAddress.self, query)
        if let staticNat = context.string("isstaticnat") {
            page.items = page.items.filter { ($0.staticNatVmId != nil) == (staticNat.lowercased() == "true") }
            page.total = page.items.count
        }
        return .list(item: "publicipaddress", total: page.total, items: try await Self.render(page.items, store: store))
    }

    static let enableStaticNat = CommandDescriptor(
        "enableStaticNat",
        "Enables static NAT for given IP address",
        events: .records(CommandEvent(.staticNATEnable, "enabling static nat", .ip)),
        parameters: [
            ParameterDescriptor(
                "ipaddressid",
                .uuid,
                required: true,
                "the public IP address ID for which static NAT feature is being enabled"
            ),
            ParameterDescriptor(
                "virtualmachineid",
                .uuid,
                required: true,
                "the ID of the virtual machine for enabling static NAT feature"
            ),
            ParameterDescriptor("networkid", .uuid, "The network of the VM the static NAT will be enabled for."),
            ParameterDescriptor("vmguestip", .string, "VM guest NIC secondary IP address for the port forwarding rule"),
        ]
    ) { context in
        let ip = try await Self.ownedIP(context, "ipaddressid")
        let vm = try await VirtualMachineCommands.ownedVM(context, "virtualmachineid")
        let store = context.server.store
        guard !ip.isSourceNat else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Can't enable static NAT on a source NAT IP address \(ip.address)"
            )
        }
        if let current = ip.staticNatVmId, current != vm.id {
            throw CloudError(
                .networkRuleConflict,
                csErrorCode: 4370,
                "Failed to enable static NAT for the IP address \(ip.address): it is already enabled for another VM"
            )
        }
        let rules = try await store.list(NetworkRule.self, ListQuery(equals: [("ip_address_id", ip.id)])).items
        if rules.contains(where: { $0.purpose != .firewall }) {
            throw CloudError(
                .networkRuleConflict,
                csErrorCode: 4370,
                "Failed to enable static NAT for the IP address \(ip.address): it has port forwarding or load balancing rules"
            )
        }
        let nics = try await store.nics(of: vm.id)
        let wanted = context.string("networkid") ?? ip.networkId
        guard let nic = nics.first(where: { wanted == nil ? $0.isDefault : $0.networkId == wanted }) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Virtual machine \(vm.name) has no NIC in the network of IP address \(ip.address)"
            )
        }
        try await store.setStaticNat(id: ip.id, vmId: vm.id, networkId: nic.networkId)
        return .flat([("success", .bool(true))])
    }

    static let disableStaticNat = CommandDescriptor(
        "disableStaticNat",
        "Disables static rule for given IP address",
        isAsync: true,
        events: .records(CommandEvent(.staticNATDisable, "disabling static nat", .ip)),
        parameters: [
            ParameterDescriptor(
                "ipaddressid",
                .uuid,
                required: true,
                "the public IP address ID for which static NAT feature is being disabled"
            )
        ]
    ) { context in
        let ip = try await Self.ownedIP(context, "ipaddressid")
        guard ip.staticNatVmId != nil else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Specified IP address id is not associated with any vm Id"
            )
        }
        return try await context.submitJob(instanceType: "IpAddress", instanceId: ip.id) {
            try await context.server.store.setStaticNat(id: ip.id, vmId: nil)
            return ("success", .bool(true))
        }
    }
}
