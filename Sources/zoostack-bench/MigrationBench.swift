import ArgumentParser
import CloudAPI
import ClusterHarness
import Foundation

extension ZooStackBench {
    /// `zoostack-bench migration`: issue 15's live-migration figures, ZooStack against bare QEMU in one run.
    struct MigrationBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migration",
            abstract: "Measure live migration of a real guest: ZooStack's migrateVirtualMachine against bare QEMU.",
            discussion: """
                Starts `zoostack serve --hypervisor qemu` and a `zoostack-agent --hypervisor qemu` sharing the \
                server's primary storage (two hosts, one shared pool), as `bench vm` does. For each guest load, \
                idle and busy (a user-data script that rewrites a --dirty-mib file in the guest's RAM without \
                pause):
                  bare: the template booted by qemu-system-x86_64 with the machine the agent builds, then --rounds \
                migrations to a second QEMU started with `-incoming defer` on the same disks (QMP migrate-incoming \
                on 127.0.0.1 port 0, migrate, query-migrate every 100 ms, quit of the source), each time from the \
                last destination. Total: from the destination's tap and launch until the source has quit and its \
                tap is gone.
                  zoostack: the same guest deployed on the agent's host, then --rounds migrateVirtualMachine calls \
                between the two hosts. Total: from the call until its job has ended.
                Both print QEMU's own total-time and downtime (query-migrate). Goals (issue 15): ZooStack adds \
                under 10% to the total time and nothing to the downtime.
                  ha (unless --no-ha): an HA-enabled guest on the agent's host, then the agent and its QEMUs \
                SIGKILLed: seconds until the VM is Running on the server's host, and until the guest is ready there.
                Everything is stopped and removed at the end, also on failure.
                """
        )

        @Option(help: "Migrations per guest load and side.")
        var rounds = 3

        @Option(help: "Guest memory in MiB.")
        var memory = 256

        @Option(name: .customLong("dirty-mib"), help: "MiB the busy guest rewrites in a loop.")
        var dirtyMiB = 16

        @Option(name: .customLong("timeout"), help: "Seconds a boot, a migration or an HA restart may take.")
        var timeout = 300

        @Flag(name: .customLong("no-ha"), help: "Skip the last phase, an HA restart after a host crash.")
        var skipHA = false

        @Option(
            name: .customLong("ping-interval"),
            help: "ping.interval in seconds for the HA phase (HA waits ping.interval x ping.timeout, 2.5)."
        )
        var pingInterval = 60

        func validate() throws {
            guard self.rounds > 0, self.memory >= 128, self.dirtyMiB > 0, self.dirtyMiB * 4 <= self.memory,
                self.timeout > 0, self.pingInterval > 0
            else {
                throw ValidationError(
                    "counts must be positive, --memory at least 128 and --dirty-mib at most a quarter of it."
                )
            }
        }

        func run() async throws {
            let lab = try await VMBenchLab.start(memoryMiB: self.memory)
            do {
                try await self.measure(lab)
            } catch {
                Console.error(
                    "bench migration failed; agent log:\n\(lab.agent.logTail)\nserver log:\n\(lab.serve.logTail)"
                )
                await lab.close()
                throw error
            }
            await lab.close()
        }

        private func measure(_ lab: VMBenchLab) async throws {
            let hosts = try await lab.client.list("listHosts", ["type": "Routing"])
            guard let other = hosts.compactMap({ $0["id"]?.stringValue }).first(where: { $0 != lab.hostId }) else {
                throw BenchError("the server shows no second host to migrate to")
            }
            Console.out(
                "bench migration: 2 hosts sharing a pool (agent `\(lab.agentCommand)`, \(lab.accelerator)), a guest "
                    + "of 1 vCPU and \(self.memory) MiB, \(self.rounds) rounds per load, in \(lab.directory)"
            )
            Console.flush()
            let timeout = Duration.seconds(self.timeout)
            _ = try await lab.client.call(
                "updateConfiguration",
                ["name": "migratewait", "value": String(self.timeout)]
            )
            for load in MigrationLoad.allCases {
                let userData = load.userData(dirtyMiB: self.dirtyMiB)
                let bare = try await BareMigration.run(
                    hostname: "zsb-bare-\(load)",
                    template: lab.templateFile,
                    memoryMiB: self.memory,
                    accelerator: lab.accelerator,
                    directory: lab.directory + "/m-\(load)",
                    userData: userData,
                    rounds: self.rounds,
                    timeout: timeout
                )
                let zoostack = try await self.zoostackMigrations(
                    lab,
                    name: "zsb-mig-\(load)",
                    userData: userData,
                    hosts: (lab.hostId, other),
                    timeout: timeout
                )
                for (side, figures) in [("bare", bare), ("zoostack", zoostack)] {
                    for (round, one) in figures.enumerated() {
                        Console.out(
                            "\(load) \(side) round \(round + 1)  total \(VMBenchFigures.seconds(one.wall))  "
                                + "qemu total-time \(one.totalTime) ms  downtime \(one.downtime) ms"
                        )
                    }
                }
                Console.out(MigrationFigures.summary(load: load, bare: bare, zoostack: zoostack))
                Console.flush()
            }
            if !self.skipHA { try await self.haRestart(lab, other: other, timeout: timeout) }
        }

        /// Deploys the guest on the agent's host, waits for its ready line, then migrates it `rounds` times between
        /// the two hosts; expunges it at the end.
        private func zoostackMigrations(
            _ lab: VMBenchLab,
            name: String,
            userData: String,
            hosts: (String, String),
            timeout: Duration
        ) async throws -> [MigrationFigures] {
            let vmId = try await Self.deployReady(
                lab,
                name: name,
                offeringId: lab.offeringId,
                userData: userData,
                timeout: timeout
            )
            try await Task.sleep(for: .seconds(2))
            var figures: [MigrationFigures] = []
            for round in 1...self.rounds {
                let destination = round % 2 == 1 ? hosts.1 : hosts.0
                let began = BenchPhase.now()
                let result = try await Self.migrate(lab, vmId: vmId, to: destination, timeout: timeout + .seconds(60))
                let wall = BootWatch.elapsed(since: began)
                let vm = result["virtualmachine"]
                guard vm?["hostid"]?.stringValue == destination else {
                    throw BenchError("\(name) is not on host \(destination) after its migration: \(result.json)")
                }
                figures.append(
                    MigrationFigures(
                        wall: wall,
                        totalTime: vm?["migrationtotaltime"]?.int ?? 0,
                        downtime: vm?["migrationdowntime"]?.int ?? 0
                    )
                )
                try await Task.sleep(for: .seconds(1))
            }
            _ = try await lab.client.callAndWait("destroyVirtualMachine", ["id": vmId, "expunge": "true"])
            return figures
        }

        /// Deploys a guest on the agent's host and waits until its serial log there shows its ready line.
        /// - Returns: the VM's id.
        static func deployReady(
            _ lab: VMBenchLab,
            name: String,
            offeringId: String,
            userData: String? = nil,
            timeout: Duration
        ) async throws -> String {
            var parameters = [
                "zoneid": lab.zoneId, "templateid": lab.templateId, "serviceofferingid": offeringId,
                "hostid": lab.hostId, "name": name,
            ]
            parameters["userdata"] = userData.map { Data($0.utf8).base64EncodedString() }
            let answer = try await lab.client.call("deployVirtualMachine", parameters)
            guard let jobId = answer["jobid"]?.stringValue, let vmId = answer["id"]?.stringValue else {
                throw BenchError("deployVirtualMachine answered without a jobid and an id: \(answer.json)")
            }
            _ = try await lab.client.wait(job: jobId, command: "deployVirtualMachine", timeout: timeout)
            _ = try await BootWatch.run(
                lab.agentVMs + "/" + vmId,
                hostname: name,
                since: BenchPhase.now(),
                timeout: timeout
            )
            return vmId
        }

        /// migrateVirtualMachine, its job polled every 20 ms (a fixed, fine interval: `callAndWait` backs off to
        /// 200 ms, which would add up to that much to the figure).
        private static func migrate(
            _ lab: VMBenchLab,
            vmId: String,
            to hostId: String,
            timeout: Duration
        ) async throws -> APIValue {
            let answer = try await lab.client.call(
                "migrateVirtualMachine",
                ["virtualmachineid": vmId, "hostid": hostId]
            )
            guard let jobId = answer["jobid"]?.stringValue else {
                throw BenchError("migrateVirtualMachine answered without a jobid: \(answer.json)")
            }
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                let job = try await lab.client.call("queryAsyncJobResult", ["jobid": jobId])
                switch job["jobstatus"]?.int {
                case 1: return job["jobresult"] ?? .object([])
                case 2:
                    throw BenchError(
                        "migrating \(vmId) failed: "
                            + (job["jobresult"]?["errortext"]?.stringValue ?? String(job.json.prefix(500)))
                    )
                default: try await Task.sleep(for: .milliseconds(20))
                }
            }
            throw BenchError("migrating \(vmId) did not end within \(timeout)")
        }
    }
}

/// What the guest does while it is migrated.
enum MigrationLoad: String, CaseIterable, CustomStringConvertible {
    case idle
    case busy

    var description: String { self.rawValue }

    /// The guest's user data: both print a marker; the busy one then rewrites a file in its RAM (the root file
    /// system is the initramfs) in a loop, so that migration has to resend those pages.
    func userData(dirtyMiB: Int) -> String {
        switch self {
        case .idle:
            return "#!/bin/sh\necho zoostack-bench idle guest\n"
        case .busy:
            return """
                #!/bin/sh
                dd if=/dev/urandom of=/tmp/zsb-a bs=1M count=\(dirtyMiB) 2>/dev/null
                (while :; do cp /tmp/zsb-a /tmp/zsb-b; done) &
                echo zoostack-bench busy guest rewrites \(dirtyMiB) MiB

                """
        }
    }
}

/// One migration's figures.
struct MigrationFigures: Sendable {
    /// Seconds end to end (bare: destination launch to source quit; ZooStack: API call to job end).
    var wall: Double
    /// QEMU's `total-time`, ms.
    var totalTime: Int
    /// QEMU's `downtime`, ms.
    var downtime: Int

    /// The summary line of one guest load: medians and the goal's verdicts.
    static func summary(load: MigrationLoad, bare: [MigrationFigures], zoostack: [MigrationFigures]) -> String {
        let bareWall = VMBenchFigures.median(bare.map(\.wall))
        let zoostackWall = VMBenchFigures.median(zoostack.map(\.wall))
        let bareDown = VMBenchFigures.median(bare.map { Double($0.downtime) })
        let zoostackDown = VMBenchFigures.median(zoostack.map { Double($0.downtime) })
        let added = bareWall > 0 ? (zoostackWall - bareWall) / bareWall * 100 : 0
        return "\(load) p50  total bare \(VMBenchFigures.seconds(bareWall)) zoostack "
            + "\(VMBenchFigures.seconds(zoostackWall)) (" + String(format: "%+.1f%%", added) + ", goal < 10%: "
            + VMBenchFigures.verdict(added < 10) + ")  qemu total-time bare "
            + String(format: "%.0f", VMBenchFigures.median(bare.map { Double($0.totalTime) })) + " ms zoostack "
            + String(format: "%.0f", VMBenchFigures.median(zoostack.map { Double($0.totalTime) }))
            + " ms  downtime bare "
            + String(format: "%.0f ms zoostack %.0f ms", bareDown, zoostackDown) + " (goal: no more: "
            + VMBenchFigures.verdict(zoostackDown <= bareDown) + ")"
    }
}
