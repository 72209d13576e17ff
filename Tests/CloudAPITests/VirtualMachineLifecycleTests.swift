import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import CloudTestSupport
import Orchestrator
import Testing

struct VirtualMachineLifecycleTests {
    @Test func deployAnswersIdAndJobThenRuns() async throws {
        let cloud = try await TestCloud.make()
        let job = try await cloud.deploy()
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        #expect(job["jobresultcode"]?.int == 0)
        let vm = try #require(job["jobresult"]?["virtualmachine"])
        #expect(vm["state"]?.stringValue == "Running")
        guard case .array(let nics)? = vm["nic"] else { throw CancellationError() }
        #expect(nics.first?["ipaddress"]?.stringValue == "10.1.1.2")
        #expect(vm["hostid"] != nil)
    }

    @Test func fullLifecycle() async throws {
        let cloud = try await TestCloud.make()
        let deployed = try await cloud.deploy()
        let id = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)

        let stopped = try await cloud.callAndWait("stopVirtualMachine", ["id": id, "forced": "true"])
        #expect(stopped["jobresult"]?["virtualmachine"]?["state"]?.stringValue == "Stopped")
        let started = try await cloud.callAndWait("startVirtualMachine", ["id": id])
        #expect(started["jobresult"]?["virtualmachine"]?["state"]?.stringValue == "Running")
        let rebooted = try await cloud.callAndWait("rebootVirtualMachine", ["id": id])
        #expect(rebooted["jobstatus"]?.int == 1)
        let destroyed = try await cloud.callAndWait("destroyVirtualMachine", ["id": id])
        #expect(destroyed["jobresult"]?["virtualmachine"]?["state"]?.stringValue == "Destroyed")
        let (status, recovered) = await cloud.call("recoverVirtualMachine", ["id": id])
        #expect(status == 200)
        #expect(recovered["virtualmachine"]?["state"]?.stringValue == "Stopped")
        _ = try await cloud.callAndWait("destroyVirtualMachine", ["id": id])
        let expunged = try await cloud.callAndWait("expungeVirtualMachine", ["id": id])
        #expect(expunged["jobresult"]?["success"] == .bool(true))
        let (_, list) = await cloud.call("listVirtualMachines", ["id": id])
        #expect(list == .object([]))
    }

    @Test func capacityIsReservedAndReleased() async throws {
        let cloud = try await TestCloud.make()
        let deployed = try await cloud.deploy()
        let id = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let hosts = try await cloud.server.core.store.list(Host.self).items
        #expect(hosts.map(\.cpuUsed).reduce(0, +) == 500)
        #expect(hosts.map(\.memUsed).reduce(0, +) == 512 * 1024 * 1024)
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": id])
        let after = try await cloud.server.core.store.list(Host.self).items
        #expect(after.map(\.cpuUsed).reduce(0, +) == 0)
    }

    @Test func illegalTransitionsAre431() async throws {
        let cloud = try await TestCloud.make()
        let deployed = try await cloud.deploy()
        let id = try #require(deployed["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let (status, body) = await cloud.call("startVirtualMachine", ["id": id])
        #expect(status == 431)
        #expect(body["cserrorcode"]?.int == 4350)
        let (recoverStatus, _) = await cloud.call("recoverVirtualMachine", ["id": id])
        #expect(recoverStatus == 431)
    }

    @Test func missingAndMalformedParametersName431() async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("deployVirtualMachine", ["zoneid": "x"])
        #expect(status == 431)
        #expect(body["errortext"]?.stringValue?.contains("serviceofferingid") == true)
        let (badStatus, bad) = await cloud.call("stopVirtualMachine", ["id": "not-a-uuid"])
        #expect(badStatus == 431)
        #expect(bad["errortext"]?.stringValue?.contains("Invalid parameter id") == true)
    }

    @Test func addressesAreNeverHandedOutTwice() async throws {
        let cloud = try await TestCloud.make()
        var addresses: [String] = []
        for _ in 0..<5 {
            let job = try await cloud.deploy()
            guard case .array(let nics)? = job["jobresult"]?["virtualmachine"]?["nic"] else {
                throw CancellationError()
            }
            addresses += nics.compactMap { $0["ipaddress"]?.stringValue }
        }
        #expect(Set(addresses).count == 5)
    }

    @Test func noCapacityFailsTheJobWith533() async throws {
        let cloud = try await TestCloud.make()
        let (_, offering) = await cloud.call(
            "createServiceOffering",
            ["name": "Huge", "displaytext": "Huge", "cpunumber": "64", "cpuspeed": "8000"]
        )
        let offeringId = try #require(offering["serviceoffering"]?["id"]?.stringValue)
        let job = try await cloud.deploy(extra: ["serviceofferingid": offeringId])
        #expect(job["jobstatus"]?.int == 2)
        #expect(job["jobresultcode"]?.int == 533)
        #expect(job["jobresult"]?["errorcode"]?.int == 533)
    }

    @Test func injectedStartFailureFailsTheJobCleanly() async throws {
        let cloud = try await TestCloud.make()
        let (status, _) = await cloud.call(
            "configureSimulator",
            ["name": "StartCommand", "value": "result:fail", "count": "1"]
        )
        #expect(status == 200)
        let job = try await cloud.deploy()
        #expect(job["jobstatus"]?.int == 2)
        #expect(job["jobresultcode"]?.int == 534)
        let hosts = try await cloud.server.core.store.list(Host.self).items
        #expect(hosts.map(\.cpuUsed).reduce(0, +) == 0)
        let vmId = try #require(job["jobinstanceid"]?.stringValue)
        let (_, list) = await cloud.call("listVirtualMachines", ["id": vmId])
        #expect(list.items.first?["state"]?.stringValue == "Error")
        let next = try await cloud.deploy()
        #expect(next["jobstatus"]?.int == 1)
    }

    @Test func listAsyncJobsShowsJobs() async throws {
        let cloud = try await TestCloud.make()
        _ = try await cloud.deploy()
        let (_, jobs) = await cloud.call("listAsyncJobs")
        #expect(jobs["count"]?.int == 1)
    }
}

struct ConcurrentDeploymentTests {
    /// On SQLite and PostgreSQL alike (the capacity CAS and the address constraint are the database's).
    @Test(arguments: TestBackend.allCases)
    func concurrentDeploysGetDistinctAddressesAndNeverOvercommit(backend: TestBackend) async throws {
        let cloud = try await TestCloud.make(backend: backend)
        let zone = try await cloud.first("listZones", "zone")
        let template = try await cloud.first("listTemplates", "template", ["templatefilter": "featured"])
        let offering = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Medium Instance"])
        let parameters = [
            "zoneid": zone["id"]?.stringValue ?? "", "templateid": template["id"]?.stringValue ?? "",
            "serviceofferingid": offering["id"]?.stringValue ?? "",
        ]
        // The cluster disable thresholds (0.85) would stop the planner before the hosts are full.
        let (set, _) = await cloud.call("updateConfiguration", ["name": "cluster.threshold.enabled", "value": "false"])
        #expect(set == 200)
        // 4 hosts x 32000 MHz hold 128 VMs of 1000 MHz; memory (8 GiB / 1 GiB) caps each host at 8, so 32 fit.
        let statuses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<40 {
                group.addTask { await cloud.call("deployVirtualMachine", parameters).status }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 200 })
        await cloud.server.jobs.drain()
        let (_, running) = await cloud.call("listVirtualMachines", ["state": "Running"])
        #expect(running["count"]?.int == 32)
        let addresses = running.items.flatMap { vm -> [String] in
            guard case .array(let nics)? = vm["nic"] else { return [] }
            return nics.compactMap { $0["ipaddress"]?.stringValue }
        }
        #expect(Set(addresses).count == 32)
        let (_, errored) = await cloud.call("listVirtualMachines", ["state": "Error"])
        #expect(errored["count"]?.int == 8)
        let hosts = try await cloud.server.core.store.list(Host.self).items
        #expect(hosts.allSatisfy { $0.memUsed <= $0.memory })
    }
}
