import CloudModel
import CloudStore
import Foundation
import Logging
import Orchestrator

extension ManagementServer {
    /// Handles one API request: authenticate, look up, authorize, validate, run, serialize.
    /// - Parameter request: the request.
    /// - Returns: the response.
    public func handle(_ request: APIRequest) async -> APIResponse {
        let parameters = request.parameters
        let json = parameters["response"]?.lowercased() == "json"
        let name = parameters["command"] ?? ""
        var envelope = name.lowercased() + "response"
        do {
            if name == "login" { return try await self.login(request, json: json) }
            let caller = try await self.authenticate(request, command: name)
            guard let command = self.command(named: name), command.roles.contains(caller.role) else {
                envelope = "errorresponse"
                throw CloudAPIError.unsupported(name)
            }
            try command.validate(parameters)
            if command.needsCoordination, let cluster = self.cluster { try cluster.requireCoordination() }
            _ = try await self.configuration.snapshot()
            let context = CommandContext(server: self, caller: caller, parameters: parameters, command: name)
            let result: CommandResult
            do {
                result = try await command.handler(context)
            } catch {
                var events = CommandEventRecorder(context)
                await events?.completed(nil)
                throw error
            }
            if case .async = result {
                // The job records its own Scheduled, Started and Completed events.
            } else if var events = CommandEventRecorder(context) {
                await events.completed(result)
            }
            return Self.render(envelope, result.body, status: 200, json: json)
        } catch {
            let apiError = CloudAPIError.from(error)
            if apiError.code == .internalError {
                self.logger.error("command failed", metadata: ["command": "\(name)", "error": "\(apiError.text)"])
            }
            return Self.renderError(envelope, apiError, json: json)
        }
    }

    /// Authenticates by signature (apiKey) or session key; 401 otherwise.
    func authenticate(_ request: APIRequest, command: String) async throws -> Caller {
        let parameters = request.parameters
        if let apiKey = parameters["apikey"] {
            // CloudStack answers 401, not 432, to an unknown command sent with an API key.
            guard self.command(named: command) != nil, let signature = parameters["signature"],
                let (user, account) = try await self.store.userAndAccount(apiKey: apiKey), let secret = user.secretKey,
                RequestSigner.verify(parameters.pairs, signature: signature, secret: secret)
            else { throw CloudAPIError.unableToVerify }
            if parameters["signatureversion"] == "3" {
                guard let expires = parameters["expires"].flatMap(RequestSigner.parseExpires), expires > Date()
                else { throw CloudAPIError.unableToVerify }
            }
            guard user.state == "enabled", account.state == "enabled" else { throw CloudAPIError.unableToVerify }
            return Caller(user: user, account: account)
        }
        let key = parameters["sessionkey"] ?? request.cookies["sessionkey"]
        guard let key, let userId = self.sessions.user(for: key), let caller = try await self.caller(userId: userId)
        else { throw CloudAPIError.unableToVerify }
        if command == "logout" {
            self.sessions.close(key)
        }
        return caller
    }

    /// `login` (POST only): verifies the password and opens a session.
    func login(_ request: APIRequest, json: Bool) async throws -> APIResponse {
        guard request.method == "POST" else {
            throw CloudAPIError(.methodNotAllowed, "Please use HTTP POST to authenticate using this API")
        }
        let parameters = request.parameters
        guard let username = parameters["username"], let password = parameters["password"],
            let user = try await self.store.user(named: username),
            PasswordHasher.verify(password, against: user.passwordHash),
            let caller = try await self.caller(userId: user.id)
        else {
            throw CloudAPIError(
                .accountError,
                csErrorCode: 4365,
                "Failed to authenticate user \(parameters["username"] ?? ""); please provide valid credentials"
            )
        }
        let key = self.sessions.open(userId: user.id)
        await self.events.record(
            "USER.LOGIN",
            "user has logged in",
            accountId: caller.account.id,
            userId: user.id,
            resourceId: user.id,
            resourceType: "User"
        )
        let body = APIValue.object([
            ("username", .string(user.username)), ("userid", .string(user.id)),
            ("domainid", .string(caller.account.domainId)), ("timeout", .int(1800)),
            ("account", .string(caller.account.name)), ("firstname", .string(user.firstname)),
            ("lastname", .string(user.lastname)), ("type", .string(caller.role.typeName)),
            ("timezone", .string("UTC")), ("registered", .string("false")), ("sessionkey", .string(key)),
        ])
        var response = Self.render("loginresponse", body, status: 200, json: json)
        response.setCookies = [
            "JSESSIONID=\(key); Path=/client; HttpOnly", "sessionkey=\(key); HttpOnly; SameSite=Lax",
        ]
        return response
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

    static func renderError(_ envelope: String, _ error: CloudAPIError, json: Bool) -> APIResponse {
        let body = APIValue.object([
            ("uuidList", .array([])), ("errorcode", .int(error.code.rawValue)),
            ("cserrorcode", .int(error.csErrorCode)), ("errortext", .string(error.text)),
        ])
        var response = Self.render(envelope, body, status: error.code.rawValue, json: json)
        response.errorText = error.text
        return response
    }
}
