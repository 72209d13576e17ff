import Agent
import CloudCore
import CloudModel
import CloudStore
import Coordination
import Logging
import Orchestrator

/// A management server's adoption of the hosts it owns: for each host that is both live (its agent's
/// `/hosts/BUCKET/HOSTID` node exists) and owned by this server (`/hostowners/BUCKET/HOSTID`), it creates or
/// updates the host row — id = HOSTID, type Routing, the registered name, capacity, hypervisor and agent address,
/// status Up, a new host Enabled — and tells host HA a Disconnected/Down host reconnected. Loss of a host is the leader's duty
/// (``HostHAService/hostLost(_:)``), not this one's.
///
/// ```swift
/// let adoption = HostAdoption(coordinator: coordinator, managementServer: server)
/// await adoption.start()
/// ...
/// await adoption.stop()
/// ```
///
/// The zone and cluster are those the agent named (by id or name); without them (or when they match nothing)
/// the first zone's first cluster.
public actor HostAdoption {
    let coordinator: Coordinator
    let store: CloudStore
    let configuration: ConfigurationService
    let hostHA: HostHAService
    let logger: Logger

    var owned: Set<String> = []
    var live: [String: HostInfo] = [:]
    /// The registrations adopted, as adopted.
    public internal(set) var adopted: [String: HostInfo] = [:]
    private var task: Task<Void, Never>?

    /// Creates the adoption of a management server's hosts.
    /// - Parameters:
    ///   - coordinator: this management server's coordinator (ownership and live hosts).
    ///   - managementServer: the management server's core services (store, settings, host HA).
    ///   - logger: where adoptions are logged.
    public init(
        coordinator: Coordinator,
        managementServer: CloudServices,
        logger: Logger = Logger(label: "zoostack.adoption")
    ) {
        self.coordinator = coordinator
        self.store = managementServer.store
        self.configuration = managementServer.configuration
        self.hostHA = managementServer.hostHA
        self.logger = logger
    }

    /// Starts following ownership and live hosts (idempotent); runs until ``stop()`` or the coordinator stops.
    public func start() {
        guard self.task == nil else { return }
        let owned = self.coordinator.ownedHosts()
        let events = self.coordinator.hostDirectory.events()
        let (triggers, trigger) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.task = Task { [weak self] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await hosts in owned {
                        await self?.setOwned(Set(hosts))
                        trigger.yield()
                    }
                }
                group.addTask {
                    for await event in events {
                        await self?.apply(event)
                        trigger.yield()
                    }
                }
                group.addTask {
                    for await _ in triggers {
                        guard let self else { return }
                        if await !self.reconcile() {
                            // A failed adoption (e.g. the database briefly unavailable, no zone yet) is retried.
                            try? await Task.sleep(for: .milliseconds(500))
                            trigger.yield()
                        }
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Stops following (the host rows stay as they are).
    public func stop() {
        self.task?.cancel()
        self.task = nil
    }

    private func setOwned(_ hosts: Set<String>) {
        for id in self.owned.subtracting(hosts) { self.adopted[id] = nil }
        self.owned = hosts
    }

    private func apply(_ event: HostEvent) {
        switch event {
        case .appeared(let host): self.live[host.id] = host
        case .disappeared(let id):
            self.live[id] = nil
            self.adopted[id] = nil
        }
    }

    /// Creates or updates a registered host's row and marks a reconnecting host Up.
    /// - Parameter info: the host as its agent registered it.
    /// - Returns: the row as written.
    /// - Throws: ``OrchestratorError`` when there is no zone with a cluster or the store fails.
    @discardableResult
    public func adopt(_ info: HostInfo) async throws(OrchestratorError) -> Host {
        let host = try await Self.row(for: info, store: self.store, configuration: self.configuration)
        let previous: HostStatus?
        do {
            previous = try await self.store.upsertAgentHost(host, agentVersion: info.version)
        } catch {
            throw OrchestratorError(.internalError, "Unable to record host \(info.id): \(error.message)")
        }
        if let previous, HostHAService.reconnectedFrom.contains(previous) {
            try await self.hostHA.hostReconnected(info.id)
        }
        self.logger.info(
            "adopted host",
            metadata: ["host": "\(info.id)", "address": "\(info.address)", "was": "\(previous?.rawValue ?? "new")"]
        )
        return host
    }

    /// The row a registration makes (see ``AdoptionContext/row(for:)``), reading the zones, clusters and settings.
    static func row(
        for info: HostInfo,
        store: CloudStore,
        configuration: ConfigurationService
    ) async throws(OrchestratorError) -> Host {
        try await AdoptionContext.read(store: store, configuration: configuration).row(for: info)
    }
}
