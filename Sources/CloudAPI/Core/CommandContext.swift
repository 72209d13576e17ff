import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Everything a command handler sees: the server, the caller and the validated parameters.
public struct CommandContext: Sendable {
    /// The server.
    public var server: ManagementServer
    /// Who is calling.
    public var caller: Caller
    /// The request's parameters.
    public var parameters: APIParameters
    /// The command's API name.
    public var command: String
    /// The event the command's descriptor declares (``CommandDescriptor/event``), nil when it records none.
    public var event: CommandEvent?

    /// A parameter's value, nil when absent or empty.
    public func string(_ name: String) -> String? {
        guard let value = self.parameters[name], !value.isEmpty else { return nil }
        return value
    }

    /// A required parameter's value.
    /// - Throws: 431 naming the parameter.
    public func required(_ name: String) throws(CloudAPIError) -> String {
        guard let value = self.string(name) else { throw .missingParameter(self.command, name) }
        return value
    }

    /// A boolean parameter.
    public func bool(_ name: String, default fallback: Bool = false) -> Bool {
        self.string(name).map { $0.lowercased() == "true" } ?? fallback
    }

    /// An integer parameter.
    public func int(_ name: String) -> Int? {
        self.string(name).flatMap { Int($0) }
    }

    /// Loads the entity named by a UUID parameter.
    /// - Throws: 431 naming the parameter when absent, malformed or unknown.
    public func entity<Row: StoreRow>(_ type: Row.Type, _ name: String) async throws -> Row {
        let id = try self.required(name)
        guard let row = try await self.server.store.get(Row.self, id: id) else {
            throw CloudAPIError.invalidParameter(self.command, name, id)
        }
        return row
    }

    /// The list query of a `BaseListCmd`: paging (431 when page/pagesize are inconsistent), keyword, id/ids/name.
    /// - Parameter equals: extra `column = value` filters.
    /// - Returns: the query.
    /// - Throws: 431.
    public func listQuery(_ equals: [(column: String, value: String)] = []) throws(CloudAPIError) -> ListQuery {
        var query = ListQuery(equals: equals, keyword: self.string("keyword"))
        if let id = self.string("id") { query.equals.append(("id", id)) }
        if let name = self.string("name") { query.equals.append(("name", name)) }
        if let ids = self.string("ids") { query.idIn = ids.split(separator: ",").map(String.init) }
        let page = self.int("page")
        let size = self.int("pagesize")
        let maximum =
            self.server.configuration.cached.int(GlobalSettings.Name.defaultPageSize)
            ?? ManagementServer.defaultPageSize
        switch (page, size) {
        case (nil, nil):
            query.pageSize = maximum
        case (let page?, let size?) where size > 0 && size <= maximum && page >= 1:
            query.page = page
            query.pageSize = size
        case (nil, .some(-1)):
            query.pageSize = nil
        case (nil, .some), (.some, nil):
            throw CloudAPIError(
                .paramError,
                csErrorCode: 4350,
                "\"page\" parameter is required when \"pagesize\" is specified"
            )
        case (.some, .some):
            throw CloudAPIError(
                .paramError,
                csErrorCode: 4350,
                "Page size can't exceed max allowed page size value: \(maximum)"
            )
        }
        return query
    }

    /// Filters that restrict a list to the caller's account unless the root admin asks for `listall`. Domain
    /// admins get their own account here: lists that honour domains use ``scopedListQuery(_:column:)``.
    public var ownership: [(column: String, value: String)] {
        if self.caller.role == .rootAdmin && self.bool("listall") { return [] }
        return [("account_id", self.caller.account.id)]
    }

    /// Submits an async job owned by the caller.
    /// - Parameters:
    ///   - instanceType: `VirtualMachine`, ...
    ///   - instanceId: the object's UUID.
    ///   - work: the job body; returns the result object's name and value.
    /// - Returns: the async answer.
    public func submitJob(
        instanceType: String,
        instanceId: String?,
        returnsId: Bool = false,
        work: @escaping @Sendable () async throws -> (String, APIValue)
    ) async throws -> CommandResult {
        let job = AsyncJob(
            id: UUID().uuidString.lowercased(),
            accountId: self.caller.account.id,
            userId: self.caller.user.id,
            cmd:
                "org.apache.cloudstack.api.command.user.vm.\(self.command.prefix(1).uppercased())\(self.command.dropFirst())Cmd",
            instanceType: instanceType,
            instanceId: instanceId,
            created: Timestamp.now
        )
        let events = CommandEventRecorder(self, resourceId: instanceId)
        let scheduled = await events?.scheduled()
        try await self.server.jobs.submit(job) {
            await events?.started(startId: scheduled)
            do {
                let (name, value) = try await work()
                await events?.finished(success: true, startId: scheduled)
                return .success(APIValue.object([(name, value)]).json)
            } catch {
                await events?.finished(success: false, startId: scheduled)
                let apiError = CloudAPIError.from(error)
                let body = APIValue.object([
                    ("errorcode", .int(apiError.code.rawValue)), ("errortext", .string(apiError.text)),
                ])
                return .failure(code: apiError.code.rawValue, resultJSON: body.json)
            }
        }
        return .async(jobId: job.id, id: returnsId ? instanceId : nil)
    }
}
