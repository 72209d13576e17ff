import CloudAPI
import CloudCore
import Foundation
import Testing

extension BrowserTests {
    /// What has keyboard focus: `tag#id.class[data-*]: text` and whether a focus outline shows.
    static func focused(_ browser: WebDriver) async throws -> (label: String, outlined: Bool) {
        let answer = try await browser.execute(
            """
            const e = document.activeElement;
            if (!e || e === document.body) return ['body', false];
            const s = getComputedStyle(e);
            const label = `${e.tagName.toLowerCase()}#${e.id}[${e.dataset.screen ?? e.dataset.action ?? e.getAttribute('href') ?? ''}] ${e.textContent.trim().slice(0, 30)}`;
            return [label, s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1];
            """
        )
        let pair = answer as? [Any] ?? []
        return (pair.first as? String ?? "?", pair.last as? Bool ?? false)
    }

    /// Presses Tab (Shift+Tab when `backwards`) until the focused element matches `css` (at most `limit` times),
    /// checking that every element focused on the way shows a focus outline.
    static func tab(_ browser: WebDriver, to css: String, backwards: Bool = false, limit: Int = 40) async throws {
        for _ in 0..<limit {
            try await browser.press([WebDriver.tab], holding: backwards ? WebDriver.shift : nil)
            let focus = try await Self.focused(browser)
            #expect(focus.outlined || focus.label == "body", "no visible focus on \(focus.label)")
            let matches = try await browser.execute("return document.activeElement.matches(arguments[0]);", [css])
            if matches as? Bool == true { return }
        }
        throw WebDriver.Failure(description: "Tab never reached \(css)")
    }

    /// Keyboard only: log in, reach the instances, open one, open an action's form and close it with Escape, using
    /// WebDriver key actions (Tab, Shift+Tab, Enter, Escape and typed characters); every focused element shows an
    /// outline, and focus returns to the button that opened the form.
    @Test(.timeLimit(.minutes(3)))
    func everythingOnTheWayToAnActionWorksFromTheKeyboard() async throws {
        try await ConsoleCloud.withServer { server, admin, port, store in
            try await ConsoleCloud.insertVMs(1, store: store, server: server, admin: admin)
            try await ConsoleCloud.withBrowser { browser in
                try await browser.navigate("http://127.0.0.1:\(port)/")
                _ = try await browser.element("#username")
                try await WebDriver.poll("focus in the username field", timeout: .seconds(30)) {
                    try await Self.focused(browser).label.hasPrefix("input#username")
                }
                try await browser.press(admin.username.map(String.init))
                try await Self.tab(browser, to: "#password")
                try await browser.press(admin.password.map(String.init))
                try await Self.tab(browser, to: "#login-button")
                try await browser.press([WebDriver.enter])
                _ = try await browser.element("#nav a[data-screen=instances]")

                try await Self.tab(browser, to: "#nav a[data-screen=instances]")
                try await browser.press([WebDriver.enter])
                _ = try await browser.element("#screen-instances tbody a[href^='#/instances/']")
                try await Self.tab(browser, to: "#screen-instances tbody a[href^='#/instances/']")
                try await browser.press([WebDriver.enter])
                _ = try await browser.element("#vm-actions button[data-action=scale]")
                try await Self.tab(browser, to: "#vm-actions button[data-action=scale]")
                // Shift+Tab goes back, Tab forward again.
                try await Self.tab(
                    browser,
                    to: "#vm-actions button:not([data-action=scale])",
                    backwards: true,
                    limit: 1
                )
                try await Self.tab(browser, to: "#vm-actions button[data-action=scale]", limit: 1)
                try await browser.press([WebDriver.enter])
                _ = try await browser.element("#dialog[open]")
                try await WebDriver.poll("focus inside the form", timeout: .seconds(10)) {
                    try await browser.execute(
                        "return document.getElementById('dialog').contains(document.activeElement);"
                    )
                        as? Bool == true
                }
                try await browser.press([WebDriver.escape])
                try await WebDriver.poll("the form to close", timeout: .seconds(10)) {
                    try await browser.elements("#dialog").isEmpty
                }
                try await WebDriver.poll("focus back on Scale", timeout: .seconds(10)) {
                    try await Self.focused(browser).label.contains("[scale]")
                }
                #expect(try await Self.focused(browser).outlined)
            }
        }
    }
}
