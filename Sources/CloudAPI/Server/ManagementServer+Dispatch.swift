import CloudCore
import CloudModel
import Foundation
import Logging
import Orchestrator

extension ManagementServer {
    /// Handles one API request: authenticate, look up, authorize, validate, run, serialize.
    /// - Parameter request: the request.
    /// - Returns: the response.
    public func handle(_ request: APIRequest) async -> APIResponse {
        let started = ContinuousClock.now
        var trace = RequestTrace()
        let response = await self.dispatch(request, trace: &trace)
        let elapsed = ContinuousClock.now - started
        let name = request.parameters["command"] ?? ""
        // A label per registered command, never per string a client sends: the series stay bounded.
        let label = name == "login" || self.command(named: name) != nil ? name : "unknown"
        self.apiMetrics.record(command: label, status: response.status, duration: elapsed)
        var metadata: Logger.Metadata = [
            "request_id": "\(UUID().uuidString.lowercased())",
            "command": "\(label)",
            "status": "\(response.status)",
            "latency_ms": "\(Self.milliseconds(elapsed))",
        ]
        if let account = trace.account { metadata["account"] = "\(account)" }
        if let jobId = trace.jobId { metadata["job_id"] = "\(jobId)" }
        self.logger.info("api request", metadata: metadata)
        return response
    }

    /// What one request's log line says besides its command and status.
    struct RequestTrace {
        /// The caller's account, once authenticated.
        var account: String?
        /// The async job the request submitted.
        var jobId: String?
    }

    /// Milliseconds with three decimals.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        return String(format: "%.3f", Double(micros) / 1000)
    }

    /// Authenticates, looks up, authorizes, validates, runs and serializes one request.
    func dispatch(_ request: APIRequest, trace: inout RequestTrace) async -> APIResponse {
        let parameters = request.parameters
        let json = parameters["response"]?.lowercased() == "json"
        let name = parameters["command"] ?? ""
        var envelope = name.lowercased() + "response"
        do {
            if name == "login" { return try await self.login(request, json: json) }
            let caller = try await self.authenticate(request, command: name)
            trace.account = caller.account.name
            if self.command(named: name) == nil, let part = RefusedCommands.missingPart[name] {
                throw CloudError.refused(name, needs: part)
            }
            // The caller's role decides (CloudStack's DynamicRoleBasedAPIAccessChecker): a default role by the
            // command's role types, a role of the account's own by its rules first.
            guard let command = self.command(named: name),
                try await self.core.roles.mayCall(
                    caller,
                    command: name,
                    allowedByType: command.roles.contains(caller.role)
                )
            else {
                envelope = "errorresponse"
                throw caller.account.roleId == nil
                    ? CloudError.unsupported(name) : RoleService.unavailable(name, account: caller.account.name)
            }
            try command.validate(parameters)
            if command.isCoordinated, let cluster = self.cluster { try cluster.requireCoordination() }
            _ = try await self.configuration.snapshot()
            let context = CommandContext(
                server: self,
                caller: caller,
                parameters: parameters,
                command: name,
                event: command.event,
                requestHost: request.host
            )
            let result: CommandResult
            do {
                result = try await command.handler(context)
            } catch {
                var events = CommandEventRecorder(context)
                await events?.completed(nil)
                throw error
            }
            if case .async(let jobId, _) = result {
                trace.jobId = jobId
                // The job records its own Scheduled, Started and Completed events.
            } else if var events = CommandEventRecorder(context) {
                await events.completed(result)
            }
            return Self.render(envelope, result.body, status: 200, json: json)
        } catch {
            let apiError = CloudError.from(error)
            if apiError.code == .internalError {
                self.logger.error("command failed", metadata: ["command": "\(name)", "error": "\(apiError.text)"])
            }
            return Self.renderError(envelope, apiError, json: json)
        }
    }

    /// Authenticates a request as CloudStack's ApiServlet does: a request naming a live session by its
    /// `JSESSIONID` cookie must prove it with the session's key (``LoginSessions/check(sessionId:keyParameter:keyCookie:)``;
    /// a wrong key ends the session on every server); any other is verified by its signature (`apiKey`). 401 otherwise.
    func authenticate(_ request: APIRequest, command: String) async throws -> Caller {
        let parameters = request.parameters
        if let sessionId = request.cookies["JSESSIONID"],
            let check = try await self.sessions.check(
                sessionId: sessionId,
                keyParameter: parameters["sessionkey"],
                keyCookie: request.cookies["sessionkey"]
            )
        {
            guard case .valid(let userId) = check, let caller = try await self.caller(userId: userId) else {
                throw CloudError.unableToVerify
            }
            if command == "logout" { try await self.sessions.close(id: sessionId) }
            return caller
        }
        guard let apiKey = parameters["apikey"] else { throw CloudError.unableToVerify }
        // CloudStack answers 401, not 432, to an unknown command sent with an API key. A CloudStack command that
        // ZooStack refuses on purpose is known: once the caller is verified, it learns what is missing.
        let known = self.command(named: command) != nil || RefusedCommands.missingPart[command] != nil
        guard known, let signature = parameters["signature"],
            let (caller, secret) = try await self.core.authentication.apiKeyUser(apiKey)
        else { throw CloudError.unableToVerify }
        guard RequestSigner.verify(parameters.pairs, signature: signature, secret: secret) else {
            throw CloudError.unableToVerify
        }
        if parameters["signatureversion"] == "3" {
            guard let expires = parameters["expires"].flatMap(RequestSigner.parseExpires), expires > Date()
            else { throw CloudError.unableToVerify }
        }
        guard caller.user.state == "enabled", caller.account.state == "enabled" else { throw CloudError.unableToVerify }
        return caller
    }

    static func render(_ envelope: String, _ body: APIValue, status: Int, json: Bool) -> APIResponse {
        if json {
            return APIResponse(
                status: status,
                body: APIValue.object([(envelope, body)]).json,
                contentType: "application/json; charset=UTF-8",
                setCookies: []
            )
        }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"#
        xml += "<\(envelope) cloud-stack-version=\"4.20.0-zoostack\">"
        if case .object(let members) = body {
            for (key, value) in members { value.writeXML(name: key, into: &xml) }
        }
        xml += "</\(envelope)>"
        return APIResponse(status: status, body: xml, contentType: "text/xml; charset=UTF-8", setCookies: [])
    }

    static func renderError(_ envelope: String, _ error: CloudError, json: Bool) -> APIResponse {
        let body = APIValue.object([
            ("uuidList", .array([])), ("errorcode", .int(error.code.rawValue)),
            ("cserrorcode", .int(error.csErrorCode)), ("errortext", .string(error.text)),
        ])
        var response = Self.render(envelope, body, status: error.code.rawValue, json: json)
        response.errorText = error.text
        return response
    }
}
