import QEMU
import Testing

struct KernelModulesTests {
    static let modulesDep = """
        kernel/drivers/virtio/virtio_ring.ko:
        kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko
        kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
        kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko \
        kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
        kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko
        kernel/net/core/failover.ko:
        kernel/drivers/scsi/sr_mod.ko: kernel/drivers/cdrom/cdrom.ko
        kernel/drivers/cdrom/cdrom.ko:

        """

    @Test func ordersEachModuleAfterWhatItNeedsOnce() {
        let modules = KernelModules(modulesDep: Self.modulesDep, modulesBuiltin: "")
        let order = modules.loadOrder(for: ["virtio_blk", "virtio-net", "sr_mod"])
        #expect(
            order == [
                "kernel/drivers/virtio/virtio_ring.ko", "kernel/drivers/virtio/virtio.ko",
                "kernel/drivers/block/virtio_blk.ko", "kernel/net/core/failover.ko",
                "kernel/drivers/net/net_failover.ko", "kernel/drivers/net/virtio_net.ko",
                "kernel/drivers/cdrom/cdrom.ko", "kernel/drivers/scsi/sr_mod.ko",
            ]
        )
    }

    @Test func leavesOutBuiltinAndUnknownModules() {
        let modules = KernelModules(
            modulesDep: Self.modulesDep,
            modulesBuiltin: "kernel/drivers/cdrom/cdrom.ko\nkernel/drivers/virtio/virtio_pci.ko\n"
        )
        #expect(modules.isBuiltin("virtio_pci"))
        #expect(
            modules.loadOrder(for: ["virtio_pci", "sr_mod", "no_such_module"]) == ["kernel/drivers/scsi/sr_mod.ko"]
        )
    }
}
