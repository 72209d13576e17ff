import CloudCore
import CloudModel
import CloudStore
import Coordination
import Logging
import Orchestrator
import Synchronization
import ZooKeeperRecipes

extension LeaderDuties {
    /// Hosts per status-move statement.
    static let livenessBatch = 500
    /// Hosts whose VMs are handled at once when a batch goes Down.
    static let downConcurrency = 4
    /// How often the queue is looked at when idle.
    static let livenessPoll: Duration = .milliseconds(100)

    /// Follows `/hosts`: hosts whose node disappears are marked Disconnected, and Down after the agent timeout with
    /// their VMs handled (``HostHAService``), unless fencing finds a real host still active on its storage: then it
    /// is in Alert and checked again after each wait. Hosts whose node comes back are marked Up. Hosts an earlier
    /// leader left Disconnected or Alert, without a node now, are declared Down after the agent timeout.
    ///
    /// Bounded however many hosts come or go together (an agent process with thousands of hosts dies): events only
    /// update a ``HostLivenessQueue``; one worker drains it in batches of ``livenessBatch`` hosts, each status move
    /// one statement, and handles the VMs of at most ``downConcurrency`` hosts at once.
    func hostLiveness(token: FencingToken) async {
        let directory = self.coordinator.hostDirectory
        let queue = LockedHostLivenessQueue()
        // Disconnected, or left in Alert by fencing, without a node: still silent, still to be declared Down.
        if let live = try? await directory.hosts().map(\.id),
            let disconnected = try? await self.core.store.list(
                Host.self,
                ListQuery(equals: [("state", HostStatus.disconnected.rawValue)])
            ).items,
            let alert = try? await self.core.store.list(
                Host.self,
                ListQuery(equals: [("state", HostStatus.alert.rawValue)])
            ).items,
            let wait = try? await self.core.hostHA.downWait()
        {
            let orphans = Set((disconnected + alert).map(\.id)).subtracting(live)
            queue.withLock { $0.wait(Array(orphans), until: .now + wait) }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in directory.events() {
                    queue.withLock { queue in
                        switch event {
                        case .disappeared(let id): queue.disappeared(id)
                        case .appeared(let host): queue.appeared(host.id)
                        }
                    }
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    if queue.withLock({ $0.hasWork(at: .now) }), await self.livenessPass(queue, token: token) {
                        continue
                    }
                    do { try await Task.sleep(for: Self.livenessPoll) } catch { return }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// One batch: hosts back first, then hosts lost, then hosts due Down (so a host's moves keep its events' order).
    /// - Returns: whether to look again at once (false when fenced out or after a failure, which waits a poll).
    func livenessPass(_ queue: LockedHostLivenessQueue, token: FencingToken) async -> Bool {
        guard (try? await self.fence(token)) != nil else { return false }
        let hostHA = self.core.hostHA
        let back = queue.withLock { $0.takeBack(Self.livenessBatch) }
        if !back.isEmpty {
            do {
                try await hostHA.hostsReconnected(back)
            } catch {
                queue.withLock { $0.retryBack(back) }
                self.logger.error(
                    "host reconnection failed",
                    metadata: ["hosts": "\(back.count)", "error": "\(error)"]
                )
                return false
            }
            return true
        }
        let lost = queue.withLock { $0.takeLost(Self.livenessBatch) }
        if !lost.isEmpty {
            do {
                let changed = try await hostHA.hostsDisconnected(lost)
                let wait = try await hostHA.downWait()
                queue.withLock { $0.wait(lost, until: .now + wait) }
                if !changed.isEmpty {
                    self.logger.warning("hosts disconnected", metadata: ["count": "\(changed.count)"])
                }
                return true
            } catch {
                queue.withLock { $0.retryLost(lost) }
                self.logger.error("host HA failed", metadata: ["hosts": "\(lost.count)", "error": "\(error)"])
                return false
            }
        }
        let due = queue.withLock { $0.takeDue(at: .now, Self.livenessBatch) }
        guard !due.isEmpty else { return false }
        do {
            var reports = try await hostHA.hostsDown(due, onlyIfDisconnected: true, concurrency: Self.downConcurrency)
            // Hosts fencing found alive (or could not check) wait and are checked again, as long as they are silent.
            let fenced = reports.filter { $0.value.fenced != nil }.map(\.key)
            if !fenced.isEmpty {
                let wait = try await hostHA.downWait()
                queue.withLock { $0.wait(fenced, until: .now + wait) }
                reports = reports.filter { $0.value.markedDown }
            }
            if !reports.isEmpty {
                self.logger.warning(
                    "hosts down",
                    metadata: [
                        "count": "\(reports.count)",
                        "restarted": "\(reports.values.map(\.restarted.count).reduce(0, +))",
                    ]
                )
            }
            return true
        } catch {
            // Still Disconnected: due again at the next look.
            queue.withLock { $0.wait(due, until: .now) }
            self.logger.error("host HA failed", metadata: ["hosts": "\(due.count)", "error": "\(error)"])
            return false
        }
    }
}

/// A ``HostLivenessQueue`` shared by the event reader and the worker.
final class LockedHostLivenessQueue: Sendable {
    private let state = Mutex(HostLivenessQueue())

    /// Runs `body` on the queue under the lock.
    func withLock<R: Sendable>(_ body: (inout HostLivenessQueue) -> R) -> R {
        self.state.withLock { body(&$0) }
    }
}
