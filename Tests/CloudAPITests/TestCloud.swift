import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import CloudTestSupport
import Foundation
import Logging
import Orchestrator
import Synchronization
import Testing

/// A whole cloud over an in-memory SQLite database (or a PostgreSQL one), called without HTTP.
struct TestCloud {
    let server: ManagementServer
    let admin: AdminCredentials

    /// Stores stay open until the test process exits: SQLiteNIO asserts that a connection is closed before it
    /// is released, and in-memory databases cost nothing to keep.
    static let openStores = Mutex<[CloudStore]>([])

    static func make(backend: TestBackend = .default) async throws -> TestCloud {
        try await Self.make(location: try await backend.freshLocation())
    }

    /// A cloud over the database at `location` (bootstrapped unless it already is).
    static func make(location: StoreLocation) async throws -> TestCloud {
        let logger = Logger(label: "test")
        // One PostgreSQL connection per event loop: every test's store stays open until the process exits.
        let store = try await CloudStore.open(location, maxConnections: 2, logger: logger)
        Self.openStores.withLock { $0.append(store) }
        let credentials = try #require(
            try await CloudBootstrap.run(store: store, endpoint: "http://127.0.0.1:0/client/api", logger: logger)
        )
        return TestCloud(
            server: ManagementServer(core: CloudServices(store: store, logger: logger), logger: logger),
            admin: credentials
        )
    }

    /// Signs with `apiKey`/`secret` (signature version 3 with an expiry an hour ahead unless given).
    static func signedPairs(
        _ command: String,
        _ parameters: [String: String],
        apiKey: String,
        secret: String
    ) -> [(name: String, value: String)] {
        RequestSigner.signedCall(
            command,
            parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            apiKey: apiKey,
            secret: secret
        )
    }

    /// Calls as the admin (or the given keys); returns the HTTP status and the envelope's content.
    func call(
        _ command: String,
        _ parameters: [String: String] = [:],
        keys: (String, String)? = nil
    ) async -> (status: Int, body: APIValue) {
        let (apiKey, secret) = keys ?? (self.admin.apikey, self.admin.secretkey)
        let pairs = Self.signedPairs(command, parameters, apiKey: apiKey, secret: secret)
        let response = await self.server.handle(APIRequest(method: "GET", parameters: APIParameters(pairs)))
        let parsed = APIValue.parse(json: response.body)
        let envelope = parsed.flatMap { value -> APIValue? in
            guard case .object(let members) = value else { return nil }
            return members.first?.1
        }
        return (response.status, envelope ?? .object([]))
    }

    /// Calls an async command and waits for its job; returns the job's fields.
    func callAndWait(
        _ command: String,
        _ parameters: [String: String] = [:],
        keys: (String, String)? = nil
    ) async throws -> APIValue {
        let (status, body) = await self.call(command, parameters, keys: keys)
        #expect(status == 200, "\(command): \(body.json)")
        let jobId = try #require(body["jobid"]?.stringValue)
        await self.server.jobs.drain()
        let (_, job) = await self.call("queryAsyncJobResult", ["jobid": jobId], keys: keys)
        return job
    }

    /// The first item of a list command.
    func first(_ command: String, _ item: String, _ parameters: [String: String] = [:]) async throws -> APIValue {
        let (_, body) = await self.call(command, parameters)
        guard case .array(let items)? = body[item], let first = items.first else {
            Issue.record("\(command) returned no \(item): \(body.json)")
            throw CancellationError()
        }
        return first
    }

    /// Deploys a VM with the first zone, template and Small Instance; returns the job.
    func deploy(keys: (String, String)? = nil, extra: [String: String] = [:]) async throws -> APIValue {
        let zone = try await self.first("listZones", "zone")
        let template = try await self.first("listTemplates", "template", ["templatefilter": "featured"])
        let offering = try await self.first("listServiceOfferings", "serviceoffering", ["name": "Small Instance"])
        var parameters = [
            "zoneid": zone["id"]?.stringValue ?? "", "templateid": template["id"]?.stringValue ?? "",
            "serviceofferingid": offering["id"]?.stringValue ?? "",
        ]
        parameters.merge(extra) { _, new in new }
        return try await self.callAndWait("deployVirtualMachine", parameters, keys: keys)
    }

    /// Creates a user account and returns its API keys.
    func makeUser(_ name: String) async throws -> (String, String) {
        let (status, created) = await self.call(
            "createAccount",
            [
                "username": name, "password": "pw-\(name)", "email": "\(name)@example.com", "firstname": "F",
                "lastname": "L",
            ]
        )
        #expect(status == 200, "\(created.json)")
        guard case .array(let users)? = created["account"]?["user"], let userId = users.first?["id"]?.stringValue else {
            throw CancellationError()
        }
        let (_, keys) = await self.call("registerUserKeys", ["id": userId])
        let apiKey = try #require(keys["userkeys"]?["apikey"]?.stringValue)
        let secret = try #require(keys["userkeys"]?["secretkey"]?.stringValue)
        return (apiKey, secret)
    }
}

extension APIValue {
    var items: [APIValue] {
        guard case .object(let members) = self else { return [] }
        for (key, value) in members where key != "count" {
            if case .array(let items) = value { return items }
        }
        return []
    }

    var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }
}
