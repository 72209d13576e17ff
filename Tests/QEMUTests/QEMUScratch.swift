import Foundation
import QEMU

#if canImport(Glibc)
import Glibc
#endif

/// A per-test run directory under /tmp (short, for unix socket paths). Whatever happens in the body, every QEMU
/// whose command line names the directory is killed and the directory is removed afterwards.
enum QEMUScratch {
    @discardableResult
    static func with<T>(_ body: (String) async throws -> T) async throws -> T {
        var template = Array("/tmp/qemu-t-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw QEMUError(.launchFailed, "mkdtemp failed") }
        let directory = String(cString: made)
        do {
            let result = try await body(directory)
            self.cleanUp(directory)
            return result
        } catch {
            self.cleanUp(directory)
            throw error
        }
    }

    /// A small TCG machine with no disk.
    static func machine(in directory: String, paused: Bool = false) -> QEMUMachine {
        var machine = QEMUMachine(name: "test", memoryMiB: 64, accelerator: .tcg, runDirectory: directory)
        machine.serialLog = false
        machine.startPaused = paused
        return machine
    }

    /// Live processes whose command line mentions `text`.
    static func processes(mentioning text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = Int32(entry), pid != getpid(),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            // A zombie's command line is empty.
            return String(decoding: cmdline, as: UTF8.self).contains(text) ? pid : nil
        }
    }

    private static func cleanUp(_ directory: String) {
        for pid in self.processes(mentioning: directory) { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The first event named `name`, or nil when none comes within `timeout` or the stream ends.
    static func event(
        _ name: QMPEvent.Name,
        on events: AsyncStream<QMPEvent>,
        timeout: Duration = .seconds(10)
    ) async -> QMPEvent? {
        await withTaskGroup(of: QMPEvent?.self) { group in
            group.addTask {
                for await event in events where event.name == name { return event }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Whether the stream finishes within `timeout` (events before the end are skipped).
    static func finishes(_ events: AsyncStream<QMPEvent>, timeout: Duration = .seconds(10)) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in events {}
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
