import CloudModel
import Testing

struct PlacementSettingsTests {
    @Test func defaultsAreCloudStacks() {
        let settings = PlacementSettings()
        #expect(settings.allocationAlgorithm == .random)
        #expect(settings.cpuOverprovisioningFactor == 1)
        #expect(settings.memoryOverprovisioningFactor == 1)
        #expect(settings.clusterCpuDisableThreshold == 0.85)
        #expect(settings.clusterMemoryDisableThreshold == 0.85)
        #expect(settings.clusterThresholdEnabled)
        #expect(settings.capacityTypeToOrderClusters == .cpu)
    }

    @Test(arguments: AllocationAlgorithm.allCases)
    func algorithmNames(algorithm: AllocationAlgorithm) {
        let settings = PlacementSettings(configuration: ["vm.allocation.algorithm": algorithm.rawValue.uppercased()])
        #expect(settings.allocationAlgorithm == algorithm)
    }

    @Test func readsConfiguration() {
        let settings = PlacementSettings(configuration: [
            "vm.allocation.algorithm": "userconcentratedpod_firstfit",
            "cpu.overprovisioning.factor": "2.5",
            "mem.overprovisioning.factor": "1.5",
            "cluster.cpu.allocated.capacity.disablethreshold": "0.7",
            "cluster.memory.allocated.capacity.disablethreshold": "0.9",
            "cluster.threshold.enabled": "FALSE",
            "host.capacityType.to.order.clusters": "ram",
        ])
        #expect(
            settings
                == PlacementSettings(
                    allocationAlgorithm: .userconcentratedpodFirstfit,
                    cpuOverprovisioningFactor: 2.5,
                    memoryOverprovisioningFactor: 1.5,
                    clusterCpuDisableThreshold: 0.7,
                    clusterMemoryDisableThreshold: 0.9,
                    clusterThresholdEnabled: false,
                    capacityTypeToOrderClusters: .ram
                )
        )
    }

    @Test func unparsableValuesKeepDefaults() {
        let settings = PlacementSettings(configuration: [
            "vm.allocation.algorithm": "bestfit",
            "cpu.overprovisioning.factor": "lots",
            "mem.overprovisioning.factor": "-1",
            "cluster.threshold.enabled": "maybe",
            "host.capacityType.to.order.clusters": "DISK",
        ])
        #expect(settings == PlacementSettings())
    }

    @Test func clusterOverridesWin() {
        let settings = PlacementSettings(
            cpuOverprovisioningFactor: 2,
            memoryOverprovisioningFactor: 3,
            clusterCpuOverprovisioningFactors: ["c1": 4],
            clusterMemoryOverprovisioningFactors: ["c2": 5]
        )
        #expect(settings.cpuOverprovisioningFactor(cluster: "c1") == 4)
        #expect(settings.cpuOverprovisioningFactor(cluster: "c2") == 2)
        #expect(settings.memoryOverprovisioningFactor(cluster: "c1") == 3)
        #expect(settings.memoryOverprovisioningFactor(cluster: "c2") == 5)
    }
}
