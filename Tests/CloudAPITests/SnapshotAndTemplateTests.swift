import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Foundation
import Orchestrator
import Testing

struct SnapshotAndTemplateTests {
    @Test func aSnapshotIsBackedUpRevertedAndTurnedIntoAVolumeAndATemplate() async throws {
        let cloud = try await TestCloud.make()
        let vmId = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let volume = try await VolumeCommandTests.createVolume(cloud, name: "data")
        let volumeId = try #require(volume["id"]?.stringValue)

        let (allocatedStatus, allocated) = await cloud.call("createSnapshot", ["volumeid": volumeId])
        #expect(allocatedStatus == 431)
        #expect(
            allocated["errortext"]?.stringValue
                == "VolumeId: \(volumeId) is not in Ready state but Allocated. Cannot take snapshot."
        )
        _ = try await cloud.callAndWait("attachVolume", ["id": volumeId, "virtualmachineid": vmId])

        // BackingUp until the job runs, BackedUp after.
        let (status, answer) = await cloud.call("createSnapshot", ["volumeid": volumeId])
        #expect(status == 200)
        let snapshotId = try #require(answer["id"]?.stringValue)
        await cloud.server.jobs.drain()
        let snapshot = try await cloud.first("listSnapshots", "snapshot", ["volumeid": volumeId])
        #expect(snapshot["state"]?.stringValue == "BackedUp")
        #expect(snapshot["volumetype"]?.stringValue == "DATADISK")
        #expect(snapshot["intervaltype"]?.stringValue == "MANUAL")
        #expect(snapshot["name"]?.stringValue?.hasPrefix("VM-\(vmId)_data_") == true)

        // Revert needs the VM stopped; it brings the volume back to the snapshot's size.
        _ = try await cloud.callAndWait("resizeVolume", ["id": volumeId, "size": "7"])
        let (runningStatus, running) = await cloud.call("revertSnapshot", ["id": snapshotId])
        #expect(runningStatus == 431)
        #expect(
            running["errortext"]?.stringValue
                == "The VM the specified disk is attached to is not in the shutdown state."
        )
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": vmId])
        let reverted = try await cloud.callAndWait("revertSnapshot", ["id": snapshotId])
        #expect(reverted["jobstatus"]?.int == 1, "\(reverted.json)")
        #expect(await cloud.call("listVolumes", ["id": volumeId]).body.items.first?["size"]?.int == 5 << 30)

        // A volume from the snapshot, and a template from the snapshot and from the root volume.
        let fromSnapshot = try await cloud.callAndWait("createVolume", ["snapshotid": snapshotId, "name": "copy"])
        #expect(fromSnapshot["jobresult"]?["volume"]?["size"]?.int == 5 << 30)
        let ostype = "11111111-2222-3333-4444-555555555555"
        let template = try await cloud.callAndWait(
            "createTemplate",
            ["snapshotid": snapshotId, "name": "from-snap", "displaytext": "t", "ostypeid": ostype]
        )
        #expect(template["jobresult"]?["template"]?["isready"] == .bool(true), "\(template.json)")
        #expect(template["jobresult"]?["template"]?["size"]?.int == 5 << 30)
        let root = try #require(
            await cloud.call("listVolumes", ["virtualmachineid": vmId, "type": "ROOT"]).body.items.first?["id"]?
                .stringValue
        )
        let fromRoot = try await cloud.callAndWait(
            "createTemplate",
            ["volumeid": root, "name": "from-root", "ostypeid": ostype]
        )
        let newTemplate = try #require(fromRoot["jobresult"]?["template"]?["id"]?.stringValue)
        let mine = await cloud.call("listTemplates", ["templatefilter": "self"]).body.items
        let names = Set(mine.compactMap { $0["name"]?.stringValue })
        #expect(names.contains("from-snap") && names.contains("from-root"))
        // The new template deploys.
        let deployed = try await cloud.deploy(extra: ["templateid": newTemplate])
        #expect(deployed["jobresult"]?["virtualmachine"]?["templatename"]?.stringValue == "from-root")

        let deleted = try await cloud.callAndWait("deleteSnapshot", ["id": snapshotId])
        #expect(deleted["jobresult"]?["success"] == .bool(true))
        #expect(await cloud.call("listSnapshots", ["id": snapshotId]).body.items.isEmpty)
    }

    @Test func createTemplateFromAVolumeNeedsItsVMStopped() async throws {
        let cloud = try await TestCloud.make()
        let vmId = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let root = try #require(
            await cloud.call("listVolumes", ["virtualmachineid": vmId]).body.items.first?["id"]?.stringValue
        )
        let (status, body) = await cloud.call(
            "createTemplate",
            ["volumeid": root, "name": "t", "ostypeid": "11111111-2222-3333-4444-555555555555"]
        )
        #expect(status == 431)
        #expect(body["errortext"]?.stringValue?.contains("must be stopped") == true)
        let (neither, neitherBody) = await cloud.call(
            "createTemplate",
            ["name": "t", "ostypeid": "11111111-2222-3333-4444-555555555555"]
        )
        #expect(neither == 431)
        #expect(
            neitherBody["errortext"]?.stringValue
                == "Failed to create private template record, need to specify snapshotId or volumeId"
        )
    }

    @Test func snapshotPoliciesAreStoredUpdatedListedAndDeleted() async throws {
        let cloud = try await TestCloud.make()
        let vmId = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let root = try #require(
            await cloud.call("listVolumes", ["virtualmachineid": vmId]).body.items.first?["id"]?.stringValue
        )
        var parameters = [
            "volumeid": root, "intervaltype": "daily", "schedule": "30:02", "timezone": "UTC", "maxsnaps": "3",
        ]
        let (status, created) = await cloud.call("createSnapshotPolicy", parameters)
        #expect(status == 200, "\(created.json)")
        let policy = try #require(created["snapshotpolicy"])
        #expect(policy["intervaltype"]?.int == 1)
        #expect(policy["schedule"]?.stringValue == "30:02")
        // The same interval again updates the policy.
        parameters["schedule"] = "15:04"
        let (_, updated) = await cloud.call("createSnapshotPolicy", parameters)
        #expect(updated["snapshotpolicy"]?["id"] == policy["id"])
        parameters["schedule"] = "15:25"
        let (bad, badBody) = await cloud.call("createSnapshotPolicy", parameters)
        #expect(bad == 431)
        #expect(badBody["errortext"]?.stringValue == "Invalid schedule: 15:25 for interval type: DAILY")
        let listed = await cloud.call("listSnapshotPolicies", ["volumeid": root]).body.items
        #expect(listed.count == 1)
        #expect(listed.first?["schedule"]?.stringValue == "15:04")
        let (deleted, _) = await cloud.call("deleteSnapshotPolicies", ["id": policy["id"]?.stringValue ?? ""])
        #expect(deleted == 200)
        #expect(await cloud.call("listSnapshotPolicies", ["volumeid": root]).body.items.isEmpty)
    }

    @Test func isosAreRegisteredListedAttachedAndDetached() async throws {
        let cloud = try await TestCloud.make()
        let vmId = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let zone = try await cloud.first("listZones", "zone")
        let (status, registered) = await cloud.call(
            "registerIso",
            ["name": "tools", "url": "http://example.com/tools.iso", "zoneid": zone["id"]?.stringValue ?? ""]
        )
        #expect(status == 200, "\(registered.json)")
        let registeredId = try #require(registered.items.first?["id"]?.stringValue)
        #expect(registered.items.first?["bootable"] == .bool(true))
        #expect(registered.items.first?["isready"] == .bool(false))
        let (earlyStatus, early) = await cloud.call("attachIso", ["id": registeredId, "virtualmachineid": vmId])
        #expect(earlyStatus == 431)
        #expect(early["errortext"]?.stringValue == "Unable to attach ISO \(registeredId): it is not ready yet")
        _ = try await cloud.callAndWait("deleteIso", ["id": registeredId])
        // The download simulation runs on a timer: a finished ISO row is written directly instead.
        let iso = Template(
            id: UUID().uuidString.lowercased(),
            name: "tools",
            displayText: "tools",
            format: "ISO",
            hypervisor: "None",
            osTypeName: "Other (64-bit)",
            url: "http://example.com/tools.iso",
            isPublic: false,
            isFeatured: false,
            accountId: try #require(try await cloud.server.core.store.user(apiKey: cloud.admin.apikey)).accountId,
            zoneId: zone["id"]?.stringValue ?? "",
            status: "Download Complete",
            isReady: true,
            size: 1 << 29,
            created: WallClock.system.now
        )
        try await cloud.server.core.store.insert(iso)
        let isoId = iso.id
        let offering = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Small Instance"])
        let (bootStatus, boot) = await cloud.call(
            "deployVirtualMachine",
            [
                "zoneid": zone["id"]?.stringValue ?? "", "templateid": isoId,
                "serviceofferingid": offering["id"]?.stringValue ?? "",
            ]
        )
        #expect(bootStatus == 431)
        #expect(
            boot["errortext"]?.stringValue
                == "Installing from ISO requires a disk offering to be specified for the root disk."
        )
        #expect(await cloud.call("listIsos", ["isofilter": "self"]).body.items.count == 1)
        #expect(
            await cloud.call("listTemplates", ["templatefilter": "self"]).body.items.allSatisfy {
                $0["id"]?.stringValue != isoId
            }
        )
        let attached = try await cloud.callAndWait("attachIso", ["id": isoId, "virtualmachineid": vmId])
        #expect(attached["jobresult"]?["virtualmachine"]?["isoid"]?.stringValue == isoId, "\(attached.json)")
        #expect(attached["jobresult"]?["virtualmachine"]?["isoname"]?.stringValue == "tools")
        let (againStatus, again) = await cloud.call("attachIso", ["id": isoId, "virtualmachineid": vmId])
        #expect(againStatus == 431)
        #expect(
            again["errortext"]?.stringValue
                == "An ISO is already attached to the VM, please detach the current ISO before attaching another one"
        )
        let (inUse, _) = await cloud.call("deleteIso", ["id": isoId])
        #expect(inUse == 536)
        let detached = try await cloud.callAndWait("detachIso", ["virtualmachineid": vmId])
        #expect(detached["jobresult"]?["virtualmachine"]?["isoid"] == nil)
        let deleted = try await cloud.callAndWait("deleteIso", ["id": isoId])
        #expect(deleted["jobresult"]?["success"] == .bool(true))
    }
}
