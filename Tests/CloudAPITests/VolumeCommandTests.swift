import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Testing

struct VolumeCommandTests {
    static let gib = 1 << 30

    /// Creates a data disk from the seeded 5 GB offering (or a custom size) and waits for the job.
    static func createVolume(
        _ cloud: TestCloud,
        name: String,
        custom: Int? = nil,
        keys: (String, String)? = nil
    ) async throws -> APIValue {
        let zone = try await cloud.first("listZones", "zone")
        var parameters = ["name": name, "zoneid": zone["id"]?.stringValue ?? ""]
        if let custom {
            let (_, offering) = await cloud.call(
                "createDiskOffering",
                ["name": "custom-\(name)", "customized": "true"]
            )
            parameters["diskofferingid"] = offering["diskoffering"]?["id"]?.stringValue ?? ""
            parameters["size"] = String(custom)
        } else {
            let offering = try await cloud.first("listDiskOfferings", "diskoffering", ["name": "Small"])
            parameters["diskofferingid"] = offering["id"]?.stringValue ?? ""
        }
        let job = try await cloud.callAndWait("createVolume", parameters, keys: keys)
        #expect(job["jobstatus"]?.int == 1, "\(job.json)")
        return try #require(job["jobresult"]?["volume"])
    }

    static func poolAllocated(_ cloud: TestCloud) async throws -> Int {
        try #require(try await cloud.first("listStoragePools", "storagepool")["disksizeallocated"]?.int)
    }

    @Test func aDataDiskLivesAndDiesWithItsPoolReservation() async throws {
        let cloud = try await TestCloud.make()
        let vm = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"])
        let vmId = try #require(vm["id"]?.stringValue)
        let afterDeploy = try await Self.poolAllocated(cloud)
        #expect(afterDeploy == 2 * Self.gib, "the root volume reserves the template's size")

        let volume = try await Self.createVolume(cloud, name: "data1")
        let volumeId = try #require(volume["id"]?.stringValue)
        #expect(volume["state"]?.stringValue == "Allocated")
        #expect(volume["type"]?.stringValue == "DATADISK")
        #expect(volume["size"]?.int == 5 * Self.gib)
        #expect(volume["diskofferingname"]?.stringValue == "Small")
        #expect(volume["virtualmachineid"] == nil)
        #expect(try await Self.poolAllocated(cloud) == afterDeploy + 5 * Self.gib)

        let attached = try await cloud.callAndWait("attachVolume", ["id": volumeId, "virtualmachineid": vmId])
        let attachedVolume = try #require(attached["jobresult"]?["volume"])
        #expect(attachedVolume["state"]?.stringValue == "Ready")
        #expect(attachedVolume["deviceid"]?.int == 1)
        #expect(attachedVolume["virtualmachineid"]?.stringValue == vmId)
        #expect(attachedVolume["vmstate"]?.stringValue == "Running")

        let (busyStatus, busy) = await cloud.call("deleteVolume", ["id": volumeId])
        #expect(busyStatus == 431)
        #expect(busy["errortext"]?.stringValue == "Please specify a volume that is not attached to any VM.")

        let listed = await cloud.call("listVolumes", ["virtualmachineid": vmId]).body.items
        #expect(Set(listed.compactMap { $0["type"]?.stringValue }) == ["ROOT", "DATADISK"])
        let root = try #require(listed.first { $0["type"]?.stringValue == "ROOT" })
        #expect(root["deviceid"]?.int == 0)
        #expect(root["serviceofferingname"]?.stringValue == "Small Instance")

        let resized = try await cloud.callAndWait("resizeVolume", ["id": volumeId, "size": "8"])
        #expect(resized["jobresult"]?["volume"]?["size"]?.int == 8 * Self.gib)
        #expect(try await Self.poolAllocated(cloud) == afterDeploy + 8 * Self.gib)
        let shrink = try await cloud.callAndWait("resizeVolume", ["id": volumeId, "size": "4"])
        #expect(shrink["jobresultcode"]?.int == 431)
        #expect(
            shrink["jobresult"]?["errortext"]?.stringValue
                == "Going from existing size of \(8 * Self.gib) to size of \(4 * Self.gib) would shrink the volume.Need to sign off by supplying the shrinkok parameter with value of true."
        )
        let shrunk = try await cloud.callAndWait("resizeVolume", ["id": volumeId, "size": "4", "shrinkok": "true"])
        #expect(shrunk["jobresult"]?["volume"]?["size"]?.int == 4 * Self.gib)
        #expect(try await Self.poolAllocated(cloud) == afterDeploy + 4 * Self.gib)

        let detached = try await cloud.callAndWait("detachVolume", ["id": volumeId])
        #expect(detached["jobresult"]?["volume"]?["virtualmachineid"] == nil)
        let (deleted, _) = await cloud.call("deleteVolume", ["id": volumeId])
        #expect(deleted == 200)
        #expect(try await Self.poolAllocated(cloud) == afterDeploy)
        #expect(await cloud.call("listVolumes", ["id": volumeId]).body.items.isEmpty)

        // Expunging the VM gives its root volume's space back.
        _ = try await cloud.callAndWait("destroyVirtualMachine", ["id": vmId, "expunge": "true"])
        #expect(try await Self.poolAllocated(cloud) == 0)
    }

    @Test func deviceIdsSkipTheCdromSlotAndStopAtTheLimit() async throws {
        let cloud = try await TestCloud.make()
        let vmId = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        var devices: [Int] = []
        for index in 0..<VolumeDevices.maxDataDisks {
            let id = try #require(try await Self.createVolume(cloud, name: "d\(index)")["id"]?.stringValue)
            let job = try await cloud.callAndWait("attachVolume", ["id": id, "virtualmachineid": vmId])
            devices.append(try #require(job["jobresult"]?["volume"]?["deviceid"]?.int))
        }
        #expect(devices == [1, 2, 4, 5, 6, 7])
        let extra = try #require(try await Self.createVolume(cloud, name: "extra")["id"]?.stringValue)
        let refused = try await cloud.callAndWait("attachVolume", ["id": extra, "virtualmachineid": vmId])
        #expect(refused["jobresultcode"]?.int == 431)
        #expect(
            refused["jobresult"]?["errortext"]?.stringValue
                == "The specified VM already has the maximum number of data disks (6) attached. Please specify another VM."
        )
        // Detach by VM and device id, then ask for the freed slot explicitly; slot 3 is never given.
        let detached = try await cloud.callAndWait("detachVolume", ["virtualmachineid": vmId, "deviceid": "4"])
        #expect(detached["jobresult"]?["volume"]?["virtualmachineid"] == nil)
        let cdrom = try await cloud.callAndWait(
            "attachVolume",
            ["id": extra, "virtualmachineid": vmId, "deviceid": "3"]
        )
        #expect(cdrom["jobresult"]?["errortext"]?.stringValue == "deviceId should be 1,2,4-7")
        let slot = try await cloud.callAndWait(
            "attachVolume",
            ["id": extra, "virtualmachineid": vmId, "deviceid": "4"]
        )
        #expect(slot["jobresult"]?["volume"]?["deviceid"]?.int == 4)
    }

    @Test func attachAndDetachConflictsAnswerWithCloudStacksErrors() async throws {
        let cloud = try await TestCloud.make()
        let vm = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"])
        let vmId = try #require(vm["id"]?.stringValue)
        let volumeId = try #require(try await Self.createVolume(cloud, name: "v")["id"]?.stringValue)

        // A VM in another zone (with its own pool so the volume can exist there).
        let (zoneStatus, zoneBody) = await cloud.call(
            "createZone",
            ["name": "Z2", "dns1": "8.8.8.8", "internaldns1": "10.0.0.1", "networktype": "Advanced"]
        )
        #expect(zoneStatus == 200, "\(zoneBody.json)")
        let zone2 = try #require(zoneBody["zone"]?["id"]?.stringValue)
        try await cloud.server.core.store.insert(
            StoragePool(id: "pool-z2", name: "PS-Z2", zoneId: zone2, clusterId: "none", capacity: 1 << 40)
        )
        let offering = try await cloud.first("listDiskOfferings", "diskoffering", ["name": "Small"])
        let other = try await cloud.callAndWait(
            "createVolume",
            ["name": "far", "zoneid": zone2, "diskofferingid": offering["id"]?.stringValue ?? ""]
        )
        let farId = try #require(other["jobresult"]?["volume"]?["id"]?.stringValue)
        let crossZone = try await cloud.callAndWait("attachVolume", ["id": farId, "virtualmachineid": vmId])
        #expect(crossZone["jobresultcode"]?.int == 431)
        #expect(
            crossZone["jobresult"]?["errortext"]?.stringValue
                == "Please specify a VM that is in the same zone as the volume."
        )

        // A ROOT volume can neither be attached elsewhere nor detached.
        let root = try #require(
            await cloud.call("listVolumes", ["virtualmachineid": vmId, "type": "ROOT"]).body.items.first?["id"]?
                .stringValue
        )
        let detachRoot = try await cloud.callAndWait("detachVolume", ["id": root])
        #expect(detachRoot["jobresultcode"]?.int == 431)
        #expect(
            detachRoot["jobresult"]?["errortext"]?.stringValue
                == "Root volume detach is not supported for hypervisor type Simulator"
        )
        let detachLoose = try await cloud.callAndWait("detachVolume", ["id": volumeId])
        #expect(detachLoose["jobresult"]?["errortext"]?.stringValue == "The specified volume is not attached to a VM.")
        let (both, bothBody) = await cloud.call("detachVolume", ["id": volumeId, "deviceid": "1"])
        #expect(both == 431)
        #expect(
            bothBody["errortext"]?.stringValue
                == "Please provide either a volume id, or a tuple(device id, instance id)"
        )

        // A destroyed VM takes no volumes.
        _ = try await cloud.callAndWait("destroyVirtualMachine", ["id": vmId])
        let toDestroyed = try await cloud.callAndWait("attachVolume", ["id": volumeId, "virtualmachineid": vmId])
        #expect(
            toDestroyed["jobresult"]?["errortext"]?.stringValue
                == "Please specify a VM that is either running or stopped."
        )
    }

    @Test func customSizesAndMissingOfferingsAreCheckedAndAPoolNeverOvercommits() async throws {
        let cloud = try await TestCloud.make()
        let zone = try await cloud.first("listZones", "zone")
        let zoneId = try #require(zone["id"]?.stringValue)
        let custom = try await Self.createVolume(cloud, name: "big", custom: 20)
        #expect(custom["size"]?.int == 20 * Self.gib)

        let (noOffering, noOfferingBody) = await cloud.call("createVolume", ["zoneid": zoneId, "name": "x"])
        #expect(noOffering == 431)
        #expect(
            noOfferingBody["errortext"]?.stringValue
                == "At least one of disk Offering ID or snapshot ID must be passed whilst creating volume"
        )
        let (_, customOffering) = await cloud.call("createDiskOffering", ["name": "c", "customized": "true"])
        let customId = try #require(customOffering["diskoffering"]?["id"]?.stringValue)
        let (noSize, noSizeBody) = await cloud.call("createVolume", ["zoneid": zoneId, "diskofferingid": customId])
        #expect(noSize == 431)
        #expect(noSizeBody["errortext"]?.stringValue == "This disk offering requires a custom size specified")

        // Custom sizes stop at custom.diskoffering.size.max (1024 GiB by default), as CloudStack's.
        let (overMax, overMaxBody) = await cloud.call(
            "createVolume",
            ["zoneid": zoneId, "diskofferingid": customId, "size": "1025"]
        )
        #expect(overMax == 431)
        #expect(
            overMaxBody["errortext"]?.stringValue == "Volume size: 1025GB is out of allowed range. Max: 1024 Min:1"
        )
        let (raised, _) = await cloud.call(
            "updateConfiguration",
            ["name": "custom.diskoffering.size.max", "value": "4096"]
        )
        #expect(raised == 200)
        // The seeded pool holds 1 TiB with storage.overprovisioning.factor 2: 2 TiB allocatable.
        let (tooBig, tooBigBody) = await cloud.call(
            "createVolume",
            ["zoneid": zoneId, "diskofferingid": customId, "size": String(3 * 1024)]
        )
        #expect(tooBig == 533, "\(tooBigBody.json)")
        #expect(try await Self.poolAllocated(cloud) == 20 * Self.gib, "a refused volume reserves nothing")
    }

    @Test func usersSeeAndTouchOnlyTheirOwnVolumes() async throws {
        let cloud = try await TestCloud.make()
        let alice = try await cloud.makeUser("alice")
        let bob = try await cloud.makeUser("bob")
        let volume = try await Self.createVolume(cloud, name: "alices", keys: alice)
        let volumeId = try #require(volume["id"]?.stringValue)
        #expect(volume["account"]?.stringValue == "alice")
        #expect(await cloud.call("listVolumes", [:], keys: bob).body.items.isEmpty)
        #expect(await cloud.call("listVolumes", [:], keys: alice).body.items.count == 1)
        let (status, body) = await cloud.call("deleteVolume", ["id": volumeId], keys: bob)
        #expect(status == 531, "\(body.json)")
        let bobsVm = try #require(try await cloud.deploy(keys: bob)["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let (attach, _) = await cloud.call("attachVolume", ["id": volumeId, "virtualmachineid": bobsVm], keys: alice)
        #expect(attach == 531)
        // Tags find volumes.
        let tagged = try await cloud.callAndWait(
            "createTags",
            ["resourcetype": "Volume", "resourceids": volumeId, "tags[0].key": "tier", "tags[0].value": "gold"],
            keys: alice
        )
        #expect(tagged["jobstatus"]?.int == 1)
        let found = await cloud.call("listVolumes", ["tags[0].key": "tier", "tags[0].value": "gold"], keys: alice)
        #expect(found.body.items.map { $0["id"]?.stringValue } == [volumeId])
        #expect(
            await cloud.call("listVolumes", ["tags[0].key": "tier", "tags[0].value": "silver"], keys: alice).body.items
                .isEmpty
        )
    }
}

struct PrimaryStorageRaceTests {
    @Test func concurrentCreationsNeverOvercommitAPool() async throws {
        let cloud = try await TestCloud.make()
        let (_, zoneBody) = await cloud.call(
            "createZone",
            ["name": "Tight", "dns1": "8.8.8.8", "internaldns1": "10.0.0.1", "networktype": "Advanced"]
        )
        let zoneId = try #require(zoneBody["zone"]?["id"]?.stringValue)
        // 10 GiB × storage.overprovisioning.factor 2 = room for four 5 GiB disks.
        try await cloud.server.core.store.insert(
            StoragePool(id: "tight-pool", name: "PS-T", zoneId: zoneId, clusterId: "none", capacity: 10 << 30)
        )
        let offering = try await cloud.first("listDiskOfferings", "diskoffering", ["name": "Small"])
        let offeringId = try #require(offering["id"]?.stringValue)
        let statuses = await withTaskGroup(of: Int.self) { group in
            for index in 0..<10 {
                group.addTask {
                    await cloud.call(
                        "createVolume",
                        ["name": "race\(index)", "zoneid": zoneId, "diskofferingid": offeringId]
                    ).status
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 200 }.count == 4)
        #expect(statuses.filter { $0 == 533 }.count == 6)
        let pool = try #require(try await cloud.server.core.store.get(StoragePool.self, id: "tight-pool"))
        #expect(pool.used == 20 << 30)
    }
}

struct AccountStorageCleanupTests {
    @Test func deletingAnAccountReleasesItsVolumesAndSnapshots() async throws {
        let cloud = try await TestCloud.make()
        let carol = try await cloud.makeUser("carol")
        let vmId = try #require(try await cloud.deploy(keys: carol)["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let attachedId = try #require(
            try await VolumeCommandTests.createVolume(cloud, name: "a", keys: carol)["id"]?.stringValue
        )
        _ = try await cloud.callAndWait("attachVolume", ["id": attachedId, "virtualmachineid": vmId], keys: carol)
        let looseId = try #require(
            try await VolumeCommandTests.createVolume(cloud, name: "b", keys: carol)["id"]?.stringValue
        )
        _ = try await cloud.callAndWait("createSnapshot", ["volumeid": attachedId], keys: carol)
        #expect(try await VolumeCommandTests.poolAllocated(cloud) == (2 + 5 + 5) << 30)
        let account = try #require(
            await cloud.call("listAccounts", ["name": "carol"]).body.items.first?["id"]?.stringValue
        )
        let deleted = try await cloud.callAndWait("deleteAccount", ["id": account])
        #expect(deleted["jobstatus"]?.int == 1, "\(deleted.json)")
        #expect(try await VolumeCommandTests.poolAllocated(cloud) == 0)
        #expect(
            await cloud.call("listVolumes", ["ids": "\(attachedId),\(looseId)", "listall": "true"]).body.items.isEmpty
        )
        #expect(try await cloud.server.core.store.count(Snapshot.self) == 0)
    }
}
