import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import CloudTestSupport
import Console
import Foundation
import Hummingbird
import Logging
import Orchestrator
import ServiceLifecycle
import Synchronization
import Testing

/// The console in real headless Chromium (Debian's `chromium` and `chromium-driver`), against a real API server
/// with the console's routes on a loopback port.
@Suite(.serialized) struct BrowserTests {
    /// Stores stay open until the process exits (SQLiteNIO asserts a connection is closed before release).
    static let openStores = Mutex<[CloudStore]>([])

    /// A cloud behind an API server with the console, on a free loopback port, for `body`; stopped by graceful
    /// shutdown (never by cancellation).
    static func withServer(
        _ body: @Sendable (ManagementServer, AdminCredentials, Int) async throws -> Void
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
                try await body(server, admin, port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
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

    static func firstId(_ list: APIValue) -> String {
        guard case .object(let members) = list else { return "" }
        for (key, value) in members where key != "count" {
            if case .array(let items) = value { return items.first?["id"]?.stringValue ?? "" }
        }
        return ""
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

    @Test(.timeLimit(.minutes(3)))
    func adminStopsAVMAndAPlainUserSeesNoAdminScreens() async throws {
        try await Self.withServer { server, admin, port in
            // A VM deployed through the API, and a plain user.
            let zone = Self.firstId(try await Self.call(server, admin, "listZones"))
            let template = Self.firstId(
                try await Self.call(server, admin, "listTemplates", ["templatefilter": "featured"])
            )
            let offering = Self.firstId(
                try await Self.call(server, admin, "listServiceOfferings", ["name": "Small Instance"])
            )
            let deployed = try await Self.call(
                server,
                admin,
                "deployVirtualMachine",
                ["zoneid": zone, "templateid": template, "serviceofferingid": offering, "name": "web-1"]
            )
            #expect(deployed["jobid"]?.stringValue != nil)
            _ = await server.jobs.drain(within: .seconds(60))
            _ = try await Self.call(
                server,
                admin,
                "createAccount",
                [
                    "username": "pat", "password": "pw-pat", "email": "pat@example.com", "firstname": "P",
                    "lastname": "L",
                ]
            )

            let browser = try await WebDriver.start()
            do {
                // A wrong password shows the API's errortext.
                try await browser.navigate("http://127.0.0.1:\(port)/")
                try await browser.type("#username", admin.username)
                try await browser.type("#password", "wrong")
                try await browser.click("#login-button")
                try await WebDriver.poll("the login error", timeout: .seconds(20)) {
                    !(try await browser.text("#login-error")).isEmpty
                }

                try await Self.logIn(browser, port: port, admin.username, admin.password)
                _ = try await browser.element("#nav a[data-screen=hosts]")
                try await browser.click("#nav a[data-screen=instances]")
                try await browser.waitForText("tr[data-name=web-1] td.state", "Running")
                try await browser.click("tr[data-name=web-1] button[data-action=stop]")
                try await browser.waitForText("tr[data-name=web-1] td.state", "Stopped", timeout: .seconds(60))
                // The dashboard counts it, shows hosts to the admin, and lists the latest events.
                try await browser.click("#nav a[data-screen=dashboard]")
                try await browser.waitForText("#vm-states dd[data-state=Stopped]", "1")
                _ = try await browser.element("#host-states dd[data-state=Up]")
                _ = try await browser.element("#events tbody tr")
                try await browser.click("#logout")
                _ = try await browser.element("#login-form")

                try await Self.logIn(browser, port: port, "pat", "pw-pat")
                #expect(try await browser.elements("#nav a[data-screen=hosts]").isEmpty)
                #expect(try await browser.elements("#nav a[data-screen=dashboard]").count == 1)
            } catch {
                await browser.close()
                throw error
            }
            await browser.close()
        }
    }
}
