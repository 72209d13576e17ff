import CloudCore
import CloudModel
import Foundation

/// The deployVirtualMachine parameters beyond the template and offering: networks, security groups, affinity
/// groups, SSH key pairs and user data (the core's ``DeploymentExtras`` resolves them).
enum DeployExtras {
    /// The deploy parameters this type reads.
    static let parameters: [ParameterDescriptor] = [
        ParameterDescriptor("keypairs", .list, "names of the ssh key pairs used to login to the virtual machine"),
        ParameterDescriptor("securitygroupids", .list, "comma separated list of security groups id"),
        ParameterDescriptor("securitygroupnames", .list, "comma separated list of security groups names"),
        ParameterDescriptor("affinitygroupids", .list, "comma separated list of affinity groups id"),
        ParameterDescriptor("affinitygroupnames", .list, "comma separated list of affinity groups names"),
        ParameterDescriptor("userdataid", .uuid, "the ID of the Userdata"),
    ]

    static func list(_ context: CommandContext, _ name: String) -> [String] {
        context.string(name)?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        } ?? []
    }

    /// The extras a request asks for.
    static func request(_ context: CommandContext) -> DeploymentExtras.Request {
        DeploymentExtras.Request(
            networkIds: Self.list(context, "networkids"),
            securityGroupIds: Self.list(context, "securitygroupids"),
            securityGroupNames: Self.list(context, "securitygroupnames"),
            affinityGroupIds: Self.list(context, "affinitygroupids"),
            affinityGroupNames: Self.list(context, "affinitygroupnames"),
            keyPairNames: Self.list(context, "keypairs").isEmpty
                ? Self.list(context, "keypair") : Self.list(context, "keypairs"),
            userData: context.string("userdata"),
            userDataId: context.string("userdataid")
        )
    }

    /// Resolves and checks the request's extras for a VM of `owner` in `zone`.
    /// - Throws: 431 for unknown or foreign ids and networks of another zone, 531 out of the caller's reach.
    static func resolve(_ context: CommandContext, owner: Account, zone: Zone) async throws -> DeploymentExtras {
        try await DeploymentExtras.resolve(Self.request(context), context.access, owner: owner, zone: zone)
    }
}
