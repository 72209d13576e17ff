import CloudCore
import CloudModel
import CloudStore
import Orchestrator

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
        let query = try context.listQuery()
        let servers = try await context.server.cluster?.managementServers() ?? [Self.standalone(context.server)]
        let id = context.string("id")
        let name = context.string("name")
        let keyword = context.string("keyword")?.lowercased()
        let matches = servers.filter { server in
            if let id, server.id != id { return false }
            if let name, server.name != name { return false }
            if let keyword, !server.name.lowercased().contains(keyword) { return false }
            return true
        }
        let size = query.pageSize ?? max(matches.count, 1)
        let page = matches.paged(query.page, size: size)
        return .list(item: "managementserver", total: matches.count, items: page.map(Self.render))
    }

    /// This server alone, when it is not part of a cluster.
    static func standalone(_ server: ManagementServer) -> ManagementServerStatus {
        let id = server.jobs.owner ?? "localhost"
        return ManagementServerStatus(
            id: id,
            name: id,
            state: "Up",
            version: ManagementServer.version,
            serviceIp: "127.0.0.1",
            lastServerStart: server.started,
            lastServerStop: nil
        )
    }

    /// CloudStack's ManagementServerResponse.
    static func render(_ server: ManagementServerStatus) -> APIValue {
        var members: [(String, APIValue)] = [
            ("id", .string(server.id)), ("name", .string(server.name)), ("state", .string(server.state)),
            ("version", .string(server.version)), ("serviceip", .string(Self.ip(server.serviceIp))),
        ]
        if let start = server.lastServerStart { members.append(("lastserverstart", .string(DateFormat.string(start)))) }
        if let stop = server.lastServerStop { members.append(("lastserverstop", .string(DateFormat.string(stop)))) }
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
