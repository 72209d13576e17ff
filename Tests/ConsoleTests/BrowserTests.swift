import CloudAPI
import CloudCore
import Foundation
import Orchestrator
import Testing

/// The console in real headless Chromium (Debian's `chromium` and `chromium-driver`), against a real API server
/// with the console's routes on a loopback port (``ConsoleCloud``).
@Suite(.serialized) struct BrowserTests {
    /// Picks the option of the select at `css` whose label contains `label`, as a person would.
    static func choose(_ browser: WebDriver, _ css: String, _ label: String) async throws {
        _ = try await browser.element(css)
        let found = try await browser.execute(
            """
            const select = document.querySelector(arguments[0]);
            const option = [...select.options].find((o) => o.textContent.includes(arguments[1]));
            if (!option) return false;
            select.value = option.value;
            select.dispatchEvent(new Event("change", { bubbles: true }));
            return true;
            """,
            [css, label]
        )
        #expect(found as? Bool == true, "no option \(label) in \(css)")
    }

    /// Waits until the screen has finished loading (no "Loading…" left) and shows no error.
    static func settled(_ browser: WebDriver, _ what: String) async throws {
        try await WebDriver.poll("\(what) to load", timeout: .seconds(30)) {
            let done = try await browser.execute(
                "return !document.getElementById('screen').textContent.includes('Loading…');"
            )
            return done as? Bool == true
        }
        let errors = try await browser.execute(
            "return [...document.querySelectorAll('#screen .error')].map((e) => e.textContent).join(' ');"
        )
        #expect((errors as? String ?? "").isEmpty, "\(what): \(errors ?? "")")
    }

    @Test(.timeLimit(.minutes(4)))
    func adminDeploysThroughTheWizardStopsItAndAPlainUserSeesNoAdminScreens() async throws {
        let shots = try Screenshots()
        defer { shots.cleanUp() }
        try await ConsoleCloud.withServer { server, admin, port, _ in
            _ = try await ConsoleCloud.call(
                server,
                admin,
                "createAccount",
                [
                    "username": "pat", "password": "pw-pat", "email": "pat@example.com", "firstname": "P",
                    "lastname": "L",
                ]
            )
            _ = try await ConsoleCloud.call(
                server,
                admin,
                "createServiceOffering",
                [
                    "name": "Custom Instance", "displaytext": "Custom", "customized": "true", "mincpunumber": "1",
                    "maxcpunumber": "4", "minmemory": "256", "maxmemory": "4096", "cpuspeed": "1000",
                ]
            )
            try await ConsoleCloud.withBrowser { browser in
                // A wrong password shows the API's errortext.
                try await browser.navigate("http://127.0.0.1:\(port)/")
                try await browser.type("#username", admin.username)
                try await browser.type("#password", "wrong")
                try await browser.click("#login-button")
                try await WebDriver.poll("the login error", timeout: .seconds(20)) {
                    !(try await browser.text("#login-error")).isEmpty
                }
                try await shots.take(browser, "login")

                // The wizard: zone, template, offering, networks, name and user data, review, deploy.
                try await ConsoleCloud.logIn(browser, port: port, admin.username, admin.password)
                try await browser.click("#nav a[data-screen=instances]")
                try await browser.click("#vm-deploy")
                _ = try await browser.element("#wizard-zoneid")
                try await browser.click("#wizard-next")
                _ = try await browser.element("#wizard-templateid option")
                try await browser.click("#wizard-next")
                // A custom offering asks for the sizes.
                try await Self.choose(browser, "#wizard-serviceofferingid", "Custom Instance")
                try await browser.type("#wizard-cpuNumber", "2")
                try await browser.type("#wizard-cpuSpeed", "1000")
                try await browser.type("#wizard-memory", "768")
                try await shots.take(browser, "deploy-wizard-offering")
                try await browser.click("#wizard-next")
                _ = try await browser.element("#wizard-step legend, #wizard-step p")
                try await browser.click("#wizard-next")
                try await browser.type("#wizard-name", "wiz-1")
                try await browser.type("#wizard-userdata", "#cloud-config\nhostname: wiz-1\n")
                try await browser.click("#wizard-next")
                _ = try await browser.element("#wizard-review")
                try await shots.take(browser, "deploy-wizard")
                try await browser.click("#wizard-next")
                try await browser.click("#wizard-open", timeout: .seconds(90))

                // The instance view: Running, its volumes, NICs and console output; stop it there.
                try await browser.waitForText("#vm-state-badge", "Running")
                #expect(try await browser.text("#vm-details").contains("2 × 1000 MHz"))
                _ = try await browser.element("#vm-volumes tbody tr")
                _ = try await browser.element("#vm-nics tbody tr")
                try await WebDriver.poll("the console output or its error", timeout: .seconds(30)) {
                    let shown = try await browser.execute(
                        """
                        const output = document.getElementById('vm-console').textContent;
                        return (output !== '' && output !== 'Loading…')
                          || document.getElementById('vm-console-error').textContent !== '';
                        """
                    )
                    return shown as? Bool == true
                }
                try await shots.take(browser, "instance")
                try await browser.click("#vm-actions button[data-action=stop]")
                try await browser.waitForText("#vm-state-badge", "Stopped", timeout: .seconds(60))
                _ = try await browser.element("#vm-events tbody tr")

                // A refused action shows the API's errortext: a second key pair of the same name.
                try await browser.click("#nav a[data-screen=sshkeypairs]")
                try await browser.click("button[data-action=createSSHKeyPair]")
                try await browser.type("#f-name", "deploy-key")
                try await browser.click("#dialog-submit")
                // The new private key is shown once.
                _ = try await browser.element("#dialog textarea[name=shown]")
                let key = try await browser.execute("return document.querySelector('#dialog textarea').value;")
                #expect((key as? String ?? "").contains("PRIVATE KEY"))
                try await browser.click("#dialog-submit")
                try await WebDriver.poll("the key dialog to close", timeout: .seconds(20)) {
                    try await browser.elements("#dialog").isEmpty
                }
                try await browser.click("button[data-action=createSSHKeyPair]")
                try await browser.type("#f-name", "deploy-key")
                try await browser.click("#dialog-submit")
                try await WebDriver.poll("the refusal", timeout: .seconds(20)) {
                    !(try await browser.text("#dialog-error")).isEmpty
                }
                #expect(try await browser.text("#dialog-error").contains("deploy-key"))
                try await shots.take(browser, "refused-action")
                try await browser.click("#dialog-cancel")
                _ = try await browser.element("tr[data-name=deploy-key]")

                // A template registered by URL shows its download status until it is ready.
                try await browser.click("#nav a[data-screen=templates]")
                try await browser.click("button[data-action=registerTemplate]")
                try await browser.type("#f-name", "console-tpl")
                try await browser.type("#f-displaytext", "registered from the console")
                try await browser.type("#f-url", "http://198.18.0.10/images/console-tpl.qcow2")
                try await Self.choose(browser, "#f-hypervisor", "Simulator")
                try await browser.click("#dialog-submit")
                try await WebDriver.poll("the register dialog to close", timeout: .seconds(20)) {
                    try await browser.elements("#dialog").isEmpty
                }
                try await Self.choose(browser, "#templates-templatefilter", "self")
                try await browser.waitForText("tr[data-name=console-tpl] td.isready", "yes")

                try await browser.click("#logout")
                _ = try await browser.element("#login-form")

                // A plain user: no infrastructure, no settings, no other accounts.
                try await ConsoleCloud.logIn(browser, port: port, "pat", "pw-pat")
                for screen in ["hosts", "zones", "coordination", "settings", "accounts", "storagepools"] {
                    #expect(try await browser.elements("#nav a[data-screen=\(screen)]").isEmpty, "\(screen)")
                }
                #expect(try await browser.elements("#nav [data-group=Infrastructure]").isEmpty)
                #expect(try await browser.elements("#nav a[data-screen=dashboard]").count == 1)
                try await browser.click("#nav a[data-screen=dashboard]")
                try await Self.settled(browser, "the user's dashboard")
                #expect(try await browser.elements("#host-states").isEmpty)
                try await shots.take(browser, "plain-user")
            }
        }
    }
}
