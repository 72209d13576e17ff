import CloudCore
import Foundation
import Testing

@testable import CloudAPI

struct SignatureTests {
    @Test func canonicalFormFollowsCloudStack() {
        let canonical = RequestSigner.canonical([
            ("command", "listZones"), ("apiKey", "AbC"), ("response", "json"), ("name", "a b~[x]"),
            ("signature", "ignored"),
        ])
        #expect(canonical == "apikey=abc&command=listzones&name=a%20b%7e%5bx%5d&response=json")
    }

    @Test func signedRequestSucceeds() async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("listZones")
        #expect(status == 200)
        #expect(body["count"]?.int == 1)
    }

    @Test func wrongSignatureIs401() async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("listZones", keys: (cloud.admin.apikey, "not-the-secret"))
        #expect(status == 401)
        #expect(body["errorcode"]?.int == 401)
        #expect(body["errortext"]?.stringValue == "unable to verify user credentials and/or request signature")
    }

    @Test func expiredVersion3IsRefusedAndFreshAccepted() async throws {
        let cloud = try await TestCloud.make()
        let past = await cloud.call("listZones", ["signatureVersion": "3", "expires": "2020-01-01T00:00:00+0000"])
        #expect(past.status == 401)
        let future = await cloud.call("listZones", ["signatureVersion": "3", "expires": "2099-01-01T00:00:00Z"])
        #expect(future.status == 200)
    }

    @Test func unknownCommandWithApiKeyIs401() async throws {
        let cloud = try await TestCloud.make()
        let (status, _) = await cloud.call("noSuchCommand")
        #expect(status == 401)
    }

    @Test func unauthenticatedIs401() async throws {
        let cloud = try await TestCloud.make()
        let response = await cloud.server.handle(
            APIRequest(method: "GET", parameters: APIParameters([("command", "listZones"), ("response", "json")]))
        )
        #expect(response.status == 401)
    }
}

struct SignatureVariantTests {
    @Test func pythonStyleTildeIsAccepted() {
        let pairs: [(name: String, value: String)] = [("command", "listZones"), ("name", "a~b"), ("apiKey", "k")]
        let canonical = RequestSigner.canonical(pairs).replacingOccurrences(of: "%7e", with: "~")
        #expect(canonical.contains("name=a~b"))
        let signature = RequestSigner.hmac(canonical, secret: "s")
        #expect(RequestSigner.verify(pairs, signature: signature, secret: "s"))
        #expect(!RequestSigner.verify(pairs, signature: signature, secret: "other"))
    }
}
