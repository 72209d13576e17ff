import CloudTestSupport
import Foundation
import Testing

/// `zoostack serve --database postgres://...`: the inventory lives in PostgreSQL and outlives the process.
struct ServeOnPostgresTests {
    @Test func serveKeepsTheInventoryInPostgreSQLAcrossRestarts() async throws {
        let database = try await PostgresTestCluster.shared().createDatabase()
        let cloud = try await ServedCloud.start(database: database)
        let ids = try await CallOutputTests.catalogue(cloud)
        let parameters = ["zoneid=\(ids[0])", "templateid=\(ids[1])", "serviceofferingid=\(ids[2])"]
        let deployed = try await cloud.call(
            ["deployVirtualMachine", "name=pg-vm"] + parameters + ["--output", "json"]
        )
        #expect(deployed.status == 0, "\(deployed.stdout)\(deployed.stderr)\n\(cloud.log.suffix(3000))")
        #expect(!FileManager.default.fileExists(atPath: "\(cloud.dataDir)/zoostack.sqlite"))
        cloud.stop(keepingData: true)

        // A new process on the same database: no second seeding, the VM is still there.
        let restarted = try await ServedCloud.start(database: database, dataDir: cloud.dataDir, apiPort: cloud.apiPort)
        defer { restarted.stop() }
        let zones = try await restarted.call(["listZones", "--output", "json"])
        #expect(
            try CallOutputTests.json(zones.stdout)["listzonesresponse"].flatMap { $0 as? [String: Any] }?["count"]
                as? Int == 1
        )
        let vms = try await restarted.call(["listVirtualMachines", "name=pg-vm", "--output", "json"])
        let content = try #require(
            try CallOutputTests.json(vms.stdout)["listvirtualmachinesresponse"] as? [String: Any]
        )
        let vm = try #require((content["virtualmachine"] as? [[String: Any]])?.first)
        #expect(vm["state"] as? String == "Running")
        #expect(vm["name"] as? String == "pg-vm")
    }
}
