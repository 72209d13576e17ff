import Agent
import Logging
import QEMU

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Fencing before HA, as CloudStack's KVM HA does it (`KVMHAMonitor` writes a heartbeat on each pool,
/// `KVMHAChecker` and `checkVMActivityOnStoragePool` read it and the disks' activity from a neighbour):
///
/// - every agent writes its host's storage heartbeat, `PRIMARY/.zoostack-hb/HOSTID` (the time in seconds since
///   1970), every ``QEMUAgentConfiguration/heartbeatInterval``;
/// - `CheckOnHostCommand`, sent to a live agent on the same pool, answers that the checked host is alive when its
///   heartbeat is younger than ``QEMUAgentConfiguration/heartbeatTimeout`` (the host runs, cut off from the
///   management plane) or when a disk of its VMs is held open by a running QEMU (its agent died but its VMs did
///   not: QEMU holds an OFD lock on every image it has open, `file.locking=on`, which another process sees with
///   `F_GETLK`);
/// - a `StartCommand` whose disk is held open that way is refused before anything is made (and QEMU itself would
///   refuse the image lock).
extension QEMUHostAgent {
    /// Writes this host's heartbeat file (best effort: a pool that cannot be written shows the host as silent).
    func writeHeartbeat() {
        let directory = self.configuration.heartbeatDirectory
        let now = Date().timeIntervalSince1970
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try FileBytes.replaceFile(
                directory + "/" + self.hostId,
                with: Array("\(now)\n".utf8),
                mode: 0o644
            )
        } catch {
            self.logger.warning("cannot write the storage heartbeat", metadata: ["error": "\(error)"])
        }
    }

    /// The age of a host's heartbeat in seconds, nil when it has none (or an unreadable one).
    func heartbeatAge(of hostId: String) -> Double? {
        guard PlainName.isValid(hostId),
            let bytes = FileBytes.read(self.configuration.heartbeatDirectory + "/" + hostId, upTo: 64),
            let written = Double(String(decoding: bytes, as: UTF8.self).trimmedWhitespace)
        else { return nil }
        return Date().timeIntervalSince1970 - written
    }

    /// `CheckOnHostCommand`: whether `hostId` is still active on this pool (see the extension's notes).
    func checkOnHost(_ hostId: String, disks: [AgentDisk]) -> AgentAnswer {
        guard PlainName.isValid(hostId) else {
            return AgentAnswer(seq: 0, result: false, details: "CheckOnHostCommand needs a valid host id")
        }
        var signs: [String] = []
        let age = self.heartbeatAge(of: hostId)
        let timeout = self.configuration.heartbeatTimeout / .seconds(1)
        if let age, age < timeout { signs.append("its storage heartbeat is \(Int(age)) s old") }
        for disk in disks where PlainName.isValid(disk.path) {
            if Self.isHeldOpen(self.configuration.diskPath(disk.path)) {
                signs.append("disk \(disk.path) is held open by a running QEMU")
            }
        }
        var answer: AgentAnswer
        if signs.isEmpty {
            let heartbeat = age.map { "its storage heartbeat is \(Int($0)) s old" } ?? "it has no storage heartbeat"
            answer = AgentAnswer(
                seq: 0,
                result: true,
                details: "Host \(hostId) is not active on primary storage: \(heartbeat), and none of its "
                    + "\(disks.count) disks is in use"
            )
        } else {
            answer = AgentAnswer(
                seq: 0,
                result: true,
                details: "Host \(hostId) is alive: " + signs.joined(separator: "; ")
            )
        }
        answer.hostAlive = !signs.isEmpty
        return answer
    }

    /// Whether a disk is still held open after `grace`: a QEMU just killed (its VM reported stopped) releases its
    /// image locks only at the end of its exit, after its guest memory is unmapped, so a start right after the death
    /// may see them for a moment; a QEMU that runs keeps them.
    static func staysHeldOpen(_ path: String, grace: Duration = .seconds(3)) async -> Bool {
        let deadline = ContinuousClock.now + grace
        while Self.isHeldOpen(path) {
            guard ContinuousClock.now < deadline else { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Whether another process holds a lock on the file (QEMU locks every image it has open): `F_GETLK` for a
    /// write lock over the whole file reports any lock that would conflict, OFD locks included. A missing file is
    /// held by nobody.
    static func isHeldOpen(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 0
        guard fcntl(descriptor, F_GETLK, &lock) == 0 else { return false }
        return lock.l_type != Int16(F_UNLCK)
    }
}
