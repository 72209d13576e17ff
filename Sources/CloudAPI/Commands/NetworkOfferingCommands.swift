import CloudCore
import CloudModel
import Foundation

/// createNetworkOffering, updateNetworkOffering and deleteNetworkOffering (root admin only;
/// ``NetworkOfferingService``).
enum NetworkOfferingCommands {
    static var all: [CommandDescriptor] { [create, update, delete] }

    static let admins: Set<Role> = [.rootAdmin]
    static let resource = CommandEvent.Resource(type: "NetworkOffering", label: "Network offering", parameters: ["id"])

    static let create = CommandDescriptor(
        "createNetworkOffering",
        "Creates a network offering.",
        roles: admins,
        events: .records(CommandEvent(.networkOfferingCreate, "creating network offering", resource)),
        parameters: [
            ParameterDescriptor("name", .string, required: true, "the name of the network offering"),
            ParameterDescriptor("displaytext", .string, "the display text of the network offering"),
            ParameterDescriptor(
                "guestiptype",
                .string,
                required: true,
                "guest type of the network offering: Shared or Isolated"
            ),
            ParameterDescriptor(
                "traffictype",
                .string,
                required: true,
                "the traffic type for the network offering. Supported type in current release is GUEST only"
            ),
            ParameterDescriptor("supportedservices", .list, "services supported by the network offering"),
            ParameterDescriptor("serviceproviderlist", .map, "provider to service mapping."),
            ParameterDescriptor("forvpc", .boolean, "true if network offering is meant to be used for VPC"),
            ParameterDescriptor(
                "egressdefaultpolicy",
                .boolean,
                "true if guest network default egress policy is allow; false if default egress policy is deny"
            ),
            ParameterDescriptor("specifyipranges", .boolean, "true if network offering supports specifying ip ranges"),
            ParameterDescriptor("specifyvlan", .boolean, "true if network offering supports vlans"),
            ParameterDescriptor("availability", .string, "the availability of network offering."),
        ]
    ) { context in
        let offering = try await context.core.networkOfferings.create(
            context.access,
            NetworkOfferingService.NewOffering(
                name: try context.required("name"),
                displayText: context.string("displaytext"),
                guestType: try context.required("guestiptype"),
                trafficType: try context.required("traffictype"),
                services: context.string("supportedservices")?.split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces)
                } ?? [],
                forVpc: context.bool("forvpc"),
                egressDefaultPolicy: context.bool("egressdefaultpolicy", default: true),
                specifyIpRanges: context.bool("specifyipranges")
            )
        )
        return .object(name: "networkoffering", NetworkResponses.offering(offering))
    }

    static let update = CommandDescriptor(
        "updateNetworkOffering",
        "Updates a network offering.",
        roles: admins,
        events: .records(CommandEvent(.networkOfferingEdit, "updating network offering", resource)),
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "the id of the network offering"),
            ParameterDescriptor("name", .string, "the name of the network offering"),
            ParameterDescriptor("displaytext", .string, "the display text of the network offering"),
            ParameterDescriptor("state", .string, "update state for the network offering"),
        ]
    ) { context in
        let offering = try await context.core.networkOfferings.update(
            context.access,
            id: try context.required("id"),
            name: context.string("name"),
            displayText: context.string("displaytext"),
            state: context.string("state")
        )
        return .object(name: "networkoffering", NetworkResponses.offering(offering))
    }

    static let delete = CommandDescriptor(
        "deleteNetworkOffering",
        "Deletes a network offering.",
        roles: admins,
        events: .records(CommandEvent(.networkOfferingDelete, "deleting network offering", resource)),
        parameters: [ParameterDescriptor("id", .uuid, required: true, "the ID of the network offering")]
    ) { context in
        try await context.core.networkOfferings.delete(context.access, id: try context.required("id"))
        return .flat([("success", .bool(true))])
    }
}
