import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Foundation
import Testing

extension BrowserTests {
    /// The wizard deploys from an ISO: choosing "ISO" asks for the blank root disk's offering (CloudStack refuses an
    /// ISO deploy without one), with a size field for a custom offering, and the deployed VM's root volume has that
    /// size and offering.
    @Test(.timeLimit(.minutes(3)))
    func theWizardDeploysAnISOOntoARootDiskOfTheChosenOffering() async throws {
        let shots = try Screenshots()
        defer { shots.cleanUp() }
        try await ConsoleCloud.withServer { server, admin, port, store in
            let zoneId = ConsoleCloud.firstId(try await ConsoleCloud.call(server, admin, "listZones"))
            let accountId = try #require(try await store.user(apiKey: admin.apikey)).accountId
            let iso = Template(
                id: UUID().uuidString.lowercased(),
                name: "installer",
                displayText: "installer",
                format: "ISO",
                hypervisor: "None",
                osTypeName: "Other (64-bit)",
                url: "http://198.18.0.1/installer.iso",
                isPublic: true,
                isFeatured: false,
                accountId: accountId,
                zoneId: zoneId,
                status: "Download Complete",
                isReady: true,
                size: 1 << 29,
                created: WallClock.system.now
            )
            try await store.insert(iso)
            _ = try await ConsoleCloud.call(
                server,
                admin,
                "createDiskOffering",
                ["name": "Any size", "displaytext": "Any size", "customized": "true"]
            )
            try await ConsoleCloud.withBrowser { browser in
                try await ConsoleCloud.logIn(browser, port: port, admin.username, admin.password)
                try await browser.click("#nav a[data-screen=instances]")
                try await browser.click("#vm-deploy")
                _ = try await browser.element("#wizard-zoneid")
                try await browser.click("#wizard-next")
                _ = try await browser.element("#wizard-templateid option")
                #expect(try await browser.elements("#wizard-diskofferingid").isEmpty, "a template needs no disk")
                try await Self.choose(browser, "#wizard-kind", "ISO")
                try await Self.choose(browser, "#wizard-templateid", "installer")
                try await Self.choose(browser, "#wizard-diskofferingid", "Any size")
                try await browser.type("#wizard-size", "7")
                try await shots.take(browser, "deploy-wizard-iso")
                try await browser.click("#wizard-next")
                _ = try await browser.element("#wizard-serviceofferingid")
                try await browser.click("#wizard-next")
                _ = try await browser.element("#wizard-step legend, #wizard-step p")
                try await browser.click("#wizard-next")
                try await browser.type("#wizard-name", "from-iso")
                try await browser.click("#wizard-next")
                let review = try await browser.text("#wizard-review")
                #expect(review.contains("Any size (custom), 7 GiB"), "\(review)")
                try await browser.click("#wizard-next")
                try await browser.click("#wizard-open", timeout: .seconds(90))
                try await browser.waitForText("#vm-state-badge", "Running")
            }
            let vms = try await ConsoleCloud.call(server, admin, "listVirtualMachines", ["name": "from-iso"])
            let vmId = ConsoleCloud.firstId(vms)
            #expect(!vmId.isEmpty)
            let volumes = try await ConsoleCloud.call(server, admin, "listVolumes", ["virtualmachineid": vmId])
            guard case .array(let list)? = volumes["volume"], let root = list.first else {
                Issue.record("no root volume: \(volumes.json)")
                return
            }
            #expect(root["size"]?.stringValue == String(7 << 30), "\(root.json)")
            #expect(root["diskofferingname"]?.stringValue == "Any size")
        }
    }
}
