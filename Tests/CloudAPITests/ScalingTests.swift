import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Orchestrator
import Testing

struct ScalingTests {
    static func offering(_ cloud: TestCloud, _ parameters: [String: String]) async throws -> String {
        let (status, body) = await cloud.call("createServiceOffering", parameters)
        #expect(status == 200, "\(body.json)")
        return try #require(body["serviceoffering"]?["id"]?.stringValue)
    }

    @Test func runningVMScalesUpInPlaceWithTheDeltaReserved() async throws {
        let cloud = try await TestCloud.make()
        let deployed = try await cloud.deploy()
        let id = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let host = try #require(deployed["jobresult"]?["virtualmachine"]?["hostid"]?.stringValue)
        let medium = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Medium Instance"])
        let job = try await cloud.callAndWait(
            "scaleVirtualMachine",
            ["id": id, "serviceofferingid": medium["id"]?.stringValue ?? ""]
        )
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        #expect(job["jobresult"]?["success"] == .bool(true))
        let (_, list) = await cloud.call("listVirtualMachines", ["id": id])
        #expect(list.items.first?["cpuspeed"]?.int == 1000)
        #expect(list.items.first?["memory"]?.int == 1024)
        #expect(list.items.first?["hostid"]?.stringValue == host)
        let hosts = try await cloud.server.core.store.list(Host.self).items
        #expect(hosts.first { $0.id == host }?.cpuUsed == 1000)
        #expect(hosts.first { $0.id == host }?.memUsed == 1024 * 1024 * 1024)
        // Stopping releases exactly the new size.
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": id])
        let after = try await cloud.server.core.store.list(Host.self).items
        #expect(after.allSatisfy { $0.cpuUsed == 0 && $0.memUsed == 0 })
    }

    @Test func liveScaleDownIsRefused() async throws {
        let cloud = try await TestCloud.make()
        let medium = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Medium Instance"])
        let deployed = try await cloud.deploy(extra: ["serviceofferingid": medium["id"]?.stringValue ?? ""])
        let id = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let small = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Small Instance"])
        let job = try await cloud.callAndWait(
            "scaleVirtualMachine",
            ["id": id, "serviceofferingid": small["id"]?.stringValue ?? ""]
        )
        #expect(job["jobstatus"]?.int == 2)
        #expect(job["jobresultcode"]?.int == 431)
        #expect(job["jobresult"]?["errortext"]?.stringValue?.hasPrefix("Only scaling up the vm is supported") == true)
    }

    @Test func scalingBeyondTheHostIs533AndReservesNothing() async throws {
        let cloud = try await TestCloud.make()
        let deployed = try await cloud.deploy()
        let id = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        // Hosts have 8 GiB: 16 GiB cannot fit.
        let huge = try await Self.offering(
            cloud,
            ["name": "Big", "displaytext": "Big", "cpunumber": "1", "cpuspeed": "500", "memory": "16384"]
        )
        let job = try await cloud.callAndWait("scaleVirtualMachine", ["id": id, "serviceofferingid": huge])
        #expect(job["jobstatus"]?.int == 2)
        #expect(job["jobresultcode"]?.int == 533)
        let hosts = try await cloud.server.core.store.list(Host.self).items
        #expect(hosts.map(\.memUsed).reduce(0, +) == 512 * 1024 * 1024)
        let vm = try #require(try await cloud.server.core.store.get(VirtualMachine.self, id: id))
        #expect(vm.memory == 512 && vm.state == .running)
    }

    @Test func injectedScaleFailureReleasesTheDelta() async throws {
        let cloud = try await TestCloud.make()
        let deployed = try await cloud.deploy()
        let id = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        _ = await cloud.call("configureSimulator", ["name": "ScaleVmCommand", "value": "result:fail", "count": "1"])
        let medium = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Medium Instance"])
        let job = try await cloud.callAndWait(
            "scaleVirtualMachine",
            ["id": id, "serviceofferingid": medium["id"]?.stringValue ?? ""]
        )
        #expect(job["jobstatus"]?.int == 2)
        let hosts = try await cloud.server.core.store.list(Host.self).items
        #expect(hosts.map(\.cpuUsed).reduce(0, +) == 500)
    }

    @Test func stoppedVMTakesAnyOfferingAndChangeServiceNeedsStopped() async throws {
        let cloud = try await TestCloud.make()
        let medium = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Medium Instance"])
        let small = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Small Instance"])
        let deployed = try await cloud.deploy(extra: ["serviceofferingid": medium["id"]?.stringValue ?? ""])
        let id = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let (runningStatus, running) = await cloud.call(
            "changeServiceForVirtualMachine",
            ["id": id, "serviceofferingid": small["id"]?.stringValue ?? ""]
        )
        #expect(runningStatus == 431)
        #expect(running["errortext"]?.stringValue?.contains("make sure the virtual machine is stopped") == true)
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": id])
        let (status, changed) = await cloud.call(
            "changeServiceForVirtualMachine",
            ["id": id, "serviceofferingid": small["id"]?.stringValue ?? ""]
        )
        #expect(status == 200, "\(changed.json)")
        #expect(changed["virtualmachine"]?["serviceofferingname"]?.stringValue == "Small Instance")
        #expect(changed["virtualmachine"]?["cpuspeed"]?.int == 500)
        let scaled = try await cloud.callAndWait(
            "scaleVirtualMachine",
            ["id": id, "serviceofferingid": medium["id"]?.stringValue ?? ""]
        )
        #expect(scaled["jobstatus"]?.int == 1)
        let started = try await cloud.callAndWait("startVirtualMachine", ["id": id])
        #expect(started["jobresult"]?["virtualmachine"]?["cpuspeed"]?.int == 1000)
        let hosts = try await cloud.server.core.store.list(Host.self).items
        #expect(hosts.map(\.cpuUsed).reduce(0, +) == 1000)
    }

    @Test func updateVirtualMachineChangesNamesGroupAndHA() async throws {
        let cloud = try await TestCloud.make()
        let deployed = try await cloud.deploy()
        let id = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let (renameRunning, _) = await cloud.call("updateVirtualMachine", ["id": id, "name": "web-1"])
        #expect(renameRunning == 431)
        let (status, body) = await cloud.call(
            "updateVirtualMachine",
            ["id": id, "displayname": "Web One", "group": "web", "haenable": "true", "details[0].foo": "bar"]
        )
        #expect(status == 200, "\(body.json)")
        let vm = try #require(body["virtualmachine"])
        #expect(vm["displayname"]?.stringValue == "Web One")
        #expect(vm["group"]?.stringValue == "web")
        #expect(vm["haenable"] == .bool(true))
        #expect(vm["details"]?["foo"]?.stringValue == "bar")
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": id])
        let (renamed, after) = await cloud.call("updateVirtualMachine", ["id": id, "name": "web-1"])
        #expect(renamed == 200)
        #expect(after["virtualmachine"]?["name"]?.stringValue == "web-1")
        let (badName, _) = await cloud.call("updateVirtualMachine", ["id": id, "name": "-bad"])
        #expect(badName == 431)
        let (badData, _) = await cloud.call("updateVirtualMachine", ["id": id, "userdata": "not base64!"])
        #expect(badData == 431)
    }

    @Test func scaleRacingStopKeepsCapacityExact() async throws {
        let cloud = try await TestCloud.make()
        let medium = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Medium Instance"])
        for _ in 0..<4 {
            let deployed = try await cloud.deploy()
            let id = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
            async let scale = cloud.call(
                "scaleVirtualMachine",
                ["id": id, "serviceofferingid": medium["id"]?.stringValue ?? ""]
            )
            async let stop = cloud.call("stopVirtualMachine", ["id": id])
            _ = await (scale, stop)
            await cloud.server.jobs.drain()
        }
        // Whatever order the jobs ran in, every host holds exactly the demand of the VMs that hold capacity.
        let vms = try await cloud.server.core.store.list(VirtualMachine.self).items
        for host in try await cloud.server.core.store.list(Host.self).items {
            let placed = vms.filter { $0.hostId == host.id && $0.state.holdsCapacity }
            #expect(host.cpuUsed == placed.map(\.cpuDemand).reduce(0, +))
            #expect(host.memUsed == placed.map(\.memoryDemand).reduce(0, +))
        }
    }
}
