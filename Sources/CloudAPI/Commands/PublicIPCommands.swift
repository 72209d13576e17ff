import CloudCore
import CloudModel
import Orchestrator

/// Public IP addresses: associateIpAddress, disassociateIpAddress, listPublicIpAddresses, enableStaticNat,
/// disableStaticNat.
enum PublicIPCommands {
    static var all: [CommandDescriptor] { [associate, disassociate, list, enableStaticNat, disableStaticNat] }

    /// A page of addresses with their zones, networks, static NAT VMs and owners.
    static func render(_ ips: [PublicIPAddress], core: CloudServices) async throws -> [APIValue] {
        guard !ips.isEmpty else { return [] }
        let details = try await core.publicIPs.details(of: ips)
        let owners = try await OwnerNames.load(ips.map(\.accountId), core: core)
        return ips.map { ip in
            var fields: [(String, APIValue)] = [
                ("id", .string(ip.id)), ("ipaddress", .string(ip.address)),
                ("allocated", .string(ip.allocated.map(DateFormat.string) ?? "")),
                ("zoneid", .string(ip.zoneId)), ("zonename", .string(details.zoneNames[ip.zoneId] ?? "")),
                ("issourcenat", .bool(ip.isSourceNat)), ("isstaticnat", .bool(ip.staticNatVmId != nil)),
                ("issystem", .bool(false)), ("forvirtualnetwork", .bool(true)), ("vlanname", .string(ip.vlan)),
                ("state", .string(ip.state)), ("fordisplay", .bool(true)),
            ]
            fields += owners.fields(ip.accountId)
            if let networkId = ip.networkId {
                fields += [
                    ("associatednetworkid", .string(networkId)),
                    ("associatednetworkname", .string(details.networks[networkId]?.name ?? "")),
                ]
            }
            if let vpcId = ip.vpcId { fields.append(("vpcid", .string(vpcId))) }
            if let vmId = ip.staticNatVmId {
                fields += [
                    ("virtualmachineid", .string(vmId)), ("virtualmachinename", .string(details.vms[vmId]?.name ?? "")),
                    ("virtualmachinedisplayname", .string(details.vms[vmId]?.displayName ?? "")),
                    ("virtualmachinetype", .string("User")),
                    ("vmipaddress", .string(details.vmAddresses[ip.id] ?? "")),
                ]
            }
            let tags = details.tags[ip.id] ?? []
            fields.append(("tags", .array(tags.map { TagCommands.render($0, account: nil) })))
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
        let ips = context.core.publicIPs
        // The limit is checked now (CloudStack's create phase) and held until the job has the address.
        let association = try await ips.prepareAssociate(
            context.access,
            owner: context.owner,
            zoneId: context.string("zoneid"),
            networkId: context.string("networkid"),
            vpcId: context.string("vpcid")
        )
        return try await context.submitJob(instanceType: "IpAddress", instanceId: nil) {
            let ip = try await ips.allocate(association)
            return ("ipaddress", try await Self.render([ip], core: context.core)[0])
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
        let ips = context.core.publicIPs
        let ip = try await ips.prepareDisassociate(
            context.access,
            id: context.string("id"),
            address: context.string("ipaddress")
        )
        return try await context.submitJob(instanceType: "IpAddress", instanceId: ip.id) {
            try await ips.release(ip)
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
        let filter = PublicIPFilter(
            zoneId: context.string("zoneid"),
            address: context.string("ipaddress"),
            networkId: context.string("associatednetworkid"),
            vpcId: context.string("vpcid"),
            isSourceNat: context.string("issourcenat").map { $0.lowercased() == "true" },
            isStaticNat: context.string("isstaticnat").map { $0.lowercased() == "true" },
            state: context.string("state"),
            allocatedOnly: context.string("allocatedonly")?.lowercased() != "false"
        )
        let page = try await context.core.publicIPs.list(context.access, context.listRequest, filter)
        return .list(
            item: "publicipaddress",
            total: page.total,
            items: try await Self.render(page.items, core: context.core)
        )
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
        try await context.core.publicIPs.enableStaticNat(
            context.access,
            ipId: try context.required("ipaddressid"),
            vmId: try context.required("virtualmachineid"),
            networkId: context.string("networkid")
        )
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
        let ips = context.core.publicIPs
        let ip = try await ips.prepareDisableStaticNat(context.access, ipId: try context.required("ipaddressid"))
        return try await context.submitJob(instanceType: "IpAddress", instanceId: ip.id) {
            try await ips.disableStaticNat(ip)
            return ("success", .bool(true))
        }
    }
}
