import Agent
import Foundation
import Testing

@testable import QEMUAgent

/// `ScaleVmCommand` on real QEMU: a guest started with room to grow gets a vCPU and a DIMM while it runs and sees
/// them; a scale beyond the room, a scale down and a scale of a VM started without room are refused with the VM
/// running on at its size.
struct QEMUHostAgentScaleTests {
    let host = AgentHarness.hostId

    /// User data that onlines hot-added CPUs and memory (a distribution's udev rules do it) and prints
    /// `zoostack-guest cpus=N memtotal=KB` once a second.
    static let sizes = #"""
        #!/bin/sh
        (
        while :; do
            for f in /sys/devices/system/cpu/cpu*/online; do
                [ "$(cat $f)" = 0 ] && echo 1 >$f 2>/dev/null
            done
            for f in /sys/devices/system/memory/memory*/state; do
                [ "$(cat $f)" = offline ] && echo online >$f 2>/dev/null
            done
            kb=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)
            echo "zoostack-guest cpus=$(grep -c ^processor /proc/cpuinfo) memtotal=$kb"
            sleep 1
        done
        ) &

        """#

    /// The last `(cpus, memtotal)` the guest printed.
    static func lastSize(_ console: String) -> (cpus: Int, kilobytes: Int)? {
        let line = console.split(separator: "\n").last { $0.hasPrefix("zoostack-guest cpus=") }
        let fields = line?.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").dropFirst()
            .map { $0.split(separator: "=") }
        guard let fields, fields.count == 2, let cpus = Int(fields[0].last ?? ""),
            let kilobytes = Int(fields[1].last ?? "")
        else { return nil }
        return (cpus, kilobytes)
    }

    /// A guest of 1 vCPU and 128 MiB started with room for 2 and 256 MiB (``sizes`` as its user data), then scaled
    /// live to 2 vCPUs and 256 MiB, once the guest has seen both.
    struct Grown {
        var vm: AgentVm
        var spec: AgentVmSpec
        /// The VM at its new size.
        var bigger: AgentVm
        /// What the guest reported before the scale.
        var before: (cpus: Int, kilobytes: Int)
        /// Its QEMU's pid.
        var pid: Int32
    }

    /// Starts ``Grown``'s guest on `agent`, waits for its first report, scales it and waits until the guest sees
    /// the new vCPU and the added memory.
    static func startAndGrow(
        _ name: String,
        template: String,
        harness: AgentHarness,
        agent: QEMUHostAgent
    ) async throws -> Grown {
        var vm = AgentHarness.vm(name)
        vm.memory = 128
        var spec = harness.spec(vm, template: template, userData: Self.sizes)
        spec.maxCpus = 2
        spec.maxMemory = 256
        let host = AgentHarness.hostId
        let start = try await harness.send(.start, AgentCommandBody(hostId: host, vm: vm, spec: spec), to: agent)
        try #require(start.result, "\(start.details)")
        let booted = try await harness.waitForConsole(vm, on: agent, timeout: .seconds(120)) {
            Self.lastSize($0) != nil
        }
        let before = try #require(Self.lastSize(booted))
        let pid = try #require(harness.pid(vm.id))
        var bigger = vm
        bigger.cpuNumber = 2
        bigger.memory = 256
        let scaled = try await harness.send(.scale, AgentCommandBody(hostId: host, vm: bigger), to: agent)
        try #require(scaled.result, "\(scaled.details)")
        _ = try await harness.waitForConsole(vm, on: agent, timeout: .seconds(60)) { console in
            guard let size = Self.lastSize(console) else { return false }
            return size.cpus == 2 && size.kilobytes >= before.kilobytes + 120 * 1024
        }
        return Grown(vm: vm, spec: spec, bigger: bigger, before: before, pid: pid)
    }

    @Test(.timeLimit(.minutes(3)))
    func aGuestWithRoomGetsAVCPUAndADIMMAndSeesThem() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        try await AgentHarness.with { harness, agent in
            let grown = try await Self.startAndGrow("grower", template: template, harness: harness, agent: agent)
            let (vm, bigger) = (grown.vm, grown.bigger)
            #expect(grown.before.cpus == 1)
            let pid = grown.pid
            #expect(agent.knownVms.map { [$0.cpuNumber, $0.memory] } == [[2, 256]])

            // Beyond the room, and down: refused, the VM runs on at its size in the same QEMU.
            var huge = bigger
            huge.cpuNumber = 3
            let beyond = try await harness.send(.scale, AgentCommandBody(hostId: host, vm: huge), to: agent)
            #expect(!beyond.result && beyond.details.contains("at most 2 vCPUs"), "\(beyond.details)")
            huge = bigger
            huge.memory = 384
            let tooMuch = try await harness.send(.scale, AgentCommandBody(hostId: host, vm: huge), to: agent)
            #expect(!tooMuch.result && tooMuch.details.contains("at most 256 MiB"), "\(tooMuch.details)")
            let down = try await harness.send(.scale, AgentCommandBody(hostId: host, vm: vm), to: agent)
            #expect(!down.result && down.details.contains("only grows"), "\(down.details)")
            #expect(agent.knownVms.map { [$0.cpuNumber, $0.memory] } == [[2, 256]])
            #expect(agent.knownVms.map(\.state) == ["Running"] && harness.pid(vm.id) == pid)
            let text = try await harness.waitForConsole(vm, on: agent, timeout: .seconds(30)) { _ in true }
            #expect(text.components(separatedBy: "zoostack-guest ready").count == 2, "the guest rebooted:\n\(text)")
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aGuestStartedWithoutRoomIsNotScaled() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        try await AgentHarness.with { harness, agent in
            var vm = AgentHarness.vm("fixed")
            vm.memory = 128
            let spec = harness.spec(vm, template: template)
            let start = try await harness.send(.start, AgentCommandBody(hostId: host, vm: vm, spec: spec), to: agent)
            try #require(start.result, "\(start.details)")
            var bigger = vm
            bigger.cpuNumber = 2
            let cpus = try await harness.send(.scale, AgentCommandBody(hostId: host, vm: bigger), to: agent)
            #expect(!cpus.result && cpus.details.contains("at most 1 vCPUs"), "\(cpus.details)")
            bigger = vm
            bigger.memory = 256
            let memory = try await harness.send(.scale, AgentCommandBody(hostId: host, vm: bigger), to: agent)
            #expect(!memory.result && memory.details.contains("at most 128 MiB"), "\(memory.details)")
            #expect(agent.knownVms.map { [$0.cpuNumber, $0.memory, $0.state == "Running" ? 1 : 0] } == [[1, 128, 1]])
        }
    }

    /// A guest scaled live, then live-migrated: the destination starts at the boot size and plugs what the scale
    /// plugged (the spec's `hotplug`), so that the migration completes, and the guest runs on with its new size.
    @Test(.timeLimit(.minutes(4)))
    func aScaledGuestMigratesWithItsPluggedCPUsAndMemory() async throws {
        let template = try await TinyTemplate.shared.qcow2()
        try await AgentHarness.with { harness, agent in
            try await harness.withDestination { destination, _ in
                let grown = try await Self.startAndGrow(
                    "scaled-mover",
                    template: template,
                    harness: harness,
                    agent: agent
                )
                let (vm, bigger, before) = (grown.vm, grown.bigger, grown.before)
                var spec = grown.spec

                spec.hotplug = AgentHotplugLayout(bootCpus: 1, bootMemory: 128, dimms: [128])
                let prepared = try await harness.send(
                    .prepareForMigration,
                    AgentCommandBody(hostId: AgentHarness.destinationHostId, vm: bigger, spec: spec),
                    to: destination
                )
                try #require(prepared.result, "\(prepared.details)")
                let waiting = AgentHarness.processes(mentioning: destination.configuration.runDirectory(vm.id))
                #expect(waiting.count == 1, "\(waiting)")
                var body = AgentCommandBody(hostId: host, vm: bigger, destinationHostId: AgentHarness.destinationHostId)
                body.migrationURI = prepared.migrationURI
                let migrated = try await harness.send(.migrate, body, to: agent)
                try #require(migrated.result, "\(migrated.details)")
                #expect(agent.knownVms.isEmpty)
                #expect(destination.knownVms.map { [$0.cpuNumber, $0.memory] } == [[2, 256]])

                // The guest goes on on the destination (its serial log there starts at the switch-over) with both
                // vCPUs and the DIMM, and never rebooted.
                let deadline = ContinuousClock.now + .seconds(60)
                var console = ""
                while ContinuousClock.now < deadline, Self.lastSize(console) == nil {
                    try await Task.sleep(for: .milliseconds(300))
                    console = destination.consoleOutput(vm.id, lines: 1000).output ?? ""
                }
                let after = try #require(Self.lastSize(console), "\(console)")
                #expect(after.cpus == 2 && after.kilobytes >= before.kilobytes + 120 * 1024, "\(after)")
                #expect(!console.contains("zoostack-guest ready"), "the guest rebooted:\n\(console)")
            }
        }
    }
}
