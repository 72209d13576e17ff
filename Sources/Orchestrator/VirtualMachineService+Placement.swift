import CloudModel
import CloudStore

extension VirtualMachineService {
    /// How many of the planner's hosts a deployment or migration tries before giving up with 533: the capacity
    /// compare-and-set decides among them, and a lost reservation marks the host for re-reading.
    public static let candidateLimit = 64

    /// Hosts to try for `vm`, best first (planner order), excluding `excluding`, or just the explicit host.
    ///
    /// Runs CloudModel's ``DeploymentPlanner`` over the zone's hosts (held in memory by ``HostInventory``), with the settings of the
    /// ``ConfigurationService`` (cached), the offering's host tags, and the owner's VMs per host when the
    /// allocation algorithm needs them (one more query). The capacity compare-and-set still decides: callers
    /// reserve on the first host and move down the list when the reservation loses.
    /// - Parameters:
    ///   - vm: the VM to place (its CPU, speed and memory are what it needs).
    ///   - excluding: hosts never to return (a migration's source, hosts that already failed).
    ///   - explicitHostId: an admin's `hostid`: only that host is returned, if it is suitable.
    ///   - limit: at most this many hosts (nil: every suitable host, as findHostsForMigration lists them).
    /// - Returns: the hosts, best first; never empty.
    /// - Throws: ``OrchestratorError`` 533 when no host fits (or the explicit host does not), 431 when the
    ///   explicit host is not in the VM's zone.
    public func placementCandidates(
        for vm: VirtualMachine,
        excluding: Set<String>,
        explicitHostId: String?,
        limit: Int? = nil
    ) async throws(OrchestratorError) -> [Host] {
        let settings = try await self.configuration.snapshot().placement
        let (zone, offering) = try await self.run {
            (
                try await self.inventory.zone(vm.zoneId),
                try await self.store.get(ServiceOffering.self, id: vm.serviceOfferingId)
            )
        }
        var counts: [String: Int] = [:]
        switch settings.allocationAlgorithm {
        case .userdispersing, .userconcentratedpodRandom, .userconcentratedpodFirstfit:
            counts = try await self.run {
                try await self.store.virtualMachineCountByHost(accountId: vm.accountId, zoneId: vm.zoneId)
            }
        case .random, .firstfit, .firstfitleastconsumed:
            break
        }
        // Affinity groups: anti-affinity keeps off the hosts of the group's other VMs; host affinity pins the VM
        // to the host they run on (when no admin named one).
        let affinity = try await self.run { try await self.store.affinityHosts(vmId: vm.id) }
        let antiAffinityHostIds = Set(affinity.filter { $0.type == "host anti-affinity" }.map(\.hostId))
        let affinityHostId = affinity.first { $0.type == "host affinity" }?.hostId
        let explicitHostId = explicitHostId ?? affinityHostId
        var request = PlacementRequest(
            zoneId: vm.zoneId,
            cpuNumber: vm.cpuNumber,
            cpuSpeedMHz: vm.cpuSpeed,
            memoryBytes: vm.memoryDemand,
            hostTags: Self.tags(offering?.hostTags ?? ""),
            accountId: vm.accountId,
            accountVMCountByHost: counts,
            antiAffinityHostIds: antiAffinityHostIds,
            hostId: explicitHostId,
            avoidHostIds: explicitHostId == nil ? excluding : excluding.subtracting([explicitHostId ?? ""])
        )
        if !zone.realHostIds.isEmpty {
            // CloudStack matches the template's hypervisor to the host's: a KVM template (or an ISO) boots on real
            // hosts only, any other template on simulated hosts only.
            let template = try await self.run { try await self.store.get(Template.self, id: vm.templateId) }
            if let template, Self.needsRealHost(template) {
                request.hostTags.insert(Self.realHostTag)
            } else {
                request.avoidHostIds.formUnion(zone.realHostIds)
            }
        }
        if let explicitHostId, excluding.contains(explicitHostId) {
            throw OrchestratorError(
                .invalidParameter,
                "Unable to place VM \(vm.name) on host \(explicitHostId): it is the host the VM runs on"
            )
        }
        let result: PlacementResult
        do {
            result = try DeploymentPlanner.plan(request: request, hosts: zone.candidates, settings: settings)
        } catch {
            switch error.code {
            case .hostNotFound: throw OrchestratorError(.invalidParameter, error.reason)
            default: throw OrchestratorError(.insufficientCapacity, error.reason)
            }
        }
        if explicitHostId != nil {
            return result.compactMap { zone.position[$0.id].map { zone.hosts[$0] } }
        }
        // The planner ran over `zone.candidates`, which are in the same order as `zone.hosts`.
        // Callers that only reserve take the first `limit` (copying every suitable host of a large zone costs
        // more than the planner); a caller whose reservations all lose asks again with fresh rows.
        let positions = limit.map { result.candidatePositions.prefix($0) } ?? result.candidatePositions[...]
        return positions.map { zone.hosts[$0] }
    }

    /// Reserves the VM's CPU and memory on the first host whose capacity compare-and-set succeeds.
    /// - Parameters:
    ///   - vm: the VM.
    ///   - hosts: the hosts to try, in order.
    /// - Returns: the host reserved on.
    /// - Throws: ``OrchestratorError`` 533 when every reservation lost.
    func reserve(_ vm: VirtualMachine, on hosts: [Host]) async throws(OrchestratorError) -> Host {
        for host in hosts {
            let reserved = try await self.run {
                try await self.store.reserveCapacity(hostId: host.id, cpu: vm.cpuDemand, memory: vm.memoryDemand)
            }
            if reserved { return host }
            // The inventory's copy of this host was stale (another server reserved on it): re-read it next time.
            self.store.hostChanges.changed(host.id)
        }
        throw OrchestratorError(
            .insufficientCapacity,
            "Unable to create a deployment for VM instance \(vm.name): no host has capacity"
        )
    }

    /// Reserves a starting VM's CPU and memory on the first host whose capacity compare-and-set succeeds, and
    /// records that host on the VM (atomically on PostgreSQL, see `CloudStore.reserveCapacity(...assigningTo:)`).
    /// - Parameters:
    ///   - vm: the VM (Starting, without a host).
    ///   - hosts: the hosts to try, in order.
    /// - Returns: the host reserved on, and the VM as now stored.
    /// - Throws: ``OrchestratorError`` 533 when every reservation lost; 530 when the VM changed concurrently.
    func reserveAndAssign(
        _ vm: VirtualMachine,
        on hosts: [Host]
    ) async throws(OrchestratorError) -> (Host, VirtualMachine) {
        for host in hosts {
            let outcome = try await self.run {
                try await self.store.reserveCapacity(
                    hostId: host.id,
                    cpu: vm.cpuDemand,
                    memory: vm.memoryDemand,
                    assigningTo: vm.id,
                    updateCount: vm.updateCount
                )
            }
            switch outcome {
            case .assigned:
                var assigned = vm
                assigned.hostId = host.id
                assigned.updateCount += 1
                return (host, assigned)
            case .hostFull:
                // The inventory's copy of this host was stale (another server reserved on it): re-read it next time.
                self.store.hostChanges.changed(host.id)
            case .virtualMachineChanged:
                try? await self.store.releaseCapacity(hostId: host.id, cpu: vm.cpuDemand, memory: vm.memoryDemand)
                throw OrchestratorError(.internalError, "VM \(vm.name) changed state concurrently; retry")
            }
        }
        throw OrchestratorError(
            .insufficientCapacity,
            "Unable to create a deployment for VM instance \(vm.name): no host has capacity"
        )
    }

    /// A host row as the planner sees it.
    static func candidate(_ host: Host) -> HostCandidate {
        HostCandidate(
            id: host.id,
            zoneId: host.zoneId,
            podId: host.podId,
            clusterId: host.clusterId,
            status: host.status,
            resourceState: host.resourceStatus,
            cpuCores: host.cpuNumber,
            cpuSpeedMHz: host.cpuSpeed,
            totalMemoryBytes: host.memory,
            usedCpuMHz: host.cpuUsed,
            usedMemoryBytes: host.memUsed,
            hostTags: Self.isReal(host) ? Self.tags(host.hostTags).union([Self.realHostTag]) : Self.tags(host.hostTags)
        )
    }

    /// The planner's tag of real (QEMU) hosts; never a user's tag (it starts with a control character).
    static let realHostTag = "\u{1}real-host"

    /// The hypervisor name real (QEMU) hosts register with, CloudStack's for its KVM agent.
    public static let realHypervisor = "KVM"

    /// Whether a host runs real VMs: a ``realHypervisor`` host registered by an agent.
    /// - Parameter host: the host.
    /// - Returns: true for a QEMU host.
    public static func isReal(_ host: Host) -> Bool {
        host.hypervisor == Self.realHypervisor && host.agentAddress != nil
    }

    /// Whether a template's VMs need a real host: KVM templates and ISOs.
    static func needsRealHost(_ template: Template) -> Bool {
        template.hypervisor.uppercased() == Self.realHypervisor || template.format.uppercased() == "ISO"
    }

    /// Comma-separated tags as a set (blank entries dropped).
    static func tags(_ text: String) -> Set<String> {
        guard !text.isEmpty else { return [] }
        return Set(text.split(separator: ",").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty })
    }
}
