import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Orchestrator
import Testing

struct HostCommandTests {
    /// The seeded zone, pod and cluster ids.
    static func place(_ cloud: TestCloud) async throws -> (zone: String, pod: String, cluster: String) {
        let zone = try await cloud.first("listZones", "zone")
        let pod = try await cloud.first("listPods", "pod")
        let cluster = try await cloud.first("listClusters", "cluster")
        return (
            try #require(zone["id"]?.stringValue), try #require(pod["id"]?.stringValue),
            try #require(cluster["id"]?.stringValue)
        )
    }

    @Test func addHostTakesCapacityFromParametersOrTheSimulatorURL() async throws {
        let cloud = try await TestCloud.make()
        let (zone, pod, cluster) = try await Self.place(cloud)
        let (status, body) = await cloud.call(
            "addHost",
            [
                "zoneid": zone, "podid": pod, "clusterid": cluster, "hypervisor": "Simulator",
                "url": "http://sim/c0/h9", "username": "root", "password": "password", "hosttags": "gpu, ssd",
                "cpunumber": "16", "cpuspeed": "2400", "memory": "65536",
            ]
        )
        #expect(status == 200, "\(body.json)")
        let host = try #require(body.items.first)
        #expect(body["count"]?.int == 1)
        #expect(host["cpunumber"]?.int == 16)
        #expect(host["cpuspeed"]?.int == 2400)
        #expect(host["memorytotal"]?.int == 65536 << 20)
        #expect(host["hosttags"]?.stringValue == "gpu,ssd")
        #expect(host["state"]?.stringValue == "Up")
        #expect(host["resourcestate"]?.stringValue == "Enabled")
        #expect(host["type"]?.stringValue == "Routing")
        #expect(host["clustername"]?.stringValue == "C0")
        #expect(host["podname"]?.stringValue == "POD0")
        #expect(host["zonename"]?.stringValue == "Sandbox-simulator")
        let (_, fromURL) = await cloud.call(
            "addHost",
            [
                "zoneid": zone, "podid": pod, "clusterid": cluster, "hypervisor": "Simulator",
                "url": "http://sim/c0/h10/cpucore=2&cpuspeed=1000&memory=1073741824",
            ]
        )
        #expect(fromURL.items.first?["cpunumber"]?.int == 2)
        #expect(fromURL.items.first?["memorytotal"]?.int == 1 << 30)
        let (_, defaults) = await cloud.call(
            "addHost",
            ["zoneid": zone, "podid": pod, "clustername": "C0", "hypervisor": "Simulator", "url": "http://sim/h11"]
        )
        #expect(defaults.items.first?["cpunumber"]?.int == 4)
        #expect(defaults.items.first?["cpuspeed"]?.int == 8000)
        let (_, listed) = await cloud.call("listHosts")
        #expect(listed["count"]?.int == 7)
    }

    @Test func addHostRefusesBadInput() async throws {
        let cloud = try await TestCloud.make()
        let (zone, pod, cluster) = try await Self.place(cloud)
        let base = ["zoneid": zone, "podid": pod, "clusterid": cluster, "hypervisor": "Simulator"]
        let (notSim, notSimBody) = await cloud.call("addHost", base.merging(["url": "http://10.0.0.5"]) { $1 })
        #expect(notSim == 530)
        #expect(notSimBody["errortext"]?.stringValue == "Cannot find the server resources at http://10.0.0.5")
        let (kvm, _) = await cloud.call(
            "addHost",
            base.merging(["url": "http://sim/x", "hypervisor": "KVM"]) { $1 }
        )
        #expect(kvm == 431)
        let (badPod, _) = await cloud.call(
            "addHost",
            base.merging(["url": "http://sim/x", "podid": "00000000-0000-0000-0000-000000000000"]) { $1 }
        )
        #expect(badPod == 431)
        let (noCluster, _) = await cloud.call(
            "addHost",
            ["zoneid": zone, "podid": pod, "hypervisor": "Simulator", "url": "http://sim/x"]
        )
        #expect(noCluster == 431)
        let (badMemory, _) = await cloud.call("addHost", base.merging(["url": "http://sim/x", "memory": "0"]) { $1 })
        #expect(badMemory == 431)
        let user = try await cloud.makeUser("host-user")
        let (forbidden, _) = await cloud.call("addHost", base.merging(["url": "http://sim/x"]) { $1 }, keys: user)
        #expect(forbidden == 432)
    }

    @Test func updateHostChangesTagsAndAllocationState() async throws {
        let cloud = try await TestCloud.make()
        let host = try await cloud.first("listHosts", "host")
        let id = try #require(host["id"]?.stringValue)
        let (status, body) = await cloud.call(
            "updateHost",
            ["id": id, "hosttags": "a,b", "allocationstate": "Disable"]
        )
        #expect(status == 200)
        #expect(body["host"]?["hosttags"]?.stringValue == "a,b")
        #expect(body["host"]?["resourcestate"]?.stringValue == "Disabled")
        let (_, enabled) = await cloud.call("updateHost", ["id": id, "allocationstate": "Enable", "hosttags": ""])
        #expect(enabled["host"]?["resourcestate"]?.stringValue == "Enabled")
        #expect(enabled["host"]?["hosttags"]?.stringValue == "")
        let (bad, badBody) = await cloud.call("updateHost", ["id": id, "allocationstate": "Maintenance"])
        #expect(bad == 431)
        #expect(badBody["errortext"]?.stringValue?.contains("Enable/Disable") == true)
    }

    @Test func maintenanceMigratesRunningVMsAndCancelEnables() async throws {
        let cloud = try await TestCloud.make()
        _ = await cloud.call("updateConfiguration", ["name": "vm.allocation.algorithm", "value": "firstfit"])
        let hosts = try await PlacementWiringTests.hostIds(cloud)
        var vms: [String] = []
        for _ in 0..<2 {
            let job = try await cloud.deploy()
            #expect(PlacementWiringTests.placedHost(job) == hosts[0])
            vms.append(try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue))
        }
        let job = try await cloud.callAndWait("prepareHostForMaintenance", ["id": hosts[0]])
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        #expect(job["jobinstancetype"]?.stringValue == "Host")
        let host = try #require(job["jobresult"]?["host"])
        #expect(host["resourcestate"]?.stringValue == "Maintenance")
        #expect(host["memoryallocated"]?.int == 0)
        for id in vms {
            let vm = try #require(try await cloud.server.core.store.get(VirtualMachine.self, id: id))
            #expect(vm.state == .running)
            #expect(vm.hostId != nil && vm.hostId != hosts[0])
        }
        let used = try await cloud.server.core.store.list(Host.self).items.reduce(0) { $0 + $1.memUsed }
        #expect(used == 2 * 512 << 20, "reserved once on the targets, released on the source")
        let cancelled = try await cloud.callAndWait("cancelHostMaintenance", ["id": hosts[0]])
        #expect(cancelled["jobresult"]?["host"]?["resourcestate"]?.stringValue == "Enabled")
        let (again, _) = await cloud.call("cancelHostMaintenance", ["id": hosts[0]])
        #expect(again == 200, "refused inside the job")
        await cloud.server.jobs.drain()
    }

    @Test func vmThatCannotMoveLeavesErrorInMaintenance() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await PlacementWiringTests.hostIds(cloud)
        let job = try await cloud.deploy(extra: ["hostid": hosts[0]])
        let vmId = try #require(job["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        for other in hosts.dropFirst() {
            _ = await cloud.call("updateHost", ["id": other, "allocationstate": "Disable"])
        }
        let maintenance = try await cloud.callAndWait("prepareHostForMaintenance", ["id": hosts[0]])
        #expect(maintenance["jobresult"]?["host"]?["resourcestate"]?.stringValue == "ErrorInMaintenance")
        #expect(try await cloud.server.core.store.get(VirtualMachine.self, id: vmId)?.hostId == hosts[0])
        _ = await cloud.call("updateHost", ["id": hosts[1], "allocationstate": "Enable"])
        let retried = try await cloud.callAndWait("prepareHostForMaintenance", ["id": hosts[0]])
        #expect(retried["jobresult"]?["host"]?["resourcestate"]?.stringValue == "Maintenance")
        #expect(try await cloud.server.core.store.get(VirtualMachine.self, id: vmId)?.hostId == hosts[1])
    }

    @Test func deleteHostIsRefusedWhileInUseOrOutOfMaintenance() async throws {
        let cloud = try await TestCloud.make()
        let hosts = try await PlacementWiringTests.hostIds(cloud)
        _ = try await cloud.deploy(extra: ["hostid": hosts[0]])
        let (inUse, inUseBody) = await cloud.call("deleteHost", ["id": hosts[0], "forced": "true"])
        #expect(inUse == 536)
        #expect(inUseBody["errortext"]?.stringValue?.contains("VMs are on it") == true)
        let (enabled, enabledBody) = await cloud.call("deleteHost", ["id": hosts[1]])
        #expect(enabled == 530)
        #expect(enabledBody["errortext"]?.stringValue?.contains("not in maintenance mode") == true)
        _ = try await cloud.callAndWait("prepareHostForMaintenance", ["id": hosts[0]])
        let (deleted, body) = await cloud.call("deleteHost", ["id": hosts[0]])
        #expect(deleted == 200)
        #expect(body["success"] == .string("true"))
        let (_, listed) = await cloud.call("listHosts")
        #expect(listed["count"]?.int == 3)
    }
}

struct InfrastructureAdminTests {
    @Test func zonePodClusterAndHostAreCreatedInTurn() async throws {
        let cloud = try await TestCloud.make()
        let (zoneStatus, zoneBody) = await cloud.call(
            "createZone",
            ["name": "Zone2", "dns1": "8.8.8.8", "internaldns1": "10.0.0.2", "networktype": "advanced"]
        )
        #expect(zoneStatus == 200, "\(zoneBody.json)")
        let zoneId = try #require(zoneBody["zone"]?["id"]?.stringValue)
        #expect(zoneBody["zone"]?["networktype"]?.stringValue == "Advanced")
        let (duplicate, _) = await cloud.call(
            "createZone",
            ["name": "Zone2", "dns1": "8.8.8.8", "internaldns1": "10.0.0.2", "networktype": "Advanced"]
        )
        #expect(duplicate == 431)
        let (badGateway, _) = await cloud.call(
            "createPod",
            ["zoneid": zoneId, "name": "P1", "gateway": "10.0.0.300", "netmask": "255.255.255.0"]
        )
        #expect(badGateway == 431)
        let (_, podBody) = await cloud.call(
            "createPod",
            ["zoneid": zoneId, "name": "P1", "gateway": "10.2.0.1", "netmask": "255.255.255.0"]
        )
        let podId = try #require(podBody["pod"]?["id"]?.stringValue)
        let (kvm, _) = await cloud.call(
            "addCluster",
            [
                "zoneid": zoneId, "podid": podId, "clustername": "K1", "clustertype": "CloudManaged",
                "hypervisor": "KVM",
            ]
        )
        #expect(kvm == 431)
        let (_, clusterBody) = await cloud.call(
            "addCluster",
            [
                "zoneid": zoneId, "podid": podId, "clustername": "C1", "clustertype": "CloudManaged",
                "hypervisor": "Simulator",
            ]
        )
        let clusterId = try #require(clusterBody.items.first?["id"]?.stringValue)
        let (hostStatus, hostBody) = await cloud.call(
            "addHost",
            [
                "zoneid": zoneId, "podid": podId, "clusterid": clusterId, "hypervisor": "Simulator",
                "url": "http://sim/z2/h0",
            ]
        )
        #expect(hostStatus == 200)
        #expect(hostBody.items.first?["zonename"]?.stringValue == "Zone2")
        let (_, hosts) = await cloud.call("listHosts", ["zoneid": zoneId])
        #expect(hosts["count"]?.int == 1)
        let (_, capacity) = await cloud.call("listCapacity", ["zoneid": zoneId, "type": "1"])
        #expect(capacity.items.first?["capacitytotal"]?.int == 32000)
    }
}
