import CloudCore
import CloudModel

extension NetworkCommands {
    static let createNetwork = CommandDescriptor(
        "createNetwork",
        "Creates a network",
        events: .records(CommandEvent(.networkCreate, "creating network", .network)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the network"),
            ParameterDescriptor("displaytext", .string, "the display text of the network"),
            ParameterDescriptor("networkofferingid", .uuid, required: true, "the network offering ID"),
            ParameterDescriptor("zoneid", .uuid, required: true, "the zone ID for the network"),
            ParameterDescriptor("gateway", .string, "the gateway of the network"),
            ParameterDescriptor("netmask", .string, "the netmask of the network"),
            ParameterDescriptor("startip", .string, "the beginning IP address in the network IP range"),
            ParameterDescriptor("endip", .string, "the ending IP address in the network IP range"),
            ParameterDescriptor("networkdomain", .string, "network domain"),
            ParameterDescriptor("vpcid", .uuid, "the VPC network belongs to"),
            ParameterDescriptor("aclid", .uuid, "Network ACL ID associated for the network"),
            ParameterDescriptor("account", .string, "account that will own the network"),
            ParameterDescriptor("domainid", .uuid, "domain ID of the account owning a network"),
            ParameterDescriptor("projectid", .uuid, "an optional project for the network"),
            ParameterDescriptor("vlan", .string, "the ID or VID of the network"),
            ParameterDescriptor("acltype", .string, "Access control type; supported values are account and domain"),
        ]
    ) { context in
        let network = try await context.core.networks.create(
            context.access,
            NetworkService.CreateRequest(
                name: try context.required("name"),
                displayText: context.string("displaytext"),
                networkOfferingId: try context.required("networkofferingid"),
                zoneId: try context.required("zoneid"),
                gateway: context.string("gateway"),
                netmask: context.string("netmask"),
                startIp: context.string("startip"),
                endIp: context.string("endip"),
                networkDomain: context.string("networkdomain"),
                vpcId: context.string("vpcid"),
                aclId: context.string("aclid"),
                owner: context.owner
            )
        )
        return .object(name: "network", try await NetworkResponses.render([network], core: context.core)[0])
    }
}
