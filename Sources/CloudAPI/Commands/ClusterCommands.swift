import CloudCore
import CloudModel

/// listManagementServers.
enum ClusterCommands {
    static var all: [CommandDescriptor] { [listManagementServers] }

    /// CloudStack's `listManagementServers` (ListMgmtsCmd): root admins; filters `id` and `name`.
    static let listManagementServers = CommandDescriptor(
        "listManagementServers",
        "Lists management servers.",
        roles: [.rootAdmin],
        parameters: [
            ParameterDescriptor("id", .string, "the id of the management server"),
            ParameterDescriptor("name", .string, "the name of the management server"),
            ParameterDescriptor("keyword", .string, "List by keyword"),
            ParameterDescriptor("page", .integer, "the page to return"),
            ParameterDescriptor("pagesize", .integer, "the number of items per page"),
        ]
    ) { context in
        let page = try await context.core.infrastructure.managementServers(context.access, context.listRequest)
        return .list(item: "managementserver", total: page.total, items: page.items.map(Self.render))
    }

    /// CloudStack's ManagementServerResponse, and what ZooStack adds from its coordination: `isleader`,
    /// `leaderepoch` (on the leader), `zookeepersessionstate`, `hostsowned` and `configurationversion` (the live
    /// configuration it has applied, as a ZooKeeper zxid).
    static func render(_ server: ManagementServerStatus) -> APIValue {
        var members: [(String, APIValue)] = [
            ("id", .string(server.id)), ("name", .string(server.name)), ("state", .string(server.state)),
            ("version", .string(server.version)), ("serviceip", .string(Self.ip(server.serviceIp))),
        ]
        if let start = server.lastServerStart { members.append(("lastserverstart", .string(DateFormat.string(start)))) }
        if let stop = server.lastServerStop { members.append(("lastserverstop", .string(DateFormat.string(stop)))) }
        if let leader = server.isLeader { members.append(("isleader", .bool(leader))) }
        if let epoch = server.leaderEpoch { members.append(("leaderepoch", .int(epoch))) }
        if let state = server.sessionState { members.append(("zookeepersessionstate", .string(state))) }
        if let owned = server.hostsOwned { members.append(("hostsowned", .int(owned))) }
        if let version = server.configurationVersion { members.append(("configurationversion", .int(Int(version)))) }
        return .object(members)
    }

    /// The IP part of `host:port` (CloudStack's serviceip is an address without a port).
    static func ip(_ address: String) -> String {
        if address.hasPrefix("["), let end = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<end])
        }
        guard address.filter({ $0 == ":" }).count == 1, let colon = address.lastIndex(of: ":") else { return address }
        return String(address[..<colon])
    }
}
