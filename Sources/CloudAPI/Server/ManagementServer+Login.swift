import CloudCore
import CloudModel
import Foundation

extension ManagementServer {
    /// `login` (POST only): authenticates the user in the given domain (``AuthenticationService/login(username:password:domainId:domainPath:disabled:)``)
    /// and opens a session; a user disabled by too many failed logins loses its sessions.
    func login(_ request: APIRequest, json: Bool) async throws -> APIResponse {
        guard request.method == "POST" else {
            throw CloudError(.methodNotAllowed, "Please use HTTP POST to authenticate using this API")
        }
        let parameters = request.parameters
        let sessions = self.sessions
        let caller = try await self.core.authentication.login(
            username: parameters["username"] ?? "",
            password: parameters["password"] ?? "",
            domainId: parameters["domainid"],
            domainPath: parameters["domain"]
        ) { userId in
            sessions.closeAll(userId: userId)
        }
        let user = caller.user
        let session = self.sessions.open(userId: user.id)
        let body = APIValue.object([
            ("username", .string(user.username)), ("userid", .string(user.id)),
            ("domainid", .string(caller.account.domainId)), ("timeout", .int(1800)),
            ("account", .string(caller.account.name)), ("firstname", .string(user.firstname)),
            ("lastname", .string(user.lastname)), ("type", .string(caller.role.typeName)),
            ("timezone", .string("UTC")), ("registered", .string("false")), ("sessionkey", .string(session.key)),
        ])
        var response = Self.render("loginresponse", body, status: 200, json: json)
        response.setCookies = [
            "JSESSIONID=\(session.id); Path=/client; HttpOnly", "sessionkey=\(session.key); HttpOnly; SameSite=Lax",
        ]
        return response
    }
}
