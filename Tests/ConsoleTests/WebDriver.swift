import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A W3C WebDriver client for a chromedriver this process starts, with a headless Chromium session.
///
/// Everything stays on loopback; ``close()`` ends the session, then chromedriver, then any Chromium process still
/// using this session's profile directory.
final class WebDriver: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let driver: Process
    let base: String
    let session: String
    let profile: URL

    /// A free loopback port (bound, read, released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        defer { _ = Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "bind failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts chromedriver and a headless Chromium session (each step bounded).
    static func start() async throws -> WebDriver {
        let port = try Self.freePort()
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "console-chromium-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        let driver = Process()
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/chromedriver")
        driver.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        let base = "http://127.0.0.1:\(port)"
        do {
            try await Self.poll("chromedriver ready", timeout: .seconds(20)) {
                let status = try? await Self.request("GET", "\(base)/status", nil)
                return status?["value"] is [String: Any]
            }
            let options: [String: Any] = [
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--user-data-dir=\(profile.path)", "--window-size=1280,800", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                ],
            ]
            let capabilities: [String: Any] = ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]
            let answer = try await Self.request("POST", "\(base)/session", ["capabilities": capabilities])
            guard let value = answer["value"] as? [String: Any], let session = value["sessionId"] as? String else {
                throw Failure(description: "no session: \(answer)")
            }
            return WebDriver(driver: driver, base: base, session: session, profile: profile)
        } catch {
            Self.stop(driver, profile: profile)
            throw error
        }
    }

    private init(driver: Process, base: String, session: String, profile: URL) {
        self.driver = driver
        self.base = base
        self.session = session
        self.profile = profile
    }

    /// Ends the session, chromedriver, and any leftover Chromium of this profile; removes the profile.
    func close() async {
        _ = try? await Self.request("DELETE", "\(self.base)/session/\(self.session)", nil)
        Self.stop(self.driver, profile: self.profile)
    }

    private static func stop(_ driver: Process, profile: URL) {
        // SIGKILL: a child of the test process may inherit a mask that blocks SIGTERM.
        if driver.isRunning {
            kill(driver.processIdentifier, SIGKILL)
            driver.waitUntilExit()
        }
        // Chromium processes started for this profile (only ours name it) that outlived their driver.
        let procs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for pid in procs.compactMap(Int32.init) {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
            if String(decoding: data, as: UTF8.self).contains(profile.path) { kill(pid, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: profile)
    }

    /// One WebDriver HTTP request over a plain loopback socket (each read bounded by 60 s); the decoded JSON answer.
    static func request(_ method: String, _ url: String, _ body: [String: Any]?) async throws -> [String: Any] {
        guard let target = URL(string: url), let port = target.port else {
            throw Failure(description: "bad URL \(url)")
        }
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        var head = "\(method) \(target.path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        head += "Content-Type: application/json; charset=utf-8\r\nContent-Length: \(payload.count)\r\n\r\n"
        let request = Data(head.utf8) + payload
        // The exchange blocks on its socket (chromedriver may take seconds): on a thread of its own, never on one of
        // the few threads every other test's async code shares.
        let answer = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, any Error>) in
            Thread { continuation.resume(with: Result { try Self.exchange(port: port, request) }) }.start()
        }
        guard let split = answer.range(of: Data("\r\n\r\n".utf8)) else {
            throw Failure(description: "no HTTP answer from \(url)")
        }
        let content = answer[split.upperBound...]
        guard let object = try JSONSerialization.jsonObject(with: Data(content)) as? [String: Any] else {
            throw Failure(description: "not JSON: \(String(decoding: content, as: UTF8.self))")
        }
        return object
    }

    /// Sends `request` to 127.0.0.1:`port` and reads the answer to the end of the connection.
    static func exchange(port: Int, _ request: Data) throws -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        defer { _ = Glibc.close(fd) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw Failure(description: "cannot connect to port \(port)") }
        let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else { throw Failure(description: "short write to port \(port)") }
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        // chromedriver keeps the connection open: read the head, then Content-Length bytes.
        while Self.complete(answer) == false {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { break }
            guard count > 0 else { throw Failure(description: "read from port \(port) failed or timed out") }
            answer.append(contentsOf: buffer[0..<count])
        }
        return answer
    }

    /// Whether `answer` holds a whole response (its head and Content-Length bytes of body).
    static func complete(_ answer: Data) -> Bool {
        guard let split = answer.range(of: Data("\r\n\r\n".utf8)) else { return false }
        let head = String(decoding: answer[..<split.lowerBound], as: UTF8.self).lowercased()
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
            return answer.count - split.upperBound >= length
        }
        return false
    }

    /// A command on this session; throws the WebDriver error.
    @discardableResult
    func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        let answer = try await Self.request(
            method,
            "\(self.base)/session/\(self.session)\(path)",
            body ?? (method == "POST" ? [:] : nil)
        )
        let value = answer["value"]
        if let failure = value as? [String: Any], let error = failure["error"] as? String {
            throw Failure(description: "\(path): \(error): \(failure["message"] ?? "")")
        }
        return value
    }

    func navigate(_ url: String) async throws {
        try await self.command("POST", "/url", ["url": url])
    }

    /// The elements matching `css` (their WebDriver ids).
    func elements(_ css: String) async throws -> [String] {
        let found = try await self.command("POST", "/elements", ["using": "css selector", "value": css])
        return (found as? [[String: Any]] ?? []).compactMap { $0.values.first as? String }
    }

    /// Waits (bounded) for an element matching `css`; returns its id.
    func element(_ css: String, timeout: Duration = .seconds(20)) async throws -> String {
        var id: String?
        try await Self.poll("an element \(css)", timeout: timeout) {
            id = try await self.elements(css).first
            return id != nil
        }
        return id ?? ""
    }

    func click(_ css: String, timeout: Duration = .seconds(20)) async throws {
        let id = try await self.element(css, timeout: timeout)
        try await self.command("POST", "/element/\(id)/click")
    }

    func type(_ css: String, _ text: String) async throws {
        let id = try await self.element(css)
        // A field exists before the page's script shows it (the login screen starts hidden): wait until it is shown.
        try await Self.poll("\(css) to be shown", timeout: .seconds(20)) {
            try await self.command("GET", "/element/\(id)/displayed") as? Bool == true
        }
        try await self.command("POST", "/element/\(id)/clear")
        try await self.command("POST", "/element/\(id)/value", ["text": text])
    }

    func text(_ css: String) async throws -> String {
        let id = try await self.element(css)
        return try await self.command("GET", "/element/\(id)/text") as? String ?? ""
    }

    /// Waits (bounded) until the element at `css` shows `expected`.
    func waitForText(_ css: String, _ expected: String, timeout: Duration = .seconds(30)) async throws {
        try await Self.poll("\(css) to read \(expected)", timeout: timeout) {
            guard (try? await self.elements(css).isEmpty) == false else { return false }
            return (try? await self.text(css)) == expected
        }
    }

    /// Runs `script` (a function body; `arguments` are `args`) in the page; its return value.
    @discardableResult
    func execute(_ script: String, _ args: [Any] = []) async throws -> Any? {
        try await self.command("POST", "/execute/sync", ["script": script, "args": args])
    }

    /// WebDriver's codes for keys that are not characters.
    static let tab = "\u{E004}"
    static let enter = "\u{E007}"
    static let escape = "\u{E00C}"
    static let shift = "\u{E008}"

    /// Presses each of `keys` (a character or a code such as ``tab``) as real key events, with `modifier` held
    /// around each press when given.
    func press(_ keys: [String], holding modifier: String? = nil) async throws {
        var actions: [[String: Any]] = []
        for key in keys {
            if let modifier { actions.append(["type": "keyDown", "value": modifier]) }
            actions.append(["type": "keyDown", "value": key])
            actions.append(["type": "keyUp", "value": key])
            if let modifier { actions.append(["type": "keyUp", "value": modifier]) }
        }
        try await self.command(
            "POST",
            "/actions",
            ["actions": [["type": "key", "id": "keyboard", "actions": actions]]]
        )
    }

    /// Resizes the window (CSS pixels).
    func setWindowSize(width: Int, height: Int) async throws {
        try await self.command("POST", "/window/rect", ["width": width, "height": height])
    }

    /// Saves a PNG of the viewport to `file`.
    func screenshot(to file: URL) async throws {
        guard let encoded = try await self.command("GET", "/screenshot") as? String,
            let data = Data(base64Encoded: encoded)
        else { throw Failure(description: "no screenshot") }
        try data.write(to: file)
    }

    /// Polls `condition` every 200 ms until it holds or `timeout` passes (then throws).
    static func poll(
        _ what: String,
        timeout: Duration,
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Failure(description: "timed out waiting for \(what)")
    }
}
