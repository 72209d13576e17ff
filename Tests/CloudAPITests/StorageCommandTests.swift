import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Testing

struct StorageCommandTests {
    @Test func rootVolumesCountAgainstThePrimaryPool() async throws {
        let cloud = try await TestCloud.make()
        let before = try await cloud.first("listStoragePools", "storagepool")
        #expect(before["disksizetotal"]?.int == 1 << 40)
        #expect(before["disksizeallocated"]?.int == 0)
        #expect(before["type"]?.stringValue == "NetworkFilesystem")
        #expect(before["clustername"]?.stringValue == "C0")
        _ = try await cloud.deploy()
        _ = try await cloud.deploy()
        let after = try await cloud.first("listStoragePools", "storagepool")
        // The seeded templates are 2 GiB; each root volume takes the template's size.
        #expect(after["disksizeallocated"]?.int == 2 * (2 << 30))
        #expect(after["disksizeused"]?.int == 2 * (2 << 30))
    }

    @Test func imageStoresAreAddedListedAndDeletedWithCloudStacksRules() async throws {
        let cloud = try await TestCloud.make()
        let seeded = try await cloud.first("listImageStores", "imagestore")
        #expect(seeded["providername"]?.stringValue == "NFS")
        #expect(seeded["protocol"]?.stringValue == "nfs")
        #expect(seeded["scope"]?.stringValue == "ZONE")
        #expect(seeded["disksizeused"]?.int == 2 * (2 << 30), "the two seeded templates")
        let seededId = try #require(seeded["id"]?.stringValue)
        let zoneId = try #require(seeded["zoneid"]?.stringValue)
        let (refused, refusedBody) = await cloud.call("deleteImageStore", ["id": seededId])
        #expect(refused == 536)
        #expect(refusedBody["errortext"]?.stringValue == "Cannot delete image store with active templates backup!")

        let (badScheme, badBody) = await cloud.call(
            "addImageStore",
            ["provider": "NFS", "url": "http://10.0.0.9/export", "zoneid": zoneId]
        )
        #expect(badScheme == 431)
        #expect(badBody["errortext"]?.stringValue == "Unsupported scheme for secondary storage: http")
        let (badProvider, _) = await cloud.call(
            "addImageStore",
            ["provider": "S4", "url": "nfs://10.0.0.9/export", "zoneid": zoneId]
        )
        #expect(badProvider == 431)
        let (added, body) = await cloud.call(
            "addImageStore",
            ["provider": "NFS", "name": "SS1", "url": "nfs://10.0.0.9/export/secondary", "zoneid": zoneId]
        )
        #expect(added == 200, "\(body.json)")
        #expect(body["imagestore"]?["name"]?.stringValue == "SS1")
        let (_, listed) = await cloud.call("listImageStores", ["zoneid": zoneId])
        #expect(listed["count"]?.int == 2)
        let (deleted, _) = await cloud.call("deleteImageStore", ["id": seededId])
        #expect(deleted == 200, "another store of the zone still holds the templates")
        let newId = try #require(body["imagestore"]?["id"]?.stringValue)
        let (last, _) = await cloud.call("deleteImageStore", ["id": newId])
        #expect(last == 536)
        let user = try await cloud.makeUser("storage-user")
        let (forbidden, _) = await cloud.call("listImageStores", keys: user)
        #expect(forbidden == 432)
    }

    @Test func registerTemplateNeedsAnImageStoreInTheZone() async throws {
        let cloud = try await TestCloud.make()
        let zone = try await cloud.first("listZones", "zone")
        let zoneId = try #require(zone["id"]?.stringValue)
        let stores = try await cloud.server.core.store.list(ImageStore.self).items
        for store in stores { try await cloud.server.core.store.deleteImageStore(id: store.id) }
        let (status, body) = await cloud.call(
            "registerTemplate",
            [
                "name": "tiny", "displaytext": "tiny", "format": "QCOW2", "hypervisor": "Simulator",
                "url": "http://example.com/tiny.qcow2", "zoneid": zoneId,
            ]
        )
        #expect(status == 530)
        #expect(body["errortext"]?.stringValue == "Unable to find image store to download template tiny")
    }

    @Test func listCapacityCoversComputeAndStoragePerZonePodAndCluster() async throws {
        let cloud = try await TestCloud.make()
        _ = try await cloud.deploy()
        let (_, zone) = await cloud.call("listCapacity")
        let byType = Dictionary(
            uniqueKeysWithValues: zone.items.compactMap { item in
                item["type"]?.int.map { ($0, item) }
            }
        )
        #expect(Set(byType.keys) == [0, 1, 2, 3, 6])
        #expect(byType[0]?["capacitytotal"]?.int == 4 * (8 << 30))
        #expect(byType[0]?["capacityused"]?.int == 512 << 20)
        #expect(byType[1]?["capacitytotal"]?.int == 4 * 32000)
        #expect(byType[1]?["capacityused"]?.int == 500)
        #expect(byType[1]?["name"]?.stringValue == "CPU")
        #expect(byType[2]?["capacityused"]?.int == 2 << 30)
        #expect(byType[3]?["capacitytotal"]?.int == 2 << 40, "storage.overprovisioning.factor 2")
        #expect(byType[6]?["capacitytotal"]?.int == 1 << 40)
        #expect(zone.items.allSatisfy { $0["podid"] == nil })
        let pod = try await cloud.first("listPods", "pod")
        let (_, perPod) = await cloud.call("listCapacity", ["podid": pod["id"]?.stringValue ?? ""])
        #expect(perPod.items.count == 4)
        #expect(perPod.items.allSatisfy { $0["podname"]?.stringValue == "POD0" })
        let cluster = try await cloud.first("listClusters", "cluster")
        let (_, perCluster) = await cloud.call(
            "listCapacity",
            ["clusterid": cluster["id"]?.stringValue ?? "", "type": "1"]
        )
        #expect(perCluster.items.count == 1)
        #expect(perCluster.items.first?["clustername"]?.stringValue == "C0")
        #expect(perCluster.items.first?["percentused"]?.stringValue == "0.39")
        let (_, sorted) = await cloud.call("listCapacity", ["sortby": "usage"])
        let percents = sorted.items.compactMap { $0["percentused"]?.stringValue.flatMap(Double.init) }
        #expect(percents == percents.sorted(by: >))
    }
}
