import CloudModel
import Orchestrator

/// listManagementServers: the cluster's members, or this server alone.
extension InfrastructureService {
    /// The management servers (CloudStack's ListMgmtsCmd): the request's `id` matches exactly, its `name` in any
    /// case (as CloudStack's SQL compares it), its `keyword` a part of the name in any case.
    /// - Throws: 431 for bad paging; the cluster's errors.
    public func managementServers(
        _ access: Access,
        _ request: ListRequest
    ) async throws -> ListPage<ManagementServerStatus> {
        _ = try access.query(request)
        let servers = try await self.services.cluster?.managementServers() ?? [self.standalone()]
        let keyword = request.keyword?.lowercased()
        let matches = servers.filter { server in
            if let id = request.id, server.id != id { return false }
            if let name = request.name, server.name.lowercased() != name.lowercased() { return false }
            if let keyword, !server.name.lowercased().contains(keyword) { return false }
            return true
        }
        return try access.pageInMemory(matches, request)
    }

    /// This server alone, when it is not part of a cluster.
    public func standalone() -> ManagementServerStatus {
        let id = self.services.jobs.owner ?? "localhost"
        return ManagementServerStatus(
            id: id,
            name: id,
            state: "Up",
            version: CloudServices.version,
            serviceIp: "127.0.0.1",
            lastServerStart: self.services.started,
            lastServerStop: nil
        )
    }
}
