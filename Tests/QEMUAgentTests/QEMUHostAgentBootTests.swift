import Agent
import Foundation
import QEMU
import Testing

@testable import QEMUAgent

#if canImport(Glibc)
import Glibc
#endif

/// Real guests (the tiny image, TCG, 1 vCPU, 160 MiB) started through the agent protocol: one boot at a time.
@Suite(.serialized)
struct QEMUHostAgentBootTests {
    let host = AgentHarness.hostId

    @Test func startRunsUserDataKeysNicAndDataDiskThenStopAndDestroy() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        try await AgentHarness.with { harness, agent in
            let vm = AgentHarness.vm("web-1")
            var spec = harness.spec(
                vm,
                template: template,
                userData: "#!/bin/sh\necho \"user-data-marker $(hostname)\"\n"
            )
            spec.publicKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAgentKey+x web-key"]
            spec.disks.append(
                AgentDisk(
                    volumeId: "data",
                    type: "DATADISK",
                    deviceId: 1,
                    path: "data-\(vm.id).qcow2",
                    sizeBytes: 32 << 20
                )
            )
            let network = UUID().uuidString
            spec.nics = [
                AgentNic(
                    id: "nic-1",
                    deviceId: 0,
                    mac: "02:00:4c:1a:00:01",
                    ipAddress: "198.18.20.7",
                    netmask: "255.255.255.0",
                    gateway: "198.18.20.1",
                    networkId: network,
                    isDefault: true
                )
            ]
            let start = try await harness.send(.start, AgentCommandBody(hostId: host, vm: vm, spec: spec), to: agent)
            #expect(start.result, "\(start.details)")
            let tap = HostNetwork.tapName(vm: vm.id, deviceId: 0)
            let bridge = HostNetwork.bridgeName(network: network)
            #expect(AgentHarness.interfaceExists(tap) && AgentHarness.interfaceExists(bridge))
            let again = try await harness.send(.start, AgentCommandBody(hostId: host, vm: vm, spec: spec), to: agent)
            #expect(again.result && again.details.contains("already running"))

            let console = try await harness.waitForConsole(
                vm,
                containing: ["zoostack-guest ready web-1", "disks=vda,vdb,vdc"],
                on: agent
            )
            #expect(console.contains("user-data-marker web-1"))
            #expect(
                console.contains("zoostack-guest public-key ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAgentKey+x web-key")
            )
            #expect(console.contains("zoostack-guest nic eth0 198.18.20.7/24"))
            let tail = try await harness.send(
                .getConsoleOutput,
                AgentCommandBody(hostId: host, vm: vm, lines: 2),
                to: agent
            )
            #expect(tail.output?.split(separator: "\n").count == 2)

            let states = try await harness.send(.getVmStates, AgentCommandBody(hostId: host), to: agent)
            #expect(states.vms?.map(\.state) == ["Running"])
            let stats = try await harness.send(.getVmStats, AgentCommandBody(hostId: host), to: agent)
            let entry = try #require(stats.vmStats?[vm.id])
            #expect(entry.memoryKBs == 160 * 1024)
            #expect(entry.diskKBsRead > 0 && entry.diskIORead > 0)
            #expect(entry.cpuUsedPercent > 0)
            let hostStats = try await harness.send(.getHostStats, AgentCommandBody(hostId: host), to: agent)
            #expect((hostStats.hostStats?.memoryTotalBytes ?? 0) > 0)

            let pid = try #require(harness.pid(vm.id))
            let stop = try await harness.send(.stop, AgentCommandBody(hostId: host, vm: vm), to: agent)
            #expect(stop.result && stop.details.contains("powered off"), "\(stop.details)")
            #expect(AgentHarness.processes(mentioning: harness.directory).isEmpty)
            // Gone, or a zombie nobody reaps (daemonized QEMUs are not the agent's children).
            #expect(!AgentHarness.processes(mentioning: harness.directory).contains(pid))
            #expect(!FileManager.default.fileExists(atPath: harness.configuration.runDirectory(vm.id)))
            #expect(!AgentHarness.interfaceExists(tap) && !AgentHarness.interfaceExists(bridge))
            let states2 = try await harness.send(.getVmStates, AgentCommandBody(hostId: host), to: agent)
            #expect(states2.vms == [])

            let files = spec.disks.map { harness.configuration.diskPath($0.path) }
            #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) })
            let destroy = try await harness.send(
                .destroyVolumes,
                AgentCommandBody(hostId: host, disks: spec.disks),
                to: agent
            )
            #expect(destroy.result, "\(destroy.details)")
            #expect(files.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        }
    }

    @Test func guestPoweroffAndSigkillAreReportedStoppedUntilStopped() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        try await AgentHarness.with { harness, agent in
            let quitter = AgentHarness.vm("quitter")
            let spec = harness.spec(quitter, template: template, userData: "#!/bin/sh\n(sleep 1; poweroff -f) &\n")
            let start = try await harness.send(
                .start,
                AgentCommandBody(hostId: host, vm: quitter, spec: spec),
                to: agent
            )
            #expect(start.result, "\(start.details)")
            #expect(try await harness.waitForState(quitter.id, "Stopped", on: agent, timeout: .seconds(60)))
            // Reported again until a command for it.
            #expect(try await harness.waitForState(quitter.id, "Stopped", on: agent, timeout: .seconds(1)))
            let stop = try await harness.send(.stop, AgentCommandBody(hostId: host, vm: quitter), to: agent)
            #expect(stop.result && stop.details.contains("already stopped"))
            #expect(try await harness.waitForState(quitter.id, nil, on: agent, timeout: .seconds(1)))

            let victim = AgentHarness.vm("victim")
            let victimSpec = harness.spec(victim, template: template)
            let body = AgentCommandBody(hostId: host, vm: victim, spec: victimSpec)
            #expect(try await harness.send(.start, body, to: agent).result)
            #expect(try await harness.waitForState(victim.id, "Running", on: agent, timeout: .seconds(1)))
            let pid = try #require(harness.pid(victim.id))
            kill(pid, SIGKILL)
            #expect(try await harness.waitForState(victim.id, "Stopped", on: agent, timeout: .seconds(5)))
            // A start of a VM that died starts it afresh.
            let restart = try await harness.send(.start, body, to: agent)
            #expect(restart.result, "\(restart.details)")
            #expect(harness.pid(victim.id) != pid)
            let forced = try await harness.send(
                .stop,
                AgentCommandBody(hostId: host, vm: victim, forced: true),
                to: agent
            )
            #expect(forced.result && forced.details.contains("was quit"))
            #expect(AgentHarness.processes(mentioning: harness.directory).isEmpty)
        }
    }

    @Test func aRestartedAgentAdoptsTheVmsLeftRunning() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        try await AgentHarness.with { harness, first in
            let vm = AgentHarness.vm("survivor")
            let body = AgentCommandBody(hostId: host, vm: vm, spec: harness.spec(vm, template: template))
            #expect(try await harness.send(.start, body, to: first).result)
            _ = try await harness.waitForConsole(vm, containing: ["zoostack-guest ready survivor"], on: first)
            let pid = try #require(harness.pid(vm.id))
            await first.shutdown()
            #expect(AgentHarness.processes(mentioning: harness.directory) == [pid])

            let second = harness.makeAgent()
            try await second.start()
            #expect(second.knownVms.map(\.state) == ["Running"])
            let states = try await harness.send(.getVmStates, AgentCommandBody(hostId: host), to: second)
            #expect(states.vms?.map(\.id) == [vm.id])
            _ = try await harness.waitForConsole(vm, containing: ["uptime="], on: second)
            // Reboot: the ACPI button, then a reset once the guest has shut down; the guest boots again.
            let reboot = try await harness.send(.reboot, AgentCommandBody(hostId: host, vm: vm), to: second)
            #expect(reboot.result, "\(reboot.details)")
            _ = try await harness.waitForConsole(vm, on: second) { console in
                console.components(separatedBy: "zoostack-guest powering off").last?
                    .contains("zoostack-guest ready survivor") == true
            }
            #expect(harness.pid(vm.id) == pid)
            let stop = try await harness.send(.stop, AgentCommandBody(hostId: host, vm: vm), to: second)
            #expect(stop.result, "\(stop.details)")
            #expect(AgentHarness.processes(mentioning: harness.directory).isEmpty)
            await second.shutdown()
        }
    }
}
