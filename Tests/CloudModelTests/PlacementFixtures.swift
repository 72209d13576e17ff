import CloudModel

/// Builders shared by the placement tests.
enum PlacementFixtures {
    static let gib = 1 << 30

    /// A host in zone `z1` with 8 cores of 2000 MHz (16000 MHz) and 32 GiB unless told otherwise.
    static func host(
        _ id: String,
        cluster: String = "c1",
        pod: String = "p1",
        zone: String = "z1",
        status: HostCandidate.Status = .up,
        resourceState: HostCandidate.ResourceState = .enabled,
        cores: Int = 8,
        speed: Int = 2000,
        memoryGiB: Int = 32,
        usedCpu: Int = 0,
        usedMemoryGiB: Int = 0,
        tags: Set<String> = []
    ) -> HostCandidate {
        HostCandidate(
            id: id,
            zoneId: zone,
            podId: pod,
            clusterId: cluster,
            status: status,
            resourceState: resourceState,
            cpuCores: cores,
            cpuSpeedMHz: speed,
            totalMemoryBytes: memoryGiB * gib,
            usedCpuMHz: usedCpu,
            usedMemoryBytes: usedMemoryGiB * gib,
            hostTags: tags
        )
    }

    /// A request for 1 CPU of 1000 MHz and 1 GiB in zone `z1` for account `a1`.
    static func request(
        cpus: Int = 1,
        speed: Int = 1000,
        memoryGiB: Int = 1,
        tags: Set<String> = [],
        vms: [String: Int] = [:],
        antiAffinity: Set<String> = [],
        hostId: String? = nil
    ) -> PlacementRequest {
        PlacementRequest(
            zoneId: "z1",
            cpuNumber: cpus,
            cpuSpeedMHz: speed,
            memoryBytes: memoryGiB * gib,
            hostTags: tags,
            accountId: "a1",
            accountVMCountByHost: vms,
            antiAffinityHostIds: antiAffinity,
            hostId: hostId
        )
    }

    /// Plans with a seeded generator and returns the host ids, or the error.
    static func plan(
        _ request: PlacementRequest,
        _ hosts: [HostCandidate],
        _ algorithm: AllocationAlgorithm,
        settings: PlacementSettings = PlacementSettings(),
        seed: UInt64 = 42
    ) -> Result<[String], PlacementError> {
        var settings = settings
        settings.allocationAlgorithm = algorithm
        var generator = SplitMix64(seed: seed)
        do throws(PlacementError) {
            return .success(
                try DeploymentPlanner.plan(request: request, hosts: hosts, settings: settings, generator: &generator)
                    .hostIds
            )
        } catch {
            return .failure(error)
        }
    }
}
