import CloudAPI
import CloudCore
import CloudModel
import CloudStore
import Coordination
import Foundation
import Orchestrator
import Testing

@testable import Agent
@testable import HostManagement

/// The power-state sync of real hosts (CloudStack's VM report on ping), over a simulator agent that registers as a
/// `KVM` host: a VM its agent no longer runs turns Stopped (an event and a sync alert), and an HA-enabled one is
/// restarted. Also the spec a real host's StartCommand carries.
@Suite("Power-state sync of real hosts")
struct PowerStateSyncTests {
    /// A cloud with one KVM host served by a simulator agent, a KVM template ready in a `file://` image store.
    struct RealHostCloud {
        let cloud: AgentCloud
        let agent: SimulatorAgent
        let registration: HostRegistration
        let templateId: String
        let zoneId: String
        let offeringId: String
        let imageDirectory: String

        static func make() async throws -> RealHostCloud {
            let cloud = try await AgentCloud.make()
            let agent = SimulatorAgent(hostIds: ["kvm-1"], secret: TestSecrets.agent)
            let port = try await agent.start()
            let registration = try await HostRegistration.connect(
                connectString: cloud.connectString,
                rootPath: cloud.root,
                sessionTimeout: .seconds(6),
                credentials: TestSecrets.credentials,
                host: HostInfo(
                    id: "kvm-1",
                    name: "real-host",
                    address: "127.0.0.1:\(port)",
                    cpuCores: 8,
                    cpuSpeedMHz: 2000,
                    memoryBytes: 16 << 30,
                    hypervisor: "KVM",
                    version: "test",
                    accelerator: "tcg"
                )
            )
            let store = cloud.server.core.store
            try await eventually("the KVM host adopted") {
                try await store.get(Host.self, id: "kvm-1")?.accelerator == "tcg"
            }
            let zoneId = try await cloud.firstId("listZones")
            let offeringId = try await cloud.firstId("listServiceOfferings")
            let directory = "/tmp/zoostack-images-\(UUID().uuidString.lowercased())"
            try await store.insert(
                ImageStore(
                    id: UUID().uuidString.lowercased(),
                    name: "images",
                    zoneId: zoneId,
                    url: ImageStoreLayout.url(directory: directory),
                    capacity: 1 << 40,
                    created: 0
                )
            )
            let templateId = UUID().uuidString.lowercased()
            let admin = try #require(try await store.list(Account.self).items.first { $0.name == "admin" })
            try await store.insert(
                Template(
                    id: templateId,
                    name: "tiny",
                    displayText: "tiny",
                    format: "QCOW2",
                    hypervisor: "KVM",
                    osTypeName: "Other Linux (64-bit)",
                    url: "http://127.0.0.1/tiny.qcow2",
                    isPublic: true,
                    isFeatured: true,
                    accountId: admin.id,
                    zoneId: zoneId,
                    status: "Download Complete",
                    isReady: true,
                    size: 1 << 30,
                    created: 0
                )
            )
            return RealHostCloud(
                cloud: cloud,
                agent: agent,
                registration: registration,
                templateId: templateId,
                zoneId: zoneId,
                offeringId: offeringId,
                imageDirectory: directory
            )
        }

        func deploy(_ name: String, _ extra: [String: String] = [:]) async throws -> String {
            var parameters = [
                "zoneid": self.zoneId, "templateid": self.templateId, "serviceofferingid": self.offeringId,
                "name": name,
            ]
            parameters.merge(extra) { $1 }
            let result = try await self.cloud.callAndWait("deployVirtualMachine", parameters)
            return try #require(result["virtualmachine"]?["id"]?.stringValue)
        }

        /// The guest powers itself off: the agent no longer runs the VM (as a real agent reports Stopped).
        func powerOff(_ vmId: String) async throws {
            let vm = try #require(try await self.cloud.server.core.store.get(VirtualMachine.self, id: vmId))
            try await self.cloud.driver.stop(vm, forced: true)
        }

        func stop() async {
            await self.registration.deregister()
            await self.agent.shutdown()
            await self.cloud.stop()
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aVMItsHostNoLongerRunsTurnsStoppedAndAnHAVMRestarts() async throws {
        let real = try await RealHostCloud.make()
        let store = real.cloud.server.core.store
        let plain = try await real.deploy("plain")
        let ha = try await real.deploy("ha")
        let kept = try await real.deploy("kept")
        try await store.setDetails(of: ha, [HostHAService.haEnableDetail: "true"])
        #expect(Set(real.agent.vms(onHost: "kvm-1").map(\.id)) == [plain, ha, kept])

        let sync = PowerStateSync(
            adoption: real.cloud.adoption,
            driver: real.cloud.driver,
            managementServer: real.cloud.server.core
        )
        #expect(await sync.syncOnce().isEmpty)  // nothing changed: nothing done

        try await real.powerOff(plain)
        try await real.powerOff(ha)
        let outcomes = await sync.syncOnce()
        #expect(outcomes[plain] == .stopped)
        #expect(outcomes[ha] == .restarted(hostId: "kvm-1"))
        #expect(outcomes[kept] == nil)
        #expect(try await store.get(VirtualMachine.self, id: plain)?.state == .stopped)
        #expect(try await store.get(VirtualMachine.self, id: plain)?.hostId == nil)
        #expect(try await store.get(VirtualMachine.self, id: ha)?.state == .running)
        #expect(try await store.get(VirtualMachine.self, id: kept)?.state == .running)
        #expect(Set(real.agent.vms(onHost: "kvm-1").map(\.id)) == [ha, kept])

        let (_, events) = await real.cloud.call("listEvents", ["type": "VM.STOP", "listall": "true"])
        #expect(events["event"]?.arrayValue?.count == 2, "\(events.json)")
        let (_, restarts) = await real.cloud.call("listEvents", ["type": "HA.VM.RESTART", "listall": "true"])
        #expect(restarts["event"]?.arrayValue?.count == 1, "\(restarts.json)")
        let (_, alerts) = await real.cloud.call("listAlerts", ["type": "27"])
        #expect(alerts["alert"]?.arrayValue?.count == 2, "\(alerts.json)")
        // The counters the agent reports show in listVirtualMachines (the simulator reports the memory only).
        try await sync.collectStats(hostId: "kvm-1")
        let (_, listed) = await real.cloud.call("listVirtualMachines", ["id": kept])
        let shown = try #require(listed["virtualmachine"]?.arrayValue?.first)
        let offering = try #require(try await store.get(ServiceOffering.self, id: real.offeringId))
        #expect(shown["memorykbs"]?.int == offering.memory * 1024, "\(shown.json)")
        #expect(shown["cpuused"]?.stringValue == "0.0%", "\(shown.json)")
        #expect(shown["hypervisor"]?.stringValue == "KVM", "\(shown.json)")
        // The released capacity: only the two running VMs hold the host.
        let host = try #require(try await store.get(Host.self, id: "kvm-1"))
        #expect(host.memUsed == 2 * offering.memory * 1024 * 1024)
        await real.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func aRealHostsStartCarriesDisksNicsKeysAndUserData() async throws {
        let real = try await RealHostCloud.make()
        let store = real.cloud.server.core.store
        let (status, registered) = await real.cloud.call(
            "registerSSHKeyPair",
            ["name": "k1", "publickey": Self.publicKey]
        )
        #expect(status == 200, "\(registered.json)")
        let userData = Data("#!/bin/sh\necho hello\n".utf8).base64EncodedString()
        let id = try await real.deploy("specced", ["keypair": "k1", "userdata": userData])
        let vm = try #require(try await store.get(VirtualMachine.self, id: id))
        let spec = try await VirtualMachineSpecs(store: store).spec(for: vm)
        #expect(spec.hostName == "specced")
        #expect(spec.userData == userData)
        #expect(spec.publicKeys.count == 1)
        #expect(spec.publicKeys.first.map { Self.publicKey.hasPrefix($0) } == true, "\(spec.publicKeys)")
        let root = try #require(spec.disks.first)
        #expect(root.type == "ROOT")
        #expect(root.template == "\(real.imageDirectory)/template/\(real.templateId).qcow2")
        #expect(root.templateFormat == "qcow2")
        // CloudStack's volume path, a file name on the pool.
        #expect(!root.path.isEmpty && !root.path.contains("/"))
        #expect(try await store.get(Volume.self, id: root.volumeId)?.path == root.path)
        #expect(spec.nics.count == 1)
        #expect(spec.nics.first?.isDefault == true)
        #expect(spec.nics.first?.mac.hasPrefix("02:") == true)
        #expect(spec.bootFromISO == false)

        // The simulator's VMs have no console; the command names the reason (534) and checks its parameters.
        let (consoleStatus, console) = await real.cloud.call("getVirtualMachineConsoleOutput", ["id": id])
        #expect(consoleStatus == 534, "\(console.json)")
        #expect(console["errortext"]?.stringValue?.contains("no console") == true, "\(console.json)")
        let (badStatus, bad) = await real.cloud.call("getVirtualMachineConsoleOutput", ["id": id, "lines": "0"])
        #expect(badStatus == 431, "\(bad.json)")
        await real.stop()
    }

    static let publicKey =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDpsq2hvk6uESq5c0NtwVJ3dqIZ8v4Gn7DaHtCp1Ksd1 test@zoostack"
}
