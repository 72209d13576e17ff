import CloudCore
import Foundation
import Testing

extension BrowserTests {
    /// The instances screen over thousands of VMs fetches one page at a time (the total from the API's count); every
    /// screen of the admin's navigation loads without an error (a screenshot of each); a phone-sized window works.
    @Test(.timeLimit(.minutes(4)))
    func aLargeListIsPagedOnTheServerAndEveryScreenLoads() async throws {
        let shots = try Screenshots()
        defer { shots.cleanUp() }
        try await ConsoleCloud.withServer { server, admin, port, store in
            // ZOOSTACK_CONSOLE_VMS=100000 measures the first page at the issue's scale (3,000 by default).
            let total = Int(ProcessInfo.processInfo.environment["ZOOSTACK_CONSOLE_VMS"] ?? "") ?? 3000
            let pages = (total + 19) / 20
            try await ConsoleCloud.insertVMs(total, store: store, server: server, admin: admin)
            try await ConsoleCloud.withBrowser { browser in
                try await ConsoleCloud.logIn(browser, port: port, admin.username, admin.password)
                try await browser.click("#nav a[data-screen=dashboard]")
                try await browser.waitForText("#vm-states dd[data-state=Stopped]", "\(total)")
                _ = try await browser.element("#capacity svg")
                try await Self.settled(browser, "the dashboard")
                try await shots.take(browser, "dashboard")

                try await browser.click("#nav a[data-screen=instances]")
                try await browser.waitForText("#vm-status", "\(total) instances")
                try await browser.waitForText("#vm-page", "Page 1 of \(pages)")
                #expect(try await browser.elements("#vms tbody tr").count == 20)
                // A cold load of #/instances (the session survives in sessionStorage): the first page's paint, from
                // navigation start, is the figure docs/console/README.md quotes (reported, never asserted).
                try await browser.navigate("http://127.0.0.1:\(port)/?cold#/instances")
                try await browser.waitForText("#vm-page", "Page 1 of \(pages)")
                let painted = try await browser.execute(
                    "return performance.getEntriesByName('instances-first-page')[0]?.startTime ?? -1;"
                )
                print("console: first page of \(total) VMs painted \(painted ?? "?") ms after navigation start")
                try await shots.take(browser, "instances")
                let first = try await browser.text("#vms tbody tr td.name")
                try await browser.click("#vm-next")
                try await browser.waitForText("#vm-page", "Page 2 of \(pages)")
                try await WebDriver.poll("page 2's rows", timeout: .seconds(20)) {
                    (try? await browser.text("#vms tbody tr td.name")) != first
                }
                try await browser.type("#vm-search", "bulk-00042")
                try await browser.click("#screen-instances form[role=search] button[type=submit]")
                try await browser.waitForText("#vm-status", "1 instance")
                try await browser.waitForText("#vms tbody tr td.name", "bulk-00042")

                // Every listVirtualMachines request asked for one page (20 rows, or 1 for a count).
                let requests = try await browser.execute(
                    """
                    return performance.getEntriesByType('resource').map((e) => e.name)
                      .filter((n) => n.includes('command=listVirtualMachines'));
                    """
                )
                let urls = requests as? [String] ?? []
                #expect(urls.count >= 3)
                for url in urls {
                    #expect(url.contains("pagesize=20") || url.contains("pagesize=1&"), "\(url)")
                }

                // Every screen the admin is offered loads without an error.
                let screens = try await browser.execute(
                    "return [...document.querySelectorAll('#nav a')].map((a) => a.dataset.screen);"
                )
                for screen in screens as? [String] ?? [] where screen != "dashboard" && screen != "instances" {
                    try await browser.click("#nav a[data-screen=\(screen)]")
                    _ = try await browser.element("#screen-\(screen)")
                    try await Self.settled(browser, screen)
                    try await shots.take(browser, screen)
                }

                // A phone-sized window: the navigation folds behind the menu button.
                try await browser.setWindowSize(width: 390, height: 844)
                try await browser.click("#menu")
                try await browser.click("#nav a[data-screen=instances]")
                try await browser.waitForText("#vm-status", "\(total) instances")
                try await shots.take(browser, "phone-instances")
            }
        }
    }
}
