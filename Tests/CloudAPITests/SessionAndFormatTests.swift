import CloudAPI
import CloudCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

struct SessionAndFormatTests {
    func login(_ cloud: TestCloud, password: String) async -> APIResponse {
        await cloud.server.handle(
            APIRequest(
                method: "POST",
                parameters: APIParameters([
                    ("command", "login"), ("username", "admin"), ("password", password), ("response", "json"),
                ])
            )
        )
    }

    @Test func loginSessionLogout() async throws {
        let cloud = try await TestCloud.make()
        #expect(await self.login(cloud, password: "wrong").status == 531)
        let response = await self.login(cloud, password: cloud.admin.password)
        #expect(response.status == 200)
        let key = try #require(APIValue.parse(json: response.body)?["loginresponse"]?["sessionkey"]?.stringValue)
        let cookie = try #require(response.setCookies.first { $0.hasPrefix("JSESSIONID=") })
        let sessionId = String(cookie.dropFirst("JSESSIONID=".count).prefix { $0 != ";" })
        func call(_ command: String) async -> Int {
            await cloud.server.handle(
                APIRequest(
                    method: "GET",
                    parameters: APIParameters([("command", command), ("sessionkey", key), ("response", "json")]),
                    cookies: ["JSESSIONID": sessionId]
                )
            ).status
        }
        #expect(await call("listZones") == 200)
        #expect(await call("noSuchCommand") == 432)
        #expect(await call("logout") == 200)
        #expect(await call("listZones") == 401)
    }

    @Test func loginNeedsPost() async throws {
        let cloud = try await TestCloud.make()
        let response = await cloud.server.handle(
            APIRequest(method: "GET", parameters: APIParameters([("command", "login"), ("username", "admin")]))
        )
        #expect(response.status == 405)
    }

    @Test func xmlIsTheDefault() async throws {
        let cloud = try await TestCloud.make()
        var pairs = TestCloud.signedPairs("listZones", [:], apiKey: cloud.admin.apikey, secret: cloud.admin.secretkey)
        pairs.removeAll { $0.name == "response" || $0.name == "signature" }
        pairs.append(("signature", RequestSigner.sign(pairs, secret: cloud.admin.secretkey)))
        let response = await cloud.server.handle(APIRequest(method: "GET", parameters: APIParameters(pairs)))
        #expect(response.status == 200)
        #expect(response.contentType.hasPrefix("text/xml"))
        #expect(response.body.contains("<listzonesresponse cloud-stack-version="))
        #expect(response.body.contains("<count>1</count><zone><id>"))
    }

    @Test func httpGetAndPost() async throws {
        let cloud = try await TestCloud.make()
        let app = Application(router: APIRouter.make(cloud.server))
        try await app.test(.router) { client in
            let pairs = TestCloud.signedPairs(
                "listZones",
                [:],
                apiKey: cloud.admin.apikey,
                secret: cloud.admin.secretkey
            )
            let query = RequestSigner.query(pairs)
            try await client.execute(uri: "/client/api?\(query)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=UTF-8")
                #expect(String(buffer: response.body).hasPrefix(#"{"listzonesresponse":{"count":1,"zone":[{"#))
            }
            try await client.execute(
                uri: "/client/api",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "command=login&username=admin&password=bad&response=json")
            ) { response in
                #expect(response.status.code == 531)
                #expect(String(buffer: response.body).contains(#""errorcode":531"#))
            }
            try await client.execute(uri: "/client/api?command=listZones&response=json", method: .get) { response in
                #expect(response.status.code == 401)
            }
        }
    }
}
