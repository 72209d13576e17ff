import CloudModel
import CloudStore
import Foundation

/// The inventory `bench cloud` runs against: a zone of large simulator hosts with a guest network big enough for
/// every VM, and a bulk-loaded population of VMs for the list phase.
struct CloudBenchZone {
    let zone: Zone
    let network: Network
    let template: Template
    let offering: ServiceOffering

    /// Creates the zone, its pod, cluster, `hosts` hosts (64 cores x 3 GHz, 1 TiB each), a primary store, a
    /// /12 guest network, a ready template and an offering of 1 CPU x 500 MHz, 512 MB. With `agentAddress`, every
    /// host is driven by the agent there.
    static func seed(
        store: CloudStore,
        hosts: Int,
        clusters: Int = 1,
        ownerAccountId: String,
        varied: Bool = false,
        agentAddress: String? = nil
    ) async throws -> CloudBenchZone {
        func uuid() -> String { UUID().uuidString.lowercased() }
        let zone = Zone(id: uuid(), name: "Bench-\(uuid().prefix(8))")
        try await store.insert(zone)
        let pod = Pod(id: uuid(), name: "BENCHPOD", zoneId: zone.id, gateway: "172.30.0.1", netmask: "255.255.0.0")
        try await store.insert(pod)
        let clusterRows = (0..<max(1, clusters)).map { index in
            Cluster(id: uuid(), name: "BENCHC\(index)", podId: pod.id, zoneId: zone.id, hypervisor: "Simulator")
        }
        try await store.insertAll(clusterRows)
        var generator = SplitMix64(seed: 1)
        try await store.insertAll(
            (0..<hosts).map { index in
                // Varied: 8-64 cores, 64-512 GiB, 0-70% used, as `bench placement` builds them.
                let cores = varied ? [8, 16, 32, 64].randomElement(using: &generator)! : 64
                let memory = varied ? [64, 128, 256, 512].randomElement(using: &generator)! << 30 : 1 << 40
                let used = varied ? Double.random(in: 0...0.7, using: &generator) : 0
                var host = CloudModel.Host(
                    id: uuid(),
                    name: "BenchAgent.\(index)",
                    zoneId: zone.id,
                    podId: pod.id,
                    clusterId: clusterRows[index % clusterRows.count].id,
                    ipAddress: "172.30.\(index / 250).\(index % 250 + 2)",
                    hypervisor: "Simulator",
                    cpuNumber: cores,
                    cpuSpeed: 3000,
                    memory: memory,
                    agentAddress: agentAddress
                )
                host.cpuUsed = Int(Double(cores * 3000) * used)
                host.memUsed = Int(Double(memory) * used)
                return host
            }
        )
        let cluster = clusterRows[0]
        try await store.insert(
            StoragePool(id: uuid(), name: "BENCHPS0", zoneId: zone.id, clusterId: cluster.id, capacity: 1 << 50)
        )
        let network = Network(
            id: uuid(),
            name: "benchGuestNetwork",
            zoneId: zone.id,
            gateway: "10.16.0.1",
            netmask: "255.240.0.0",
            startIp: "10.16.0.2",
            endIp: "10.31.255.254"
        )
        try await store.insert(network)
        let template = Template(
            id: uuid(),
            name: "bench-template",
            displayText: "bench template",
            format: "VHD",
            hypervisor: "Simulator",
            osTypeName: "Ubuntu 22.04 LTS",
            url: "http://simulator/bench",
            isPublic: true,
            isFeatured: true,
            accountId: ownerAccountId,
            zoneId: zone.id,
            status: "Download Complete",
            isReady: true,
            size: 2 << 30,
            created: store.clock.now
        )
        try await store.insert(template)
        let offering = ServiceOffering(
            id: uuid(),
            name: "bench-offering",
            displayText: "bench offering",
            cpuNumber: 1,
            cpuSpeed: 500,
            memory: 512,
            created: store.clock.now
        )
        try await store.insert(offering)
        return CloudBenchZone(zone: zone, network: network, template: template, offering: offering)
    }

    /// Bulk-loads `count` stopped VMs owned by `accountId`, each with its root volume and a NIC whose address
    /// comes after the first `skipAddresses` of the network (left to the deploy phase).
    func loadVirtualMachines(
        store: CloudStore,
        count: Int,
        accountId: String,
        skipAddresses: Int
    ) async throws {
        let base: UInt32 = (10 << 24) | (16 << 16) | 2
        let batch = 2000
        var done = 0
        while done < count {
            let size = min(batch, count - done)
            var vms: [VirtualMachine] = []
            var volumes: [Volume] = []
            var nics: [Nic] = []
            for index in done..<(done + size) {
                let id = UUID().uuidString.lowercased()
                let now = store.clock.now
                vms.append(
                    VirtualMachine(
                        id: id,
                        name: "bench-vm-\(index)",
                        displayName: "bench-vm-\(index)",
                        accountId: accountId,
                        zoneId: self.zone.id,
                        hostId: nil,
                        templateId: self.template.id,
                        serviceOfferingId: self.offering.id,
                        state: .stopped,
                        cpuNumber: 1,
                        cpuSpeed: 500,
                        memory: 512,
                        created: now
                    )
                )
                volumes.append(
                    Volume(
                        id: UUID().uuidString.lowercased(),
                        name: "ROOT-bench-vm-\(index)",
                        vmId: id,
                        zoneId: self.zone.id,
                        type: "ROOT",
                        size: self.template.size,
                        state: "Ready",
                        created: now
                    )
                )
                let address = base + UInt32(skipAddresses + index)
                nics.append(
                    Nic(
                        id: UUID().uuidString.lowercased(),
                        vmId: id,
                        networkId: self.network.id,
                        ipAddress: "\(address >> 24).\((address >> 16) & 255).\((address >> 8) & 255).\(address & 255)",
                        netmask: self.network.netmask,
                        gateway: self.network.gateway,
                        macAddress: String(
                            format: "02:01:%02x:%02x:%02x:%02x",
                            0,
                            (index >> 16) & 255,
                            (index >> 8) & 255,
                            index & 255
                        ),
                        isDefault: true
                    )
                )
            }
            try await store.insertAll(vms)
            try await store.insertAll(volumes)
            try await store.insertAll(nics)
            done += size
        }
    }
}
