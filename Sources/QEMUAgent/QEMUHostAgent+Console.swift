import Agent
import QEMU
import Synchronization

extension QEMUHostAgent {
    /// `GetVncPortCommand`: where a running VM's VNC server listens (QMP `query-vnc`), `HOST:PORT`.
    func vncAddress(_ vmId: String?) async -> AgentAnswer {
        guard let vmId, PlainName.isValid(vmId), let vm = self.vms.withLock({ $0[vmId] }), vm.isRunning,
            let process = vm.process
        else {
            let details = "VM \(vmId ?? "?") is not running on host \(self.hostId)"
            return AgentAnswer(seq: 0, result: false, details: details)
        }
        let reply: JSONValue
        do {
            reply = try await process.qmp.execute("query-vnc", timeout: .seconds(5))
        } catch {
            return AgentAnswer(seq: 0, result: false, details: "Cannot query the VNC server of VM \(vmId): \(error)")
        }
        guard reply["enabled"] == .bool(true), let host = reply["host"]?.stringValue,
            let port = reply["service"]?.stringValue
        else {
            return AgentAnswer(seq: 0, result: false, details: "VM \(vmId) has no VNC server")
        }
        var answer = AgentAnswer(seq: 0, result: true, details: "VNC of VM \(vmId)")
        answer.vnc = "\(host):\(port)"
        return answer
    }
}
