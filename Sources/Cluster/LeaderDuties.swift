import CloudCore
import CloudModel
import CloudStore
import Coordination
import Foundation
import Logging
import Orchestrator
import ZooKeeperRecipes

/// The cluster-wide work of the leader: host HA, automatic DRS, the orphaned-job sweep and the expunge thread.
/// ``run(token:)`` runs them all until it is cancelled, which the runtime does the moment leadership is lost.
///
/// Fencing: every leader-only database write is preceded by ``fence(_:)``, which checks that this server still
/// leads with the same token (locally) and that the epoch node still carries that token's epoch (a ZooKeeper read),
/// so a deposed leader stops before its next write; host ownership changes go through `fencedMulti`.
struct LeaderDuties: Sendable {
    let coordinator: Coordinator
    let core: CloudServices
    let configuration: ClusterConfiguration
    let logger: Logger

    /// Runs every duty under `token` until cancelled.
    func run(token: FencingToken) async {
        self.logger.info("leader duties started", metadata: ["epoch": "\(token.epoch)"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.hostLiveness(token: token) }
            group.addTask { await self.orphanedJobs(token: token) }
            group.addTask {
                await self.periodically(every: { _ in .seconds(60) }) { await self.automaticDrs(token: token) }
            }
            group.addTask {
                await self.periodically(every: { snapshot in
                    .seconds(max(snapshot.int(GlobalSettings.Name.expungeInterval) ?? 86400, 1))
                }) { await self.expunge(token: token) }
            }
            group.addTask { await self.membershipAlerts(token: token) }
            group.addTask {
                await self.periodically(every: { _ in .seconds(60) }) { await self.capacityAlerts(token: token) }
            }
            await group.waitForAll()
        }
        self.logger.info("leader duties stopped", metadata: ["epoch": "\(token.epoch)"])
    }

    /// Throws unless this server still leads under `token` (checked locally, then against the epoch node).
    func fence(_ token: FencingToken) async throws {
        try Task.checkCancellation()
        guard self.coordinator.leadership.token == token else {
            throw CoordinationError(.notLeader, "no longer the leader of epoch \(token.epoch)")
        }
        guard try await self.coordinator.currentEpoch() == token.epoch else {
            throw CoordinationError(.fenced, "leadership epoch \(token.epoch) was superseded")
        }
    }

    /// Runs `body` now and then every `interval` (read from the settings at each turn, so a changed interval
    /// applies from the next turn), until cancelled.
    func periodically(
        every interval: @Sendable (ConfigurationService.Snapshot) -> Duration,
        _ body: @Sendable () async -> Void
    ) async {
        var last: ContinuousClock.Instant?
        while !Task.isCancelled {
            let due = last.map { $0 + interval(self.core.configuration.cached) } ?? .now
            if ContinuousClock.now >= due {
                await body()
                last = .now
                continue
            }
            // Wake at least every second, so a shortened interval is noticed.
            do { try await Task.sleep(for: min(due - .now, .seconds(1))) } catch { return }
        }
    }

    // MARK: host HA

    /// Follows `/hosts`: a host whose node disappears goes through ``HostHAService/hostLost(_:)`` (Disconnected,
    /// then Down after the agent timeout, HA restarts, unless fencing finds it still alive); a host whose node comes
    /// back is reconnected. Hosts an earlier leader left Disconnected or Alert, without a node now, are declared
    /// Down after the agent timeout.
    func hostLiveness(token: FencingToken) async {
        let directory = self.coordinator.hostDirectory
        let hostHA = self.core.hostHA
        let pending = PendingHostTasks()
        defer { pending.cancelAll() }
        if let live = try? await directory.hosts().map(\.id) {
            // Disconnected, or left in Alert by fencing: still silent, still to be declared Down.
            for status in [HostStatus.disconnected, .alert] {
                let silent =
                    (try? await self.core.store.list(Host.self, ListQuery(equals: [("state", status.rawValue)])).items)
                    ?? []
                for host in silent where !live.contains(host.id) {
                    pending.replace(host.id) {
                        guard (try? await self.fence(token)) != nil else { return }
                        _ = try? await hostHA.downAfterWaits(host.id)
                    }
                }
            }
        }
        for await event in directory.events() {
            switch event {
            case .disappeared(let id):
                pending.replace(id) {
                    guard (try? await self.fence(token)) != nil else { return }
                    do {
                        if let report = try await hostHA.hostLost(id) {
                            self.logger.warning(
                                "host down",
                                metadata: ["host": "\(id)", "restarted": "\(report.restarted.count)"]
                            )
                        }
                    } catch {
                        self.logger.error("host HA failed", metadata: ["host": "\(id)", "error": "\(error)"])
                    }
                }
            case .appeared(let host):
                pending.replace(host.id) {
                    guard (try? await self.fence(token)) != nil else { return }
                    _ = try? await hostHA.hostReconnected(host.id)
                }
            }
        }
    }

    // MARK: orphaned jobs

    /// Fails the jobs of management servers that left, at each membership change and every sweep interval.
    func orphanedJobs(token: FencingToken) async {
        let (ticks, tick) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let members = self.coordinator.membershipChanges()
        let interval = self.configuration.sweepInterval
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in members { tick.yield() }
                tick.finish()
            }
            group.addTask {
                while !Task.isCancelled {
                    do { try await Task.sleep(for: interval) } catch { break }
                    tick.yield()
                }
                tick.finish()
            }
            group.addTask {
                for await _ in ticks {
                    do {
                        try await self.sweep(token: token)
                    } catch is CancellationError {
                        return
                    } catch let error as CoordinationError where error.code == .notLeader || error.code == .fenced {
                        return
                    } catch {
                        self.logger.warning("orphaned-job sweep failed", metadata: ["error": "\(error)"])
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// One sweep: reads the live members from ZooKeeper, then fails the pending jobs of every other owner (the
    /// leadership is checked again right before each job is written).
    /// - Returns: how many jobs were failed.
    @discardableResult
    func sweep(token: FencingToken) async throws -> Int {
        try await self.fence(token)
        let live = try await self.coordinator.members().map(\.id)
        let jobs = try await self.core.store.orphanedJobs(
            live: live,
            createdBefore: self.core.clock.now - self.configuration.orphanGrace
        )
        guard !jobs.isEmpty else { return 0 }
        var failed = 0
        for (_, owned) in Dictionary(grouping: jobs, by: { $0.owner ?? "" }) {
            failed += try await RestartRecovery.recover(
                jobs: owned,
                store: self.core.store,
                logger: self.logger,
                text: RestartRecovery.departedText,
                beforeEachWrite: { try await self.fence(token) }
            )
        }
        return failed
    }

    // MARK: alerts

    /// Raises CloudStack's `ALERT.MANAGEMENT` for every management server recorded Up that is no longer a member
    /// (killed or cut off): the row turns Down once, so a later leader raises nothing twice. A server raises its own
    /// "is up" alert when it joins; a graceful stop records Down itself and raises nothing.
    func membershipAlerts(token: FencingToken) async {
        for await members in self.coordinator.membershipChanges() {
            let live = Set(members.map(\.id))
            do {
                for row in try await self.core.store.managementServerRows()
                where row.state == "Up" && !live.contains(row.id) {
                    try await self.fence(token)
                    if try await self.core.store.markManagementServerDown(id: row.id, at: self.core.clock.now) {
                        await self.core.alerts.managementServerDown(id: row.id, address: row.serviceIp)
                    }
                }
            } catch is CancellationError {
                return
            } catch let error as CoordinationError where error.code == .notLeader || error.code == .fenced {
                return
            } catch {
                self.logger.warning("management server alerts failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// One turn of the capacity check: clusters past `cluster.cpu/memory.allocated.capacity.notificationthreshold`
    /// raise their alert.
    func capacityAlerts(token: FencingToken) async {
        guard (try? await self.fence(token)) != nil else { return }
        do {
            _ = try await self.core.capacityAlerts.check()
        } catch {
            self.logger.warning("capacity check failed", metadata: ["error": "\(error.message)"])
        }
    }

    // MARK: DRS and expunge

    /// One automatic DRS turn (a no-op unless `drs.automatic.enable`; DRS itself spaces runs per cluster by
    /// `drs.automatic.interval`).
    func automaticDrs(token: FencingToken) async {
        guard self.core.configuration.cached.bool(GlobalSettings.Name.drsAutomaticEnable) == true else { return }
        guard (try? await self.fence(token)) != nil else { return }
        do {
            let plans = try await self.core.drs.runAutomatic()
            if !plans.isEmpty { self.logger.info("automatic DRS", metadata: ["plans": "\(plans.count)"]) }
        } catch {
            self.logger.error("automatic DRS failed", metadata: ["error": "\(error.message)"])
        }
    }

    /// One expunge turn: destroyed VMs older than `expunge.delay` are expunged.
    func expunge(token: FencingToken) async {
        let delay = Double(self.core.configuration.cached.int(GlobalSettings.Name.expungeDelay) ?? 86400)
        guard
            let ids = try? await self.core.store.destroyedVirtualMachineIds(
                updatedBefore: self.core.clock.now - delay
            ),
            !ids.isEmpty
        else { return }
        for id in ids {
            guard (try? await self.fence(token)) != nil else { return }
            do {
                _ = try await self.core.virtualMachines.expunge(id: id)
            } catch {
                self.logger.warning("expunge failed", metadata: ["vm": "\(id)", "error": "\(error.message)"])
            }
        }
        self.logger.info("expunged destroyed VMs", metadata: ["count": "\(ids.count)"])
    }
}
