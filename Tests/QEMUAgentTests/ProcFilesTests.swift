import Testing

@testable import QEMUAgent

struct ProcFilesTests {
    @Test func meminfoGivesTotalAndAvailableInBytes() {
        let text = "MemTotal:       24683784 kB\nMemFree:  100 kB\nMemAvailable:   24147040 kB\n"
        #expect(ProcFiles.memory(meminfo: text) == .init(total: 24_683_784 * 1024, available: 24_147_040 * 1024))
        #expect(ProcFiles.memory(meminfo: "MemTotal: 1 kB\n") == nil)
    }

    @Test func statCountsBusyAsAllButIdleAndIowait() {
        let text = "cpu  10 2 3 80 5 0 0 0 0 0\ncpu0 1 1 1 1 1 0 0 0 0 0\n"
        #expect(ProcFiles.cpuTimes(stat: text) == .init(busy: 15, total: 100))
    }

    @Test func processStatSkipsTheParenthesizedName() {
        let text = "1234 (qemu (x) y) S 1 2 3 4 5 6 7 8 9 10 70 30 0 0 20 0 1 0 100"
        #expect(ProcFiles.processCPUTicks(stat: text) == 100)
        #expect(ProcFiles.processStartTicks(stat: text) == 100)
        #expect(ProcFiles.residentPages(statm: "1000 250 10 1 0 5 0\n") == 250)
    }

    @Test(arguments: ["", ".", "..", "a/b", "../x", "/etc/passwd", "x\0y"])
    func pathsThatAreNotPlainNamesAreRefused(_ name: String) {
        #expect(!PlainName.isValid(name))
    }

    @Test func plainNamesAndDerivedInterfaceNamesFitLinux() {
        #expect(PlainName.isValid("3f1c.qcow2"))
        #expect(HostNetwork.bridgeName(network: "n1").utf8.count <= 15)
        #expect(HostNetwork.tapName(vm: "v", deviceId: 3).utf8.count <= 15)
        #expect(HostNetwork.tapName(vm: "v", deviceId: 3) == HostNetwork.tapName(vm: "v", deviceId: 3))
        #expect(HostNetwork.tapName(vm: "v", deviceId: 3) != HostNetwork.tapName(vm: "v", deviceId: 4))
    }
}
