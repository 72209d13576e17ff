import CloudModel
import CloudStore
import Foundation
import Logging

/// The hosts' administrative life: adding simulator hosts, enabling and disabling them, maintenance (with live
/// migration of their VMs through the planner) and deletion.
public struct HostService: Sendable {
    let store: CloudStore
    let virtualMachines: VirtualMachineService
    let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - store: the store.
    ///   - virtualMachines: the VM service, whose planner picks maintenance targets.
    ///   - logger: a logger.
    public init(store: CloudStore, virtualMachines: VirtualMachineService, logger: Logger) {
        self.store = store
        self.virtualMachines = virtualMachines
        self.logger = logger
    }

    /// What `addHost` asks for a simulator host.
    public struct SimulatorHost: Sendable {
        /// The zone.
        public var zoneId: String
        /// The pod (must be in the zone).
        public var podId: String
        /// The cluster (must be in the pod, of hypervisor Simulator).
        public var clusterId: String
        /// `http://sim...[/cpucore=N&cpuspeed=MHz&memory=bytes]`, as CloudStack's SimulatorDiscoverer reads it.
        public var url: String
        /// Comma-separated host tags.
        public var hostTags: String
        /// Cores (the `cpunumber` parameter), overriding the URL's `cpucore`.
        public var cpuNumber: Int?
        /// MHz per core (the `cpuspeed` parameter), overriding the URL's `cpuspeed`.
        public var cpuSpeed: Int?
        /// Memory in MiB (the `memory` parameter), overriding the URL's `memory` (bytes).
        public var memoryMiB: Int?

        /// Creates a request.
        public init(
            zoneId: String,
            podId: String,
            clusterId: String,
            url: String,
            hostTags: String = "",
            cpuNumber: Int? = nil,
            cpuSpeed: Int? = nil,
            memoryMiB: Int? = nil
        ) {
            self.zoneId = zoneId
            self.podId = podId
            self.clusterId = clusterId
            self.url = url
            self.hostTags = hostTags
            self.cpuNumber = cpuNumber
            self.cpuSpeed = cpuSpeed
            self.memoryMiB = memoryMiB
        }
    }

    /// CloudStack's simulator defaults (MockAgentManager): 4 cores of 8000 MHz and 8 GiB.
    static let defaultCores = 4
    static let defaultSpeed = 8000
    static let defaultMemory = 8 << 30

    /// Adds a simulator host, Up and Enabled, with the current overprovisioning factors.
    /// - Parameter request: where and what.
    /// - Returns: the new host.
    /// - Throws: ``OrchestratorError`` 431 for a bad zone, pod, cluster or capacity; 530 when the URL is not a
    ///   simulator URL (CloudStack's "Cannot find the server resources").
    public func addSimulatorHost(_ request: SimulatorHost) async throws(OrchestratorError) -> CloudModel.Host {
        let (pod, cluster) = try await self.virtualMachines.run {
            (
                try await self.store.get(Pod.self, id: request.podId),
                try await self.store.get(Cluster.self, id: request.clusterId)
            )
        }
        guard let pod, pod.zoneId == request.zoneId else {
            throw OrchestratorError(
                .invalidParameter,
                "Can't find pod with specified podId \(request.podId) in zone \(request.zoneId)"
            )
        }
        guard let cluster, cluster.podId == pod.id else {
            throw OrchestratorError(
                .invalidParameter,
                "Can't find cluster with specified clusterId \(request.clusterId) in pod \(pod.id)"
            )
        }
        guard cluster.hypervisor.lowercased() == "simulator" else {
            throw OrchestratorError(
                .invalidParameter,
                "Cluster \(cluster.name) is of hypervisor \(cluster.hypervisor); ZooStack adds only Simulator hosts"
            )
        }
        guard var capacity = Self.simulatorCapacity(url: request.url) else {
            throw OrchestratorError(.internalError, "Cannot find the server resources at \(request.url)")
        }
        if let cores = request.cpuNumber { capacity.cores = cores }
        if let speed = request.cpuSpeed { capacity.speed = speed }
        if let memory = request.memoryMiB { capacity.memory = memory.saturatingMultiplied(by: 1 << 20) }
        for (name, value) in [("cpunumber", capacity.cores), ("cpuspeed", capacity.speed), ("memory", capacity.memory)]
        where value <= 0 {
            throw OrchestratorError(.invalidParameter, "Invalid parameter \(name): the host's \(name) must be positive")
        }
        let settings = try await self.virtualMachines.configuration.snapshot().placement
        let existing = try await self.virtualMachines.run { try await self.store.count(Host.self) }
        let id = UUID().uuidString.lowercased()
        let host = Host(
            id: id,
            name: "SimulatedAgent.\(id.prefix(8))",
            zoneId: request.zoneId,
            podId: pod.id,
            clusterId: cluster.id,
            ipAddress: "172.16.\(15 + (existing + 10) / 250).\((existing + 10) % 250 + 1)",
            hypervisor: "Simulator",
            cpuNumber: capacity.cores,
            cpuSpeed: capacity.speed,
            memory: capacity.memory,
            cpuOverprovisioning: settings.cpuOverprovisioningFactor,
            memOverprovisioning: settings.memoryOverprovisioningFactor,
            hostTags: Self.normalizedTags(request.hostTags)
        )
        try await self.virtualMachines.run { try await self.store.insert(host) }
        return host
    }

    /// Reads a simulator URL as CloudStack's SimulatorDiscoverer does: scheme `http`, a host starting with `sim`,
    /// and an optional last path segment `cpucore=N&cpuspeed=MHz&memory=bytes`.
    /// - Parameter url: the URL.
    /// - Returns: cores, speed and memory, or nil when the URL is not a simulator URL.
    static func simulatorCapacity(url: String) -> (cores: Int, speed: Int, memory: Int)? {
        guard let parsed = URLComponents(string: url), parsed.scheme?.lowercased() == "http",
            let host = parsed.host, host.lowercased().hasPrefix("sim")
        else { return nil }
        var capacity = (cores: Self.defaultCores, speed: Self.defaultSpeed, memory: Self.defaultMemory)
        let last = parsed.path.split(separator: "/").last.map(String.init) ?? ""
        for pair in last.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Int(parts[1]) else { continue }
            switch parts[0].lowercased() {
            case "cpucore": capacity.cores = value
            case "cpuspeed": capacity.speed = value
            case "memory": capacity.memory = value
            default: break
            }
        }
        return capacity
    }

    /// Tags as stored: trimmed, blank entries dropped, comma-separated.
    static func normalizedTags(_ text: String) -> String {
        VirtualMachineService.tags(text).sorted().joined(separator: ",")
    }

    /// Loads a host or fails with 431.
    /// - Parameter id: the host.
    /// - Returns: the host.
    /// - Throws: ``OrchestratorError``.
    public func load(_ id: String) async throws(OrchestratorError) -> CloudModel.Host {
        guard let host = try await self.virtualMachines.run({ try await self.store.get(Host.self, id: id) }) else {
            throw OrchestratorError(.invalidParameter, "Unable to find host by id \(id)")
        }
        return host
    }

    /// `updateHost`: host tags and `allocationstate` Enable/Disable.
    /// - Parameters:
    ///   - id: the host.
    ///   - allocationState: `Enable` or `Disable`, or nil.
    ///   - hostTags: the new comma-separated tags (empty clears them), or nil.
    /// - Returns: the updated host.
    /// - Throws: ``OrchestratorError`` 431 for a bad state or a host in maintenance.
    public func update(
        id: String,
        allocationState: String?,
        hostTags: String?
    ) async throws(OrchestratorError)
        -> CloudModel.Host
    {
        let host = try await self.load(id)
        var resourceState: HostResourceState?
        if let allocationState {
            switch allocationState.lowercased() {
            case "enable": resourceState = .enabled
            case "disable": resourceState = .disabled
            default:
                throw OrchestratorError(
                    .invalidParameter,
                    "Invalid allocation state: \(allocationState), only Enable/Disable are allowed"
                )
            }
            let adjustable: [HostResourceState] = [.enabled, .disabled]
            guard adjustable.contains(host.resourceStatus) else {
                throw OrchestratorError(
                    .invalidParameter,
                    "Unable to \(allocationState.lowercased()) host \(host.name): it is in \(host.resourceState) state"
                )
            }
        }
        try await self.virtualMachines.run {
            try await self.store.updateHost(
                id: id,
                resourceState: resourceState?.rawValue,
                hostTags: hostTags.map(Self.normalizedTags)
            )
        }
        return try await self.load(id)
    }
}
