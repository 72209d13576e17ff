import Agent
import Foundation
import QEMU
import Testing

@testable import QEMUAgent

/// Starts and deletions the agent refuses, each leaving nothing behind (no guest boots).
struct QEMUHostAgentRefusalTests {
    let host = AgentHarness.hostId

    @Test func aCorruptTemplateFailsWithQemuImgsMessageAndLeavesNothing() async throws {
        try await AgentHarness.with { harness, agent in
            let template = harness.directory + "/corrupt.qcow2"
            try Data("not an image".utf8).write(to: URL(fileURLWithPath: template))
            let vm = AgentHarness.vm("broken")
            let spec = harness.spec(vm, template: template)
            let answer = try await harness.send(.start, AgentCommandBody(hostId: host, vm: vm, spec: spec), to: agent)
            #expect(!answer.result)
            #expect(answer.details.contains("qemu-img") && answer.details.contains("qcow2"), "\(answer.details)")
            #expect(answer.insufficientCapacity == nil)
            try Self.expectNothingLeft(harness, vm)
        }
    }

    @Test func aQemuThatFailsToStartAnswersItsMessageAndLeavesNoOverlay() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        try await AgentHarness.with { harness, agent in
            let vm = AgentHarness.vm("no-iso")
            var spec = harness.spec(vm, template: template)
            spec.iso = harness.directory + "/missing.iso"
            let answer = try await harness.send(.start, AgentCommandBody(hostId: host, vm: vm, spec: spec), to: agent)
            #expect(!answer.result)
            #expect(answer.details.hasPrefix("qemu-system-x86_64: -drive file=\(spec.iso ?? "")"), "\(answer.details)")
            #expect(answer.details.hasSuffix("No such file or directory"))
            try Self.expectNothingLeft(harness, vm)
        }
    }

    @Test func aVmLargerThanTheAvailableMemoryIsRefusedBeforeAnything() async throws {
        try await AgentHarness.with { harness, agent in
            let meminfo = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
            let available = try #require(ProcFiles.memory(meminfo: meminfo)).available
            var vm = AgentHarness.vm("huge")
            vm.memory = Int(available >> 20) + 1024
            let spec = harness.spec(vm, template: "/nonexistent/template.qcow2")
            let answer = try await harness.send(.start, AgentCommandBody(hostId: host, vm: vm, spec: spec), to: agent)
            #expect(!answer.result)
            #expect(answer.insufficientCapacity == true)
            #expect(answer.details.contains("cannot fit VM huge"), "\(answer.details)")
            try Self.expectNothingLeft(harness, vm)
        }
    }

    @Test func pathsOutsidePrimaryStorageAreRefused() async throws {
        try await AgentHarness.with { harness, agent in
            let outside = harness.directory + "/outside.qcow2"
            try Data("keep".utf8).write(to: URL(fileURLWithPath: outside))
            let vm = AgentHarness.vm("escape")
            var spec = harness.spec(vm, template: "/nonexistent/template.qcow2")
            spec.disks[0].path = "../outside.qcow2"
            let start = try await harness.send(.start, AgentCommandBody(hostId: host, vm: vm, spec: spec), to: agent)
            #expect(!start.result && start.details.contains("Invalid disk path ../outside.qcow2"))
            var badId = vm
            badId.id = "../vms"
            let badVm = try await harness.send(.start, AgentCommandBody(hostId: host, vm: badId, spec: spec), to: agent)
            #expect(!badVm.result && badVm.details.contains("Invalid VM id"))
            for path in ["../outside.qcow2", "/etc/hostname", "..", "a/b"] {
                let disk = AgentDisk(volumeId: "v", type: "DATADISK", deviceId: 1, path: path, sizeBytes: 0)
                let destroy = try await harness.send(
                    .destroyVolumes,
                    AgentCommandBody(hostId: host, disks: [disk]),
                    to: agent
                )
                #expect(!destroy.result && destroy.details.contains("Invalid disk path"), "\(path)")
            }
            #expect(FileManager.default.fileExists(atPath: outside))
            #expect(FileManager.default.fileExists(atPath: "/etc/hostname"))
        }
    }

    @Test func aFilteredNicWithoutAnAddressIsRefusedAndLeavesNoTap() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        try await AgentHarness.with { harness, agent in
            let vm = AgentHarness.vm("unfilterable")
            var spec = harness.spec(vm, template: template)
            let network = UUID().uuidString
            spec.nics = [
                AgentNic(
                    id: "nic-1",
                    deviceId: 0,
                    mac: "02:00:4c:1a:00:02",
                    ipAddress: "",
                    netmask: "",
                    gateway: "",
                    networkId: network,
                    isDefault: true,
                    firewall: AgentNicFirewall(ingress: [], egress: [])
                )
            ]
            let answer = try await harness.send(.start, AgentCommandBody(hostId: host, vm: vm, spec: spec), to: agent)
            #expect(!answer.result && answer.details.contains("cannot be filtered"), "\(answer.details)")
            try Self.expectNothingLeft(harness, vm)
            let tap = HostNetwork.tapName(vm: vm.id, deviceId: 0)
            #expect(!FileManager.default.fileExists(atPath: "/sys/class/net/\(tap)"))
            #expect(
                !FileManager.default.fileExists(atPath: "/sys/class/net/\(HostNetwork.bridgeName(network: network))")
            )
            // Nothing reached nftables: the agent's tables were never made.
            let tables = try await HostTool.run("nft", ["list", "tables"])
            #expect(!String(decoding: tables, as: UTF8.self).contains("zoostack_"))
            var body = AgentCommandBody(hostId: host, vm: vm)
            body.nics = spec.nics
            let rules = try await harness.send(.securityGroupRules, body, to: agent)
            #expect(!rules.result && rules.details.contains("is not running"), "\(rules.details)")
        }
    }

    @Test func unknownVmsAndOtherHostsGetTheProtocolsAnswers() async throws {
        try await AgentHarness.with { harness, agent in
            let vm = AgentHarness.vm("ghost")
            let stop = try await harness.send(.stop, AgentCommandBody(hostId: host, vm: vm), to: agent)
            #expect(stop.result && stop.details.contains("is not running"))
            let other = try await harness.send(.getVmStates, AgentCommandBody(hostId: "other"), to: agent)
            #expect(!other.result && other.details == SimulatorAgent.notServed("other"))
            let console = try await harness.send(.getConsoleOutput, AgentCommandBody(hostId: host, vm: vm), to: agent)
            #expect(!console.result)
        }
    }

    private static func expectNothingLeft(_ harness: AgentHarness, _ vm: AgentVm) throws {
        // The pool holds the hosts' heartbeats (`.zoostack-hb`) besides disks.
        let disks = try FileManager.default.contentsOfDirectory(atPath: harness.configuration.primaryStorage)
            .filter { !$0.hasPrefix(".") }
        #expect(disks.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: harness.configuration.runDirectory(vm.id)))
        #expect(AgentHarness.processes(mentioning: harness.directory).isEmpty)
    }
}
