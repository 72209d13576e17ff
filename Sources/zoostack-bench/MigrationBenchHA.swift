import CloudAPI
import ClusterHarness
import Foundation

extension ZooStackBench.MigrationBench {
    /// The HA figure: an HA-enabled guest on the agent's host, then the agent and its QEMUs SIGKILLed (a host
    /// crash). Measures from the kill until the VM is Running on the server's host (`listVirtualMachines`, every
    /// 100 ms) and until the restarted guest prints its ready line there (`getVirtualMachineConsoleOutput`).
    /// The agent stays dead: this phase runs last.
    func haRestart(_ lab: VMBenchLab, other: String, timeout: Duration) async throws {
        let offering = try await lab.client.call(
            "createServiceOffering",
            [
                "name": "bench-ha", "displaytext": "bench-ha", "cpunumber": "1", "cpuspeed": "100",
                "memory": String(self.memory), "offerha": "true",
            ]
        )
        _ = try await lab.client.call(
            "updateConfiguration",
            ["name": "ping.interval", "value": String(self.pingInterval)]
        )
        let wait = Double(self.pingInterval) * 2.5
        let name = "zsb-ha"
        let vmId = try await Self.deployReady(
            lab,
            name: name,
            offeringId: offering["serviceoffering"]?["id"]?.stringValue ?? "",
            timeout: timeout
        )
        let began = BenchPhase.now()
        lab.agent.kill()
        VMBenchLab.killQEMUs(under: lab.directory + "/a")
        let deadline = ContinuousClock.now + timeout
        var running: Double?
        var ready: Double?
        let marker = "zoostack-guest ready \(name)"
        while ready == nil, ContinuousClock.now < deadline {
            if running == nil {
                let vm = try await lab.client.list("listVirtualMachines", ["id": vmId]).first
                if vm?["hostid"]?.stringValue == other, vm?["state"]?.stringValue == "Running" {
                    running = BootWatch.elapsed(since: began)
                }
            } else {
                let console = try? await lab.client.call(
                    "getVirtualMachineConsoleOutput",
                    ["id": vmId, "lines": "100"]
                )
                if console?["consoleoutput"]?["output"]?.stringValue?.contains(marker) == true {
                    ready = BootWatch.elapsed(since: began)
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        guard let running, let ready else {
            throw BenchError("the HA guest was not restarted on host \(other) within \(timeout)")
        }
        Console.out(
            "ha after a host crash  Running on the other host \(VMBenchFigures.seconds(running)), the guest ready "
                + "\(VMBenchFigures.seconds(ready)) after the kill (the agent's ZooKeeper session timeout 10 s, "
                + "then HA's wait "
                + String(format: "%.0f s: ping.interval %d x ping.timeout 2.5", wait, self.pingInterval) + ")"
        )
        Console.flush()
    }
}
