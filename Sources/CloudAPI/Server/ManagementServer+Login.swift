import CloudCore
import CloudModel
import Foundation

extension ManagementServer {
    /// `login` (POST only): authenticates the user in the given domain (``AuthenticationService/login(username:password:domainId:domainPath:)``)
    /// and opens a session (``LoginSessions``) that every management server sharing the database honours.
    func login(_ request: APIRequest, json: Bool) async throws -> APIResponse {
        guard request.method == "POST" else {
            throw CloudError(.methodNotAllowed, "Please use HTTP POST to authenticate using this API")
        }
        let parameters = request.parameters
        let caller = try await self.core.authentication.login(
            username: parameters["username"] ?? "",
            password: parameters["password"] ?? "",
            domainId: parameters["domainid"],
            domainPath: parameters["domain"]
        )
        let user = caller.user
        let session = try await self.sessions.open(userId: user.id)
        let body = APIValue.object([
            ("username", .string(user.username)), ("userid", .string(user.id)),
            ("domainid", .string(caller.account.domainId)), ("timeout", .int(Int(self.sessions.timeout))),
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
