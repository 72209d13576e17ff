import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Foundation
import Testing

/// deployVirtualMachine from an ISO (a blank root disk of a disk offering, the ISO attached) and listVolumes'
/// `hypervisor` (the VM's host's, else its pool's, `None` for an Allocated data disk).
struct IsoDeployAndVolumeHypervisorTests {
    static let gib = 1 << 30

    /// A ready ISO row (the simulated download runs on a timer).
    static func readyIso(_ cloud: TestCloud, zoneId: String) async throws -> String {
        let iso = Template(
            id: UUID().uuidString.lowercased(),
            name: "installer",
            displayText: "installer",
            format: "ISO",
            hypervisor: "None",
            osTypeName: "Other (64-bit)",
            url: "http://example.com/installer.iso",
            isPublic: true,
            isFeatured: false,
            accountId: try #require(try await cloud.server.core.store.user(apiKey: cloud.admin.apikey)).accountId,
            zoneId: zoneId,
            status: "Download Complete",
            isReady: true,
            size: 1 << 29,
            created: WallClock.system.now
        )
        try await cloud.server.core.store.insert(iso)
        return iso.id
    }

    @Test func anISODeploysOntoABlankRootDiskOfItsDiskOffering() async throws {
        let cloud = try await TestCloud.make()
        let zoneId = try #require(try await cloud.first("listZones", "zone")["id"]?.stringValue)
        let isoId = try await Self.readyIso(cloud, zoneId: zoneId)
        let offering = try await cloud.first("listServiceOfferings", "serviceoffering", ["name": "Small Instance"])
        let disk = try await cloud.first("listDiskOfferings", "diskoffering", ["name": "Small"])
        let diskId = try #require(disk["id"]?.stringValue)
        let base = [
            "zoneid": zoneId, "templateid": isoId, "serviceofferingid": offering["id"]?.stringValue ?? "",
        ]
        let (unknownStatus, unknown) = await cloud.call(
            "deployVirtualMachine",
            base.merging(["diskofferingid": UUID().uuidString.lowercased()]) { $1 }
        )
        #expect(unknownStatus == 431, "\(unknown.json)")
        let (_, custom) = await cloud.call("createDiskOffering", ["name": "any-size", "customized": "true"])
        let customId = try #require(custom["diskoffering"]?["id"]?.stringValue)
        let (sizeless, sizelessBody) = await cloud.call(
            "deployVirtualMachine",
            base.merging(["diskofferingid": customId]) { $1 }
        )
        #expect(sizeless == 431)
        #expect(sizelessBody["errortext"]?.stringValue == "This disk offering requires a custom size specified")

        let job = try await cloud.callAndWait("deployVirtualMachine", base.merging(["diskofferingid": diskId]) { $1 })
        let vm = try #require(job["jobresult"]?["virtualmachine"], "\(job.json)")
        let vmId = try #require(vm["id"]?.stringValue)
        #expect(vm["state"]?.stringValue == "Running")
        #expect(vm["templateid"]?.stringValue == isoId)
        #expect(vm["isoid"]?.stringValue == isoId, "a VM deployed from an ISO has it attached")
        #expect(vm["hypervisor"]?.stringValue == "Simulator", "its host's, not the ISO's None")
        let root = try #require(await cloud.call("listVolumes", ["virtualmachineid": vmId]).body.items.first)
        #expect(root["type"]?.stringValue == "ROOT")
        #expect(root["size"]?.int == 5 * Self.gib, "the disk offering's size, not the ISO's")
        #expect(root["diskofferingid"]?.stringValue == diskId)

        let sized = try await cloud.callAndWait(
            "deployVirtualMachine",
            base.merging(["diskofferingid": customId, "size": "3", "name": "sized"]) { $1 }
        )
        let sizedId = try #require(sized["jobresult"]?["virtualmachine"]?["id"]?.stringValue, "\(sized.json)")
        let sizedRoot = await cloud.call("listVolumes", ["virtualmachineid": sizedId]).body.items.first
        #expect(sizedRoot?["size"]?.int == 3 * Self.gib)

        let detached = try await cloud.callAndWait("detachIso", ["virtualmachineid": vmId])
        #expect(detached["jobresult"]?["virtualmachine"]?["isoid"] == nil)
        _ = try await cloud.callAndWait("stopVirtualMachine", ["id": vmId])
        let stopped = await cloud.call("listVirtualMachines", ["id": vmId]).body.items.first
        #expect(stopped?["hypervisor"]?.stringValue == "Simulator", "stopped, its root volume's pool's")
        let (again, againBody) = await cloud.call("detachIso", ["virtualmachineid": vmId])
        #expect(again == 431)
        #expect(againBody["errortext"]?.stringValue == "The specified VM has no ISO attached to it.")
    }

    @Test(arguments: [
        (vmHost: "KVM" as String?, pool: "Simulator" as String?, attached: true, allocated: false, expected: "KVM"),
        (vmHost: nil, pool: "KVM", attached: true, allocated: false, expected: "KVM"),
        (vmHost: nil, pool: "KVM", attached: false, allocated: false, expected: "KVM"),
        (vmHost: nil, pool: "KVM", attached: false, allocated: true, expected: "None"),
        (vmHost: nil, pool: nil, attached: false, allocated: false, expected: "None"),
    ])
    func aVolumesHypervisorIsItsVMHostsElseItsPools(
        _ row: (vmHost: String?, pool: String?, attached: Bool, allocated: Bool, expected: String)
    ) {
        let volume = Volume(
            id: "v",
            name: "v",
            vmId: row.attached ? "vm" : nil,
            zoneId: "z",
            type: "DATADISK",
            size: Self.gib,
            state: row.allocated ? "Allocated" : "Ready",
            created: 0
        )
        #expect(VolumeOperations.hypervisor(of: volume, vmHost: row.vmHost, pool: row.pool) == row.expected)
    }

    @Test func listVolumesNamesTheHypervisorOfTheHostOrPool() async throws {
        let cloud = try await TestCloud.make()
        let store = cloud.server.core.store
        let vmId = try #require(try await cloud.deploy()["jobresult"]?["virtualmachine"]?["id"]?.stringValue)
        let data = try await VolumeCommandTests.createVolume(cloud, name: "data")
        #expect(data["hypervisor"]?.stringValue == "None", "an Allocated data disk is on no hypervisor yet")
        func hypervisors() async -> [String: String] {
            let volumes = await cloud.call("listVolumes", ["listall": "true"]).body.items
            return Dictionary(
                volumes.map { ($0["type"]?.stringValue ?? "", $0["hypervisor"]?.stringValue ?? "") }
            ) { first, _ in first }
        }
        #expect(await hypervisors() == ["ROOT": "Simulator", "DATADISK": "None"])

        // The VM's host turns KVM: its root volume follows the host, not the cluster seeded as Simulator.
        let vm = try #require(try await store.get(VirtualMachine.self, id: vmId))
        let hostId = try #require(vm.hostId)
        var host = try #require(try await store.get(CloudModel.Host.self, id: hostId))
        host.hypervisor = "KVM"
        try await store.replace(host, id: host.id)
        #expect(await hypervisors()["ROOT"] == "KVM")

        // Stopped, the VM has no host: the pool's cluster, whose hosts are not all KVM, answers Simulator until they
        // all are.
        let stopped = try await cloud.callAndWait("stopVirtualMachine", ["id": vmId])
        #expect(stopped["jobresult"]?["virtualmachine"]?["state"]?.stringValue == "Stopped")
        #expect(await hypervisors()["ROOT"] == "Simulator")
        for var other in try await store.list(CloudModel.Host.self).items where other.clusterId == host.clusterId {
            other.hypervisor = "KVM"
            try await store.replace(other, id: other.id)
        }
        #expect(await hypervisors() == ["ROOT": "KVM", "DATADISK": "None"])
    }
}
