import ArgumentParser
import CloudAPI
import ClusterHarness
import Foundation

extension ZooStackBench {
    /// `zoostack-bench vm`: issue 13's figures for real VMs, in one run against the same image booted bare.
    struct VMBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vm",
            abstract:
                "Measure real VMs: deploy to guest ready against bare QEMU, stop, concurrent deploys, agent cost.",
            discussion: """
                Starts, under a temporary directory, `zoostack serve --hypervisor qemu` (its built-in tiny Linux \
                template) and a separate agent, `zoostack-agent --hypervisor qemu` (what a host runs; `zoostack \
                agent` when zoostack-agent is not built), registered in the server's ZooKeeper; \
                every VM goes to that agent's host (hostid=), with 1 vCPU and --memory MiB. Then:
                  --rounds times: bare (the template booted by qemu-system-x86_64 started directly with the machine \
                the agent builds: overlay, config drive, VNC, CD-ROM, root ports, and a NIC on a tap on a bridge the \
                bench makes and deletes), then zoostack (from the deployVirtualMachine call), then stop \
                (stopVirtualMachine until its job answers, and until the VM's QEMU process is gone), then expunge. \
                Both boots end when their QEMU's serial log shows `zoostack-guest ready NAME`, read the same way \
                every 10 ms from the run directory (the bench's, the agent's); meanwhile the bench polls only \
                ZooStack's job (queryAsyncJobResult every 100 ms until it ends). ZooStack's is then also timed until \
                getVirtualMachineConsoleOutput shows the line. Each round prints its steps (QEMU's pid file, deploy \
                answered, the agent's run directory made, job done).
                  concurrent: --concurrent deploys at once on the one host, until every guest is ready.
                  agent: with those VMs running, the agent process's VmRSS and its CPU time over --idle-seconds.
                Goals (issue 13): ZooStack adds at most 15% or 300 ms (the larger) to boot-to-ready; the agent \
                stays under 30 MiB and 1% of a core. Everything is expunged, stopped and removed at the end, also \
                on failure. The processes run the `zoostack` and `zoostack-agent` built beside this executable \
                ($ZOOSTACK_BINARY and $ZOOSTACK_AGENT_BINARY override them).
                """
        )

        @Option(help: "Rounds of bare boot, ZooStack deploy and stop.")
        var rounds = 3

        @Option(help: "VMs deployed at once on the one host (also the VMs running while the agent is measured).")
        var concurrent = 10

        @Option(help: "Guest memory in MiB.")
        var memory = 192

        @Option(name: .customLong("idle-seconds"), help: "The interval over which the agent's idle CPU is measured.")
        var idleSeconds = 10

        @Option(name: .customLong("boot-timeout"), help: "Seconds any boot (or all concurrent ones) may take.")
        var bootTimeout = 180

        func validate() throws {
            guard self.rounds > 0, self.concurrent > 0, self.memory >= 64, self.idleSeconds > 0, self.bootTimeout > 0
            else { throw ValidationError("counts must be positive and --memory at least 64.") }
        }

        func run() async throws {
            let lab = try await VMBenchLab.start(memoryMiB: self.memory)
            do {
                try await self.measure(lab)
            } catch {
                Console.error("bench vm failed; agent log:\n\(lab.agent.logTail)\nserver log:\n\(lab.serve.logTail)")
                await lab.close()
                throw error
            }
            await lab.close()
        }

        private func measure(_ lab: VMBenchLab) async throws {
            let timeout = Duration.seconds(self.bootTimeout)
            Console.out(
                "bench vm: 1 host (agent `\(lab.agentCommand)` pid \(lab.agent.pid), \(lab.accelerator)), guests of 1 vCPU and "
                    + "\(self.memory) MiB, \(self.rounds) rounds, \(self.concurrent) concurrent, in \(lab.directory)"
            )
            Console.flush()
            var bare: [Double] = []
            var zoostack: [Double] = []
            var throughAPI: [Double] = []
            var stopAnswers: [Double] = []
            var stopGone: [Double] = []
            for round in 1...self.rounds {
                let bareSteps = try await BareBoot.run(
                    hostname: "zsb-bare-\(round)",
                    round: round,
                    template: lab.templateFile,
                    memoryMiB: self.memory,
                    accelerator: lab.accelerator,
                    directory: lab.directory + "/b\(round)",
                    timeout: timeout
                )
                bare.append(bareSteps.ready)
                let boot = try await self.deployToReady(lab, name: "zsb-round-\(round)", timeout: timeout)
                zoostack.append(boot.steps.ready)
                throughAPI.append(boot.throughAPI)
                let (answer, gone) = try await self.stop(lab, vmId: boot.vmId)
                stopAnswers.append(answer)
                stopGone.append(gone)
                _ = try await lab.client.callAndWait("destroyVirtualMachine", ["id": boot.vmId, "expunge": "true"])
                Console.out(
                    "round \(round)  bare \(VMBenchFigures.seconds(bareSteps.ready))  zoostack "
                        + "\(VMBenchFigures.seconds(boot.steps.ready)) (through the API "
                        + "\(VMBenchFigures.seconds(boot.throughAPI)))  stop answer \(VMBenchFigures.seconds(answer))  "
                        + "qemu gone \(VMBenchFigures.seconds(gone))"
                )
                Console.out("  steps, s from the start  " + VMBenchFigures.steps(bare: bareSteps, zoostack: boot))
                Console.flush()
            }
            let bareMedian = VMBenchFigures.median(bare)
            let zoostackMedian = VMBenchFigures.median(zoostack)
            let overhead = zoostackMedian - bareMedian
            let allowed = max(0.15 * bareMedian, 0.3)
            Console.out(
                "boot-to-ready  bare p50 \(VMBenchFigures.seconds(bareMedian))  zoostack p50 "
                    + "\(VMBenchFigures.seconds(zoostackMedian))  overhead "
                    + String(format: "%+.2f s (%+.1f%%)", overhead, bareMedian > 0 ? overhead / bareMedian * 100 : 0)
                    + "  goal <= \(VMBenchFigures.seconds(allowed)): \(VMBenchFigures.verdict(overhead <= allowed))"
            )
            let apiMedian = VMBenchFigures.median(throughAPI)
            Console.out(
                "through API    zoostack p50 \(VMBenchFigures.seconds(apiMedian))  "
                    + String(format: "%+.2f s over bare", apiMedian - bareMedian)
                    + " (getVirtualMachineConsoleOutput called from the serial log's ready line, every 100 ms)"
            )
            Console.out(
                "stop           answer p50 \(VMBenchFigures.seconds(VMBenchFigures.median(stopAnswers)))  "
                    + "qemu gone p50 \(VMBenchFigures.seconds(VMBenchFigures.median(stopGone)))"
            )
            Console.flush()
            try await self.concurrentPhase(lab, timeout: timeout)
        }

        private func concurrentPhase(_ lab: VMBenchLab, timeout: Duration) async throws {
            let began = BenchPhase.now()
            // A failed deploy is counted and reported, not fatal: the others still boot and the agent is measured.
            let outcomes = await withTaskGroup(of: Result<Double, any Error>.self) { group in
                for index in 1...self.concurrent {
                    group.addTask {
                        do {
                            let boot = try await self.deployToReady(lab, name: "zsb-many-\(index)", timeout: timeout)
                            return .success(boot.steps.ready)
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: [Result<Double, any Error>]()) { $0.append($1) }
            }
            let wall = Double(BenchPhase.now() &- began) / 1e9
            let readies = outcomes.compactMap { try? $0.get() }
            let failures = outcomes.compactMap { outcome -> String? in
                guard case .failure(let error) = outcome else { return nil }
                return "\(error)"
            }
            let count = readies.count == self.concurrent ? "all" : "\(readies.count) of \(self.concurrent)"
            Console.out(
                "concurrent \(self.concurrent)  \(count) ready in \(VMBenchFigures.seconds(wall))  (per VM p50 "
                    + "\(VMBenchFigures.seconds(VMBenchFigures.median(readies))), max "
                    + "\(VMBenchFigures.seconds(readies.max() ?? 0)))"
                    + (failures.isEmpty ? "" : "  \(failures.count) failed, the first: \(failures[0].prefix(300))")
            )
            Console.flush()
            guard !readies.isEmpty else { throw BenchError("no concurrent deploy succeeded") }
            // The guests print a line a second; the agent's own work is its stats collection and ZooKeeper pings.
            try await Task.sleep(for: .seconds(2))
            let pid = lab.agent.pid
            guard let ticks0 = ProcStat.cpuTicks(pid) else { throw BenchError("cannot read /proc/\(pid)/stat") }
            try await Task.sleep(for: .seconds(self.idleSeconds))
            guard let ticks1 = ProcStat.cpuTicks(pid), let rss = ProcStat.statusKiB(pid) else {
                throw BenchError("the agent (pid \(pid)) is gone")
            }
            let peak = ProcStat.statusKiB(pid, "VmHWM") ?? rss
            let anonymous = ProcStat.statusKiB(pid, "RssAnon") ?? 0
            let mapped = ProcStat.statusKiB(pid, "RssFile") ?? 0
            // The proportional share: the mapped files are mostly shared with the server (same binary, same libraries).
            let proportional = ProcStat.statusKiB(pid, "Pss", file: "smaps_rollup") ?? 0
            let cpu = Double(ticks1 - ticks0) / Double(ProcStat.ticksPerSecond) / Double(self.idleSeconds) * 100
            let rssMiB = Double(rss) / 1024
            Console.out(
                String(
                    format:
                        "agent          RSS %.1f MiB (anon %.1f, file %.1f, peak %.1f, PSS %.1f)  idle CPU %.2f%% of a core over %d s",
                    rssMiB,
                    Double(anonymous) / 1024,
                    Double(mapped) / 1024,
                    Double(peak) / 1024,
                    Double(proportional) / 1024,
                    cpu,
                    self.idleSeconds
                )
                    + " with \(readies.count) VMs (`\(lab.agentCommand)`)  goal < 30 MiB and < 1%: "
                    + VMBenchFigures.verdict(rssMiB < 30 && cpu < 1)
            )
            Console.flush()
        }

        /// The deployVirtualMachine call until the VM's serial log in the agent's run directory shows the guest's
        /// ready line (``BootWatch``, exactly as for the bare boot), then until getVirtualMachineConsoleOutput
        /// shows it. Meanwhile only the job is polled (every 100 ms until it ends, so that a failed deploy fails
        /// at once): the bench loads the machine no more during this boot than during the bare one.
        private func deployToReady(_ lab: VMBenchLab, name: String, timeout: Duration) async throws -> ZooStackBoot {
            let began = BenchPhase.now()
            let answer = try await lab.client.call(
                "deployVirtualMachine",
                [
                    "zoneid": lab.zoneId, "templateid": lab.templateId, "serviceofferingid": lab.offeringId,
                    "hostid": lab.hostId, "name": name,
                ]
            )
            let answered = BootWatch.elapsed(since: began)
            guard let jobId = answer["jobid"]?.stringValue, let vmId = answer["id"]?.stringValue else {
                throw BenchError("deployVirtualMachine answered without a jobid and an id: \(answer.json)")
            }
            // Cancelled and awaited when the polling below throws.
            async let watched = BootWatch.run(lab.agentVMs + "/" + vmId, hostname: name, since: began, timeout: timeout)
            let deadline = ContinuousClock.now + timeout
            var jobDone: Double?
            while jobDone == nil, ContinuousClock.now < deadline {
                let job = try await lab.client.call("queryAsyncJobResult", ["jobid": jobId])
                switch job["jobstatus"]?.int {
                case 1: jobDone = BootWatch.elapsed(since: began)
                case 2:
                    throw BenchError(
                        "deploying \(name) failed: "
                            + (job["jobresult"]?["errortext"]?.stringValue ?? String(job.json.prefix(500)))
                    )
                default: try await Task.sleep(for: .milliseconds(100))
                }
            }
            let steps = try await watched
            let marker = "zoostack-guest ready \(name)"
            while ContinuousClock.now < deadline {
                let console = try await lab.client.call("getVirtualMachineConsoleOutput", ["id": vmId, "lines": "100"])
                if console["consoleoutput"]?["output"]?.stringValue?.contains(marker) == true {
                    return ZooStackBoot(
                        vmId: vmId,
                        answered: answered,
                        jobDone: jobDone,
                        steps: steps,
                        throughAPI: BootWatch.elapsed(since: began)
                    )
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw BenchError("getVirtualMachineConsoleOutput of \(name) showed no ready line in \(timeout)")
        }

        /// stopVirtualMachine: seconds until its job answers, and until the VM's QEMU process is gone.
        private func stop(_ lab: VMBenchLab, vmId: String) async throws -> (answer: Double, gone: Double) {
            let pidFile = lab.agentVMs + "/\(vmId)/qemu.pid"
            guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { throw BenchError("no QEMU pid file at \(pidFile)") }
            let began = BenchPhase.now()
            // Cancelled and awaited when the stop call throws.
            async let gone = Self.waitUntilGone(pid, since: began)
            _ = try await lab.client.callAndWait("stopVirtualMachine", ["id": vmId])
            let answer = Double(BenchPhase.now() &- began) / 1e9
            return (answer, try await gone)
        }

        /// Seconds from `began` until process `pid` is gone (checked every 10 ms, at most 120 s).
        private static func waitUntilGone(_ pid: Int32, since began: UInt64) async throws -> Double {
            let deadline = ContinuousClock.now + .seconds(120)
            while ProcStat.isAlive(pid), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            guard !ProcStat.isAlive(pid) else { throw BenchError("QEMU pid \(pid) still runs 120 s after stop") }
            return Double(BenchPhase.now() &- began) / 1e9
        }
    }
}
