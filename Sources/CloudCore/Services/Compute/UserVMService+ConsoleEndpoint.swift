import CloudModel
import Orchestrator

/// What `createConsoleEndpoint` answers (CloudStack 4.18's `ConsoleEndpoint`).
public struct ConsoleEndpoint: Sendable, Hashable {
    /// The websocket URL with its token.
    public var url: String
    /// The single-use token.
    public var token: String
    /// The proxy's host.
    public var host: String
    /// The proxy's port.
    public var port: String
    /// The websocket's path.
    public var path: String
}

extension UserVMService {
    /// A console endpoint for a running VM the caller may reach: a single-use, expiring token for this management
    /// server's console proxy, whose websocket carries the VM's VNC (RFB) stream (CloudStack's
    /// `createConsoleEndpoint`, without a console proxy VM).
    /// - Parameters:
    ///   - access: the caller.
    ///   - id: the VM.
    /// - Returns: the endpoint.
    /// - Throws: 431 for a VM that is not Running, 531 for another's VM, 530 without a console proxy, 534 when the
    ///   VM's host has no console for it.
    public func consoleEndpoint(_ access: Access, id: String) async throws -> ConsoleEndpoint {
        let vm = try await access.virtualMachine(id: id, parameter: "virtualmachineid")
        guard vm.state == .running else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "VM \(vm.name) is not running (\(vm.state.rawValue)): it has no console"
            )
        }
        guard let proxy = self.services.consoleSessions.proxyURL else {
            throw CloudError(.internalError, csErrorCode: 4250, "This management server runs no console proxy")
        }
        let target = try await self.services.driver.consoleAddress(vm)
        let token = self.services.consoleSessions.issue(vmId: vm.id, target: target)
        let (host, port, path) = Self.parts(of: proxy)
        return ConsoleEndpoint(url: "\(proxy)?token=\(token)", token: token, host: host, port: port, path: path)
    }

    /// `ws://HOST:PORT/PATH` in parts.
    static func parts(of url: String) -> (host: String, port: String, path: String) {
        let rest = url.split(separator: "://", maxSplits: 1).last.map(String.init) ?? url
        let authority = rest.split(separator: "/", maxSplits: 1).first.map(String.init) ?? rest
        let path = rest.dropFirst(authority.count)
        let host = authority.split(separator: ":").dropLast().joined(separator: ":")
        let port = authority.split(separator: ":").last.map(String.init) ?? ""
        return (host.isEmpty ? authority : host, port, path.isEmpty ? "/" : String(path))
    }
}
