import CloudAPI
import ClusterHarness
import Foundation
import Testing

/// What the scenarios share: the running cluster and the ids every deployment needs.
struct ClusterScenario {
    let cluster: ClusterFixture
    let zoneId: String
    let clusterId: String
    let templateId: String
    let smallOfferingId: String
    let haOfferingId: String

    static func prepare(_ cluster: ClusterFixture) async throws -> ClusterScenario {
        let admin = cluster.client(0)
        let zone = try #require(try await admin.list("listZones").first)
        let hosts = try await admin.list("listHosts", ["type": "Routing"])
        let template = try #require(
            try await admin.list("listTemplates", ["templatefilter": "executable"]).first {
                $0["isready"] == .bool(true)
            }
        )
        let small = try await admin.call(
            "createServiceOffering",
            ["name": "tiny", "displaytext": "tiny", "cpunumber": "1", "cpuspeed": "500", "memory": "512"]
        )
        let ha = try await admin.call(
            "createServiceOffering",
            [
                "name": "tiny-ha", "displaytext": "tiny with HA", "cpunumber": "1", "cpuspeed": "500",
                "memory": "512", "offerha": "true",
            ]
        )
        return ClusterScenario(
            cluster: cluster,
            zoneId: try #require(zone["id"]?.stringValue),
            clusterId: try #require(hosts.first?["clusterid"]?.stringValue),
            templateId: try #require(template["id"]?.stringValue),
            smallOfferingId: try #require(small["serviceoffering"]?["id"]?.stringValue),
            haOfferingId: try #require(ha["serviceoffering"]?["id"]?.stringValue)
        )
    }

    /// deployVirtualMachine's parameters.
    func deployment(offering: String? = nil, extra: [String: String] = [:]) -> [String: String] {
        [
            "zoneid": self.zoneId, "templateid": self.templateId,
            "serviceofferingid": offering ?? self.smallOfferingId,
        ].merging(extra) { _, new in new }
    }

    /// Deploys one VM through server `index` and returns it.
    func deploy(through index: Int, offering: String? = nil, extra: [String: String] = [:]) async throws -> APIValue {
        let result = try await self.cluster.client(index).callAndWait(
            "deployVirtualMachine",
            self.deployment(offering: offering, extra: extra)
        )
        return try #require(result["virtualmachine"])
    }

    /// Sets a global setting through server `index`.
    func set(_ name: String, _ value: String, through index: Int = 0) async throws {
        _ = try await self.cluster.client(index).call("updateConfiguration", ["name": name, "value": value])
    }

    /// A setting's value as server `index` lists it.
    func setting(_ name: String, on index: Int) async throws -> String? {
        let items = try await self.cluster.client(index).call("listConfigurations", ["name": name]).items
        return items.first { $0["name"]?.stringValue == name }?["value"]?.stringValue
    }
}
