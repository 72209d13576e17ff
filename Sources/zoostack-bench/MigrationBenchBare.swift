import Foundation
import QEMU

#if canImport(Glibc)
import Glibc
#endif

/// The bare peer of `migrateVirtualMachine`: QEMU-to-QEMU live migration driven over QMP by the bench alone, with
/// the machine the agent builds (`BareBoot.machine`) and the agent's steps: the destination started with
/// `-incoming defer` on the same disks and a tap of its own on the guest's bridge, `migrate-incoming
/// tcp:127.0.0.1:0`, `migrate` on the source, `query-migrate` every 100 ms, then the source quits.
enum BareMigration {
    /// Boots the guest, waits for its ready line, migrates it `rounds` times (each from the last destination) and
    /// kills whatever QEMU is left, deleting its taps and bridge, also on failure.
    /// - Returns: each migration's figures.
    static func run(
        hostname: String,
        template: String,
        memoryMiB: Int,
        accelerator: String,
        directory: String,
        userData: String,
        rounds: Int,
        timeout: Duration
    ) async throws -> [MigrationFigures] {
        let size = try await DiskImage.info(template).virtualSize
        let bridge = "zsbrm\(getpid())"
        let mac = "02:00:00:be:0f:01"
        var taps: [String] = []
        var running: QEMUProcess?
        do {
            var machine = try await BareBoot.machine(
                hostname: hostname,
                mac: mac,
                template: template,
                size: size,
                memoryMiB: memoryMiB,
                accelerator: accelerator,
                directory: directory + "/0",
                userData: userData
            )
            let firstTap = "zstm\(getpid())r0"
            try await BareBoot.attach(tap: firstTap, bridge: bridge)
            taps.append(firstTap)
            machine.nics = [.init(bridge: bridge, mac: mac, tap: firstTap)]
            let began = BenchPhase.now()
            running = try await QEMUProcess.launch(machine)
            _ = try await BootWatch.run(machine.runDirectory, hostname: hostname, since: began, timeout: timeout)
            try await Task.sleep(for: .seconds(2))
            var figures: [MigrationFigures] = []
            for round in 1...rounds {
                guard let source = running else { break }
                var destinationMachine = machine
                destinationMachine.runDirectory = directory + "/\(round)"
                destinationMachine.incoming = "defer"
                let tap = "zstm\(getpid())r\(round)"
                let start = BenchPhase.now()
                try await BareBoot.attach(tap: tap, bridge: bridge)
                taps.append(tap)
                destinationMachine.nics = [.init(bridge: bridge, mac: mac, tap: tap)]
                let destination = try await QEMUProcess.launch(destinationMachine)
                running = destination
                let (totalTime, downtime) = try await Self.migrate(source, to: destination, timeout: timeout)
                try await source.quit(timeout: .seconds(10))
                // The source's tap goes before the figure, as the agent deletes it before it answers.
                await Self.delete(link: taps.removeFirst())
                figures.append(
                    MigrationFigures(wall: BootWatch.elapsed(since: start), totalTime: totalTime, downtime: downtime)
                )
                machine = destinationMachine
                try await Task.sleep(for: .seconds(1))
            }
            try? await running?.kill()
            for link in taps + [bridge] { await Self.delete(link: link) }
            return figures
        } catch {
            VMBenchLab.killQEMUs(under: directory)
            try? await running?.kill()
            for link in taps + [bridge] { await Self.delete(link: link) }
            throw error
        }
    }

    /// Deletes a tap or bridge when it exists.
    private static func delete(link: String) async {
        guard !link.isEmpty, FileManager.default.fileExists(atPath: "/sys/class/net/\(link)") else { return }
        _ = try? await HostTool.run("ip", ["link", "del", link])
    }

    /// The agent's migration over QMP: the destination listens, the source sends, `query-migrate` until done.
    /// - Returns: QEMU's total time and downtime, ms.
    private static func migrate(
        _ source: QEMUProcess,
        to destination: QEMUProcess,
        timeout: Duration
    ) async throws -> (Int, Int) {
        try await destination.qmp.execute("migrate-incoming", arguments: ["uri": .string("tcp:127.0.0.1:0")])
        let listening = try await destination.qmp.execute("query-migrate")
        guard let socket = listening["socket-address"]?.arrayValue?.first,
            let port = socket["port"]?.stringValue ?? socket["port"]?.intValue.map({ String($0) })
        else { throw BenchError("the destination's query-migrate names no port: \(listening)") }
        try await source.qmp.execute("migrate", arguments: ["uri": .string("tcp:127.0.0.1:\(port)")])
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let info = try await source.qmp.execute("query-migrate")
            switch info["status"]?.stringValue ?? "none" {
            case "completed":
                return (info["total-time"]?.intValue ?? 0, info["downtime"]?.intValue ?? 0)
            case "failed", "cancelled":
                throw BenchError("bare migration failed: \(info["error-desc"]?.stringValue ?? "\(info)")")
            default:
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        _ = try? await source.qmp.execute("migrate_cancel")
        throw BenchError("bare migration did not complete within \(timeout)")
    }
}
