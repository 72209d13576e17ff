import Console
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The console's routes: the page at `/`, its assets under `/console/`, and nothing else.
@Suite struct ConsoleRouteTests {
    static func app() throws -> some ApplicationProtocol {
        let router = Router()
        ConsoleRoutes.add(to: router, assets: try ConsoleAssets.bundled())
        return Application(router: router)
    }

    static let nosniff = HTTPField.Name("X-Content-Type-Options")!

    @Test func indexIsServedAtTheRoot() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(response.headers[Self.nosniff] == "nosniff")
                #expect(String(buffer: response.body).contains("<script type=\"module\" src=\"/console/js/app.js\">"))
            }
        }
    }

    @Test(arguments: [
        ("/console/style.css", "text/css; charset=utf-8"),
        ("/console/js/app.js", "text/javascript; charset=utf-8"),
        ("/console/js/api.js", "text/javascript; charset=utf-8"),
        ("/console/index.html", "text/html; charset=utf-8"),
    ])
    func assetsHaveTheirContentTypes(path: String, type: String) async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == type)
                #expect(response.headers[Self.nosniff] == "nosniff")
                #expect(response.headers[.cacheControl] != nil)
                #expect(response.body.readableBytes > 0)
            }
        }
    }

    @Test(arguments: [
        "/console/../Package.swift", "/console/%2e%2e/ConsoleRoutes.swift", "/console/js/..%2fapi.js",
        "/console/js/%2E%2E/index.html", "/console/..%5cindex.html", "/console//index.html", "/console/./index.html",
        "/console/.hidden", "/console/%00", "/console/", "/console/missing.js", "/console/js", "/nothing",
    ])
    func unknownAndUnsafePathsAre404(path: String) async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .notFound, "\(path)")
                // Paths the console's route takes answer its own 404 (the router's own 404 for the rest).
                if path.count > "/console/".count {
                    #expect(response.headers[Self.nosniff] == "nosniff", "\(path)")
                }
            }
        }
    }

    @Test func onlyPlainRelativePathsNameAnAsset() throws {
        let assets = try ConsoleAssets.bundled()
        #expect(assets.asset(at: "js/app.js") != nil)
        for path in ["../Console/Assets/index.html", "js/../index.html", "/index.html", "js//app.js", ".", ""] {
            #expect(assets.asset(at: path) == nil, "\(path)")
        }
    }

    @Test func aDirectoryOnDiskIsReadWhole() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("a/b"),
            withIntermediateDirectories: true
        )
        try Data("x".utf8).write(to: directory.appendingPathComponent("a/b/c.svg"))
        try Data("secret".utf8).write(to: directory.appendingPathComponent(".env"))
        let assets = try ConsoleAssets(directory: directory)
        #expect(assets.asset(at: "a/b/c.svg")?.contentType == "image/svg+xml")
        #expect(assets.asset(at: ".env") == nil)
    }
}
