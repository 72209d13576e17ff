import CloudCore
import CloudModel
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
    /// The `Host` the client addressed (`host:port`), when it sent one (listRegions' endpoint).
    public var requestHost: String?

    /// A parameter's value, nil when absent or empty.
    public func string(_ name: String) -> String? {
        guard let value = self.parameters[name], !value.isEmpty else { return nil }
        return value
    }

    /// A required parameter's value.
    /// - Throws: 431 naming the parameter.
    public func required(_ name: String) throws(CloudError) -> String {
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

    /// The core.
    public var core: CloudServices { self.server.core }

    /// The caller's access to this command in the core.
    public var access: Access { Access(caller: self.caller, command: self.command, services: self.server.core) }

    /// The request's list paging, filters and scope (`page`, `pagesize`, `keyword`, `id`, `ids`, `name`, `tags`,
    /// `account`, `domainid`, `isrecursive`, `listall`, `projectid`).
    public var listRequest: ListRequest {
        ListRequest(
            keyword: self.string("keyword"),
            id: self.string("id"),
            ids: self.string("ids")?.split(separator: ",").map(String.init),
            name: self.string("name"),
            page: self.int("page"),
            pageSize: self.int("pagesize"),
            tags: self.tagPairs,
            account: self.string("account"),
            domainId: self.string("domainid"),
            isRecursive: self.bool("isrecursive"),
            listAll: self.bool("listall"),
            projectId: self.string("projectid")
        )
    }

    /// The owner a create names (`account`, `domainid`, `projectid`).
    public var owner: OwnerRequest {
        OwnerRequest(
            account: self.string("account"),
            domainId: self.string("domainid"),
            projectId: self.string("projectid")
        )
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
            created: self.core.clock.now
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
                let apiError = CloudError.from(error)
                let body = APIValue.object([
                    ("errorcode", .int(apiError.code.rawValue)), ("errortext", .string(apiError.text)),
                ])
                return .failure(code: apiError.code.rawValue, resultJSON: body.json)
            }
        }
        return .async(jobId: job.id, id: returnsId ? instanceId : nil)
    }
}
