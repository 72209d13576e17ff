import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import CloudTestSupport
import Console
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// A real cloud for the browser tests: a fresh store, an API server with the console's routes on a loopback port,
/// and helpers to call the API as the admin and to drive the console's login form.
enum ConsoleCloud {
    /// Stores stay open until the process exits (SQLiteNIO asserts a connection is closed before release).
    static let openStores = Mutex<[CloudStore]>([])

    /// A cloud behind an API server with the console, on a free loopback port, for `body`; stopped by graceful
    /// shutdown (never by cancellation).
    static func withServer(
        _ body: @Sendable (ManagementServer, AdminCredentials, Int, CloudStore) async throws -> Void
    ) async throws {
        let logger = Logger(label: "ConsoleBrowserTests")
        let store = try await CloudStore.open(
            try await TestBackend.default.freshLocation(),
            maxConnections: 2,
            logger: logger
        )
        Self.openStores.withLock { $0.append(store) }
        let admin = try #require(
            try await CloudBootstrap.run(store: store, endpoint: "http://127.0.0.1:0/client/api", logger: logger)
        )
        let server = ManagementServer(core: CloudServices(store: store, logger: logger), logger: logger)
        let router = APIRouter.make(server)
        ConsoleRoutes.add(to: router, assets: try ConsoleAssets.bundled())
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }
        )
        let group = ServiceGroup(services: [app], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                var iterator = ports.makeAsyncIterator()
                let port = try #require(await iterator.next())
                try await body(server, admin, port, store)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// A browser for `body`, closed afterwards even when `body` throws.
    static func withBrowser(_ body: (WebDriver) async throws -> Void) async throws {
        let browser = try await WebDriver.start()
        do {
            try await body(browser)
        } catch {
            await browser.close()
            throw error
        }
        await browser.close()
    }

    /// Calls `command` as the admin (signed), returning the envelope's content.
    static func call(
        _ server: ManagementServer,
        _ admin: AdminCredentials,
        _ command: String,
        _ parameters: [String: String] = [:]
    ) async throws -> APIValue {
        let pairs = RequestSigner.signedCall(
            command,
            parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            apiKey: admin.apikey,
            secret: admin.secretkey
        )
        let response = await server.handle(APIRequest(method: "GET", parameters: APIParameters(pairs)))
        #expect(response.status == 200, "\(command): \(response.body)")
        guard case .object(let members)? = APIValue.parse(json: response.body), let content = members.first?.1 else {
            throw WebDriver.Failure(description: "\(command): \(response.body)")
        }
        return content
    }

    /// The first item's `id` of a list response.
    static func firstId(_ list: APIValue) -> String {
        guard case .object(let members) = list else { return "" }
        for (key, value) in members where key != "count" {
            if case .array(let items) = value { return items.first?["id"]?.stringValue ?? "" }
        }
        return ""
    }

    /// Inserts `count` stopped VMs of the admin's account straight through the store (as the benchmarks load them).
    static func insertVMs(
        _ count: Int,
        store: CloudStore,
        server: ManagementServer,
        admin: AdminCredentials
    ) async throws {
        let zone = Self.firstId(try await Self.call(server, admin, "listZones"))
        let template = Self.firstId(try await Self.call(server, admin, "listTemplates", ["templatefilter": "featured"]))
        let offering = Self.firstId(try await Self.call(server, admin, "listServiceOfferings"))
        let account = Self.firstId(try await Self.call(server, admin, "listAccounts", ["name": admin.username]))
        var done = 0
        while done < count {
            let vms = (done..<min(count, done + 1000)).map { index in
                VirtualMachine(
                    id: UUID().uuidString.lowercased(),
                    name: String(format: "bulk-%05d", index),
                    displayName: String(format: "bulk-%05d", index),
                    accountId: account,
                    zoneId: zone,
                    hostId: nil,
                    templateId: template,
                    serviceOfferingId: offering,
                    state: .stopped,
                    cpuNumber: 1,
                    cpuSpeed: 500,
                    memory: 512,
                    created: store.clock.now
                )
            }
            try await store.insertAll(vms)
            done += vms.count
        }
    }

    /// Logs in through the console's form.
    static func logIn(_ browser: WebDriver, port: Int, _ username: String, _ password: String) async throws {
        try await browser.navigate("http://127.0.0.1:\(port)/")
        try await browser.type("#username", username)
        try await browser.type("#password", password)
        try await browser.type("#domain", "/")
        try await browser.click("#login-button")
        _ = try await browser.element("#nav a[data-screen=instances]")
    }
}

/// Where the tests write a PNG of each screen: `ZOOSTACK_CONSOLE_SCREENSHOTS` if set (docs/console holds the
/// committed ones), else a temporary directory removed at the end.
struct Screenshots {
    let directory: URL
    let temporary: Bool

    init() throws {
        if let path = ProcessInfo.processInfo.environment["ZOOSTACK_CONSOLE_SCREENSHOTS"], !path.isEmpty {
            self.directory = URL(fileURLWithPath: path)
            self.temporary = false
        } else {
            self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-shots-\(UUID())")
            self.temporary = true
        }
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
    }

    /// Saves the browser's viewport as `name`.png.
    func take(_ browser: WebDriver, _ name: String) async throws {
        let file = self.directory.appendingPathComponent("\(name).png")
        try await browser.screenshot(to: file)
        #expect(((try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0) > 1000)
    }

    func cleanUp() {
        if self.temporary { try? FileManager.default.removeItem(at: self.directory) }
    }
}
