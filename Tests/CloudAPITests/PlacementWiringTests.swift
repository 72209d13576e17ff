import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Testing

/// The planner behind deployVirtualMachine and startVirtualMachine, driven by the global settings.
struct PlacementWiringTests {
    /// The seeded hosts' ids, in the store's order (the order `firstfit` keeps).
    static func hostIds(_ cloud: TestCloud) async throws -> [String] {
        let (_, body) = await cloud.call("listHosts")
        return body.items.compactMap { $0["id"]?.stringValue }
    }

    static func set(_ cloud: TestCloud, _ name: String, _ value: String) async {
        let (status, body) = await cloud.call("updateConfiguration", ["name": name, "value": value])
        #expect(status == 200, "\(body.json)")
    }

    /// Creates an offering and returns its id.
    static func offering(
        _ cloud: TestCloud,
        cpus: Int,
        speed: Int,
        memory: Int,
        tags: String? = nil
    ) async throws -> String {
        var parameters = [
            "name": "o-\(cpus)-\(speed)-\(memory)", "displaytext": "test", "cpunumber": "\(cpus)",
            "cpuspeed": "\(speed)", "memory": "\(memory)",
        ]
        if let tags { parameters["hosttags"] = tags }
        let (_, body) = await cloud.call("createServiceOffering", parameters)
        return try #require(body["serviceoffering"]?["id"]?.stringValue)
    }

    /// The host a deploy job placed its VM on, nil when the job failed.
    static func placedHost(_ job: APIValue) -> String? {
        job["jobresult"]?["virtualmachine"]?["hostid"]?.stringValue
    }

    @Test func updatedAlgorithmChangesPlacement() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await Self.hostIds(cloud)
        await Self.set(cloud, "vm.allocation.algorithm", "firstfit")
        for _ in 0..<3 {
            #expect(Self.placedHost(try await cloud.deploy()) == hosts[0])
        }
        await Self.set(cloud, "vm.allocation.algorithm", "userdispersing")
        var spread: Set<String> = []
        for _ in 0..<3 {
            spread.insert(try #require(Self.placedHost(try await cloud.deploy())))
        }
        #expect(spread == Set(hosts.dropFirst()), "each new VM goes to a host without the account's VMs")
        await Self.set(cloud, "vm.allocation.algorithm", "firstfitleastconsumed")
        let least = try #require(Self.placedHost(try await cloud.deploy()))
        #expect(least != hosts[0], "the host holding three VMs has the least free capacity")
    }

    @Test func offeringHostTagsAreHonoured() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await Self.hostIds(cloud)
        let tagged = try await Self.offering(cloud, cpus: 1, speed: 500, memory: 256, tags: "ssd")
        let refused = try await cloud.deploy(extra: ["serviceofferingid": tagged])
        #expect(refused["jobstatus"]?.int == 2)
        #expect(refused["jobresultcode"]?.int == 533)
        #expect(refused["jobresult"]?["errortext"]?.stringValue?.contains("host tags ssd") == true)
        let (status, _) = await cloud.call("updateHost", ["id": hosts[2], "hosttags": "ssd,fast"])
        #expect(status == 200)
        for _ in 0..<3 {
            #expect(Self.placedHost(try await cloud.deploy(extra: ["serviceofferingid": tagged])) == hosts[2])
        }
    }

    @Test func explicitHostIdIsUsedAndRestrictedToRootAdmins() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await Self.hostIds(cloud)
        let job = try await cloud.deploy(extra: ["hostid": hosts[3]])
        #expect(Self.placedHost(job) == hosts[3])
        let vmId = try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": vmId])
        let started = try await cloud.callAndWait("startVirtualMachine", ["id": vmId, "hostid": hosts[1]])
        #expect(started["jobresult"]?["virtualmachine"]?["hostid"]?.stringValue == hosts[1])

        let user = try await cloud.makeUser("placement-user")
        let zone = try await cloud.first("listZones", "zone")
        let template = try await cloud.first("listTemplates", "template", ["templatefilter": "featured"])
        let offering = try await cloud.first("listServiceOfferings", "serviceoffering")
        let (forbidden, body) = await cloud.call(
            "deployVirtualMachine",
            [
                "zoneid": zone["id"]?.stringValue ?? "", "templateid": template["id"]?.stringValue ?? "",
                "serviceofferingid": offering["id"]?.stringValue ?? "", "hostid": hosts[0],
            ],
            keys: user
        )
        #expect(forbidden == 531, "\(body.json)")
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": vmId])
        let (unknown, unknownBody) = await cloud.call(
            "startVirtualMachine",
            ["id": vmId, "hostid": "00000000-0000-0000-0000-000000000000"]
        )
        #expect(unknown == 431)
        #expect(unknownBody["errortext"]?.stringValue?.contains("hostid") == true)
    }

    @Test func explicitHostWithoutRoomFailsWith533() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await Self.hostIds(cloud)
        let (_, _) = await cloud.call("updateHost", ["id": hosts[0], "allocationstate": "Disable"])
        let job = try await cloud.deploy(extra: ["hostid": hosts[0]])
        #expect(job["jobstatus"]?.int == 2)
        #expect(job["jobresultcode"]?.int == 533)
        #expect(job["jobresult"]?["errortext"]?.stringValue?.contains("not Up and Enabled") == true)
    }

    @Test func disabledAndMaintenanceHostsAreSkipped() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await Self.hostIds(cloud)
        await Self.set(cloud, "vm.allocation.algorithm", "firstfit")
        let (status, disabled) = await cloud.call("updateHost", ["id": hosts[0], "allocationstate": "Disable"])
        #expect(status == 200)
        #expect(disabled["host"]?["resourcestate"]?.stringValue == "Disabled")
        #expect(Self.placedHost(try await cloud.deploy()) == hosts[1])
        let maintenance = try await cloud.callAndWait("prepareHostForMaintenance", ["id": hosts[2]])
        #expect(maintenance["jobresult"]?["host"]?["resourcestate"]?.stringValue == "Maintenance")
        _ = await cloud.call("updateHost", ["id": hosts[1], "allocationstate": "Disable"])
        #expect(Self.placedHost(try await cloud.deploy()) == hosts[3])
        _ = await cloud.call("updateHost", ["id": hosts[3], "allocationstate": "Disable"])
        let none = try await cloud.deploy()
        #expect(none["jobresultcode"]?.int == 533)
    }

    @Test func overprovisioningFactorRaisesCapacity() async throws {
        let cloud = try await TestCloud.make()
        // A whole seeded host: 4 cores of 8000 MHz.
        let whole = try await Self.offering(cloud, cpus: 4, speed: 8000, memory: 1024)
        await Self.set(cloud, "cluster.threshold.enabled", "false")
        for _ in 0..<4 {
            #expect(Self.placedHost(try await cloud.deploy(extra: ["serviceofferingid": whole])) != nil)
        }
        let full = try await cloud.deploy(extra: ["serviceofferingid": whole])
        #expect(full["jobresultcode"]?.int == 533)
        await Self.set(cloud, "cpu.overprovisioning.factor", "2")
        let hosts = try await cloud.server.core.store.list(Host.self).items
        #expect(hosts.allSatisfy { $0.cpuOverprovisioning == 2 }, "the capacity CAS checks the new factor")
        for _ in 0..<4 {
            #expect(Self.placedHost(try await cloud.deploy(extra: ["serviceofferingid": whole])) != nil)
        }
        let (_, listed) = await cloud.call("listHosts")
        #expect(listed.items.first?["cpuwithoverprovisioning"]?.stringValue == "64000.0")
    }

    @Test func clusterDisableThresholdRefusesAndCanBeSwitchedOff() async throws {
        let cloud = try await TestCloud.make()
        // A quarter of the seeded cluster's CPU (4 hosts of 32000 MHz).
        let big = try await Self.offering(cloud, cpus: 4, speed: 8000, memory: 512)
        await Self.set(cloud, "cluster.cpu.allocated.capacity.disablethreshold", "0.2")
        let refused = try await cloud.deploy(extra: ["serviceofferingid": big])
        #expect(refused["jobresultcode"]?.int == 533)
        #expect(refused["jobresult"]?["errortext"]?.stringValue?.contains("disable threshold") == true)
        await Self.set(cloud, "cluster.cpu.allocated.capacity.disablethreshold", "0.3")
        #expect(Self.placedHost(try await cloud.deploy(extra: ["serviceofferingid": big])) != nil)
        let second = try await cloud.deploy(extra: ["serviceofferingid": big])
        #expect(second["jobresultcode"]?.int == 533, "0.5 of the cluster would cross 0.3")
        await Self.set(cloud, "cluster.threshold.enabled", "false")
        #expect(Self.placedHost(try await cloud.deploy(extra: ["serviceofferingid": big])) != nil)
    }
}

struct PlacementAcrossPodsTests {
    /// Adds a second pod with a cluster of two simulator hosts to the seeded zone.
    static func addPod(_ cloud: TestCloud) async throws {
        let zone = try await cloud.first("listZones", "zone")
        let zoneId = try #require(zone["id"]?.stringValue)
        let (_, podBody) = await cloud.call(
            "createPod",
            ["zoneid": zoneId, "name": "POD1", "gateway": "172.16.16.1", "netmask": "255.255.255.0"]
        )
        let podId = try #require(podBody["pod"]?["id"]?.stringValue)
        let (_, clusterBody) = await cloud.call(
            "addCluster",
            [
                "zoneid": zoneId, "podid": podId, "clustername": "C1", "clustertype": "CloudManaged",
                "hypervisor": "Simulator",
            ]
        )
        let clusterId = try #require(clusterBody.items.first?["id"]?.stringValue)
        for index in 0..<2 {
            let (status, _) = await cloud.call(
                "addHost",
                [
                    "zoneid": zoneId, "podid": podId, "clusterid": clusterId, "hypervisor": "Simulator",
                    "url": "http://sim/c1/h\(index)",
                ]
            )
            #expect(status == 200)
        }
    }

    @Test(arguments: ["userconcentratedpod_firstfit", "userconcentratedpod_random"])
    func userConcentratedPodKeepsAnAccountsVMsInOnePod(algorithm: String) async throws {
        let cloud = try await TestCloud.make()
        try await Self.addPod(cloud)
        await PlacementWiringTests.set(cloud, "vm.allocation.algorithm", algorithm)
        let (_, listed) = await cloud.call("listHosts")
        var podOf: [String: String] = [:]
        for host in listed.items {
            if let id = host["id"]?.stringValue { podOf[id] = host["podid"]?.stringValue }
        }
        #expect(podOf.count == 6)
        var pods: Set<String> = []
        for _ in 0..<5 {
            let host = try #require(PlacementWiringTests.placedHost(try await cloud.deploy()))
            pods.insert(try #require(podOf[host]))
        }
        #expect(pods.count == 1, "every VM of the account lands in the pod holding its first VM")
    }

    @Test func userDispersingSpreadsAcrossPods() async throws {
        let cloud = try await TestCloud.make()
        try await Self.addPod(cloud)
        await PlacementWiringTests.set(cloud, "vm.allocation.algorithm", "userdispersing")
        let (_, listed) = await cloud.call("listHosts")
        var podOf: [String: String] = [:]
        for host in listed.items {
            if let id = host["id"]?.stringValue { podOf[id] = host["podid"]?.stringValue }
        }
        var perPod: [String: Int] = [:]
        for _ in 0..<6 {
            let host = try #require(PlacementWiringTests.placedHost(try await cloud.deploy()))
            perPod[try #require(podOf[host]), default: 0] += 1
        }
        // UserDispersingPlanner orders clusters (one per pod here) by the account's VMs: they alternate.
        #expect(perPod.values.sorted() == [3, 3])
    }
}
