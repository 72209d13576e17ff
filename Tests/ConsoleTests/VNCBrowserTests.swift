import CloudAPI
import CloudCore
import ClusterHarness
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The instance view's VNC console against a real VM: `zoostack serve --hypervisor qemu` (this machine as a TCG
/// host) boots the built-in tiny Linux; in headless Chromium the console opens through createConsoleEndpoint and
/// the console proxy, the canvas takes the framebuffer's size from the VNC server and shows the guest's text
/// screen, typed keys are sent, and Caps Lock goes all the way to the guest's kernel and back: the kernel lights
/// its keyboard's LED, which QEMU reports through the LED state pseudo-encoding.
@Suite(.serialized) struct VNCBrowserTests {
    @Test(.timeLimit(.minutes(3)))
    func theVNCConsoleShowsTheGuestsScreenAndItsKeysReachTheGuest() async throws {
        // Short: QMP sockets live under the data directory.
        let directory = "/tmp/zsvnc-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let server = try ManagedProcess.launch(
            name: "serve",
            executable: ZooStackBinary.url,
            arguments: [
                "serve", "--hypervisor", "qemu", "--data-dir", directory, "--api-port", "0", "--zookeeper-port", "0",
                "--zookeeper-metrics-port", "0",
            ],
            logPath: "\(directory)/serve.log"
        )
        var client: CloudClient?
        var vmId: String?
        do {
            let line = try await server.waitForLine(containing: "ZooStack API ready on http://")
            let port = try #require(line.split(separator: ":").last?.split(separator: "/").first.flatMap { Int($0) })
            let data = try #require(FileManager.default.contents(atPath: "\(directory)/admin-credentials.json"))
            let admin = try JSONDecoder().decode(AdminCredentials.self, from: data)
            let api = CloudClient(port: port, apiKey: admin.apikey, secret: admin.secretkey)
            client = api
            let id = try await Self.deployTinyGuest(api)
            vmId = id
            try await ConsoleCloud.withBrowser { browser in
                try await ConsoleCloud.logIn(browser, port: port, admin.username, admin.password)
                try await browser.navigate("http://127.0.0.1:\(port)/#/instances/\(id)")
                try await browser.waitForText("#vm-state-badge", "Running")
                try await browser.click("#vnc-open")
                try await WebDriver.poll("the VNC session", timeout: .seconds(30)) {
                    try await browser.execute("return document.getElementById('vnc-canvas').dataset.state;")
                        as? String == "connected"
                }
                // The canvas starts at 0×0: its size is the server's (ServerInit or DesktopSize).
                let size = try #require(
                    try await browser.execute(
                        "const c = document.getElementById('vnc-canvas'); return [c.width, c.height];"
                    ) as? [Int]
                )
                #expect(size.count == 2 && size[0] >= 320 && size[1] >= 200, "framebuffer \(size)")
                // The guest's text screen: more than one colour once the first update is drawn.
                try await WebDriver.poll("the guest's screen on the canvas", timeout: .seconds(30)) {
                    let colours = try await browser.execute(
                        """
                        const c = document.getElementById('vnc-canvas');
                        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                        const seen = new Set();
                        for (let i = 0; i < d.length && seen.size < 3; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
                        return seen.size;
                        """
                    )
                    return (colours as? Int ?? 0) >= 2
                }
                // Real key events from the browser become KeyEvents (down and up each).
                try await browser.click("#vnc-canvas")
                try await browser.press(["l", "s", WebDriver.enter])
                let keys = try await browser.execute(
                    "return Number(document.getElementById('vnc-canvas').dataset.keys);"
                )
                #expect(keys as? Int ?? 0 >= 6, "KeyEvents sent: \(keys ?? "none")")
                // Caps Lock (WebDriver has no code for it: the same handler gets a KeyboardEvent): the guest's
                // kernel turns the LED on, and QEMU says so.
                try await browser.execute(
                    """
                    const c = document.getElementById('vnc-canvas');
                    for (const type of ['keydown', 'keyup']) {
                      c.dispatchEvent(new KeyboardEvent(type, { key: 'CapsLock', code: 'CapsLock', bubbles: true, cancelable: true }));
                    }
                    """
                )
                try await WebDriver.poll("the guest's Caps Lock LED", timeout: .seconds(30)) {
                    let leds = try await browser.execute(
                        "return Number(document.getElementById('vnc-canvas').dataset.leds ?? 0);"
                    )
                    return (leds as? Int ?? 0) & 4 != 0
                }
                try await browser.execute("document.getElementById('vnc-canvas').scrollIntoView();")
                let shots = try Screenshots()
                defer { shots.cleanUp() }
                try await shots.take(browser, "vnc-console")
                try await browser.click("#vnc-close")
                _ = try await browser.element("#vnc-open:not([hidden])")
            }
        } catch {
            Issue.record("server log:\n\(server.logTail)")
            await Self.cleanUp(server, client: client, vmId: vmId, directory: directory)
            throw error
        }
        await Self.cleanUp(server, client: client, vmId: vmId, directory: directory)
    }

    /// Waits for the real host, deploys the tiny template (192 MiB) and waits until the guest says it is ready on
    /// its serial console (its kernel's keyboard driver is up by then).
    static func deployTinyGuest(_ api: CloudClient) async throws -> String {
        try await poll("the real host Up", timeout: .seconds(60), every: .milliseconds(250)) {
            try await api.list("listHosts", ["type": "Routing"]).contains { $0["state"]?.stringValue == "Up" }
        }
        let zone = try #require(try await api.list("listZones").first?["id"]?.stringValue)
        let template = try #require(
            try await api.list("listTemplates", ["templatefilter": "featured", "name": "ZooStack tiny Linux (KVM)"])
                .first?["id"]?.stringValue
        )
        let offering = try await api.call(
            "createServiceOffering",
            ["name": "vnc", "displaytext": "vnc", "cpunumber": "1", "cpuspeed": "500", "memory": "192"]
        )
        let vm = try await api.callAndWait(
            "deployVirtualMachine",
            [
                "zoneid": zone, "templateid": template, "name": "vnc-guest",
                "serviceofferingid": try #require(offering["serviceoffering"]?["id"]?.stringValue),
            ]
        )
        let id = try #require(vm["virtualmachine"]?["id"]?.stringValue)
        try await poll("the guest's ready line", timeout: .seconds(60), every: .milliseconds(500)) {
            let output = try await api.call("getVirtualMachineConsoleOutput", ["id": id, "lines": "200"])
            return output["consoleoutput"]?["output"]?.stringValue?.contains("zoostack-guest ready") == true
        }
        return id
    }

    /// Expunges the guest, stops the server, kills any QEMU still running from the data directory, removes it.
    static func cleanUp(_ server: ManagedProcess, client: CloudClient?, vmId: String?, directory: String) async {
        if let client, let vmId {
            _ = try? await client.callAndWait(
                "destroyVirtualMachine",
                ["id": vmId, "expunge": "true"],
                timeout: .seconds(60)
            )
        }
        await server.terminate()
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for pid in processes.compactMap(Int32.init) {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
            let line = String(decoding: data, as: UTF8.self)
            if line.contains("qemu-system"), line.contains(directory) { kill(pid, SIGKILL) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
