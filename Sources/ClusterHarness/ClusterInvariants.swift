import CloudAPI

/// What must hold in a cluster after any load, however it went: checked through the API of a live server.
public enum ClusterInvariants {
    /// VM states that hold capacity on their host.
    static let holdingStates: Set<String> = ["Starting", "Running", "Stopping", "Migrating"]

    /// Every broken invariant, as sentences (empty when all hold):
    /// - no host is allocated past its capacity x overprovisioning;
    /// - every host's allocation equals the sum of the VMs holding capacity on it (nothing leaked);
    /// - no IP address is on two NICs of one network;
    /// - every Running VM is on a host that is Up;
    /// - no VM is left in a transitional state.
    /// - Parameter client: a client of a live server.
    /// - Returns: the violations.
    /// - Throws: ``CloudCallError`` when the API cannot be read.
    public static func violations(_ client: CloudClient) async throws -> [String] {
        var problems: [String] = []
        let hosts = try await client.list("listHosts", ["type": "Routing"])
        let vms = try await client.list("listVirtualMachines", ["listall": "true"])
        var cpuOnHost: [String: Int] = [:]
        var memoryOnHost: [String: Int] = [:]
        var addresses: [String: String] = [:]
        let hostState = Dictionary(
            hosts.compactMap { host in host["id"]?.stringValue.map { ($0, host["state"]?.stringValue ?? "") } },
            uniquingKeysWith: { first, _ in first }
        )
        for vm in vms {
            let id = vm["id"]?.stringValue ?? "?"
            let state = vm["state"]?.stringValue ?? "?"
            if ["Starting", "Stopping", "Migrating"].contains(state) {
                problems.append("VM \(id) is left \(state)")
            }
            if let host = vm["hostid"]?.stringValue, Self.holdingStates.contains(state) {
                cpuOnHost[host, default: 0] += (vm["cpunumber"]?.int ?? 0) * (vm["cpuspeed"]?.int ?? 0)
                memoryOnHost[host, default: 0] += (vm["memory"]?.int ?? 0) * 1024 * 1024
                if state == "Running", hostState[host] != "Up" {
                    problems.append("VM \(id) is Running on host \(host), which is \(hostState[host] ?? "unknown")")
                }
            }
            if case .array(let nics)? = vm["nic"] {
                for nic in nics {
                    guard let ip = nic["ipaddress"]?.stringValue, !ip.isEmpty else { continue }
                    let key = "\(nic["networkid"]?.stringValue ?? "")/\(ip)"
                    if let other = addresses[key], other != id {
                        problems.append("address \(ip) is on VMs \(other) and \(id)")
                    }
                    addresses[key] = id
                }
            }
        }
        for host in hosts {
            let id = host["id"]?.stringValue ?? "?"
            let cpuAllocated = host["cpuallocatedvalue"]?.int ?? 0
            let memoryAllocated = host["memoryallocated"]?.int ?? 0
            let cpuLimit = host["cpuwithoverprovisioning"]?.double ?? 0
            let memoryLimit = host["memorywithoverprovisioning"]?.double ?? 0
            if Double(cpuAllocated) > cpuLimit + 0.5 {
                problems.append("host \(id) has \(cpuAllocated) MHz allocated of \(cpuLimit)")
            }
            if Double(memoryAllocated) > memoryLimit + 0.5 {
                problems.append("host \(id) has \(memoryAllocated) bytes allocated of \(memoryLimit)")
            }
            if cpuAllocated != cpuOnHost[id, default: 0] || memoryAllocated != memoryOnHost[id, default: 0] {
                problems.append(
                    "host \(id) holds \(cpuAllocated) MHz / \(memoryAllocated) B but its VMs need "
                        + "\(cpuOnHost[id, default: 0]) MHz / \(memoryOnHost[id, default: 0]) B"
                )
            }
        }
        return problems
    }

    /// Cluster DRS's imbalance of memory allocation over `hosts` (population standard deviation / mean of each
    /// host's allocated memory), as CloudStack 4.19 computes it with `drs.metric=memory`.
    /// - Parameter hosts: `listHosts` items.
    /// - Returns: the imbalance (0 when nothing is allocated).
    public static func memoryImbalance(_ hosts: [APIValue]) -> Double {
        let used = hosts.map { Double($0["memoryallocated"]?.int ?? 0) }
        guard !used.isEmpty else { return 0 }
        let mean = used.reduce(0, +) / Double(used.count)
        guard mean > 0 else { return 0 }
        let variance = used.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(used.count)
        return variance.squareRoot() / mean
    }
}
