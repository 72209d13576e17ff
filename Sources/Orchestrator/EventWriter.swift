import CloudModel
import CloudStore
import Logging
import Synchronization

/// Group commit of event rows: concurrent recorders hand their events to one writer, which inserts everything
/// pending in one statement, then the next batch, until none is left. Each recorder returns once its events are
/// stored (or failed to be), so an event is listed as soon as the command that recorded it answered, while a busy
/// server writes a few statements for many commands instead of three per deployment.
final class EventWriter: Sendable {
    struct Pending {
        var events: [Event] = []
        var waiters: [CheckedContinuation<Void, Never>] = []
        var writing = false
    }

    let store: CloudStore
    let logger: Logger
    let pending = Mutex(Pending())

    init(store: CloudStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Queues `events` for the next batch without waiting for it (the API commands' events).
    func post(_ events: [Event]) {
        let lead = self.pending.withLock { pending -> Bool in
            pending.events += events
            if pending.writing { return false }
            pending.writing = true
            return true
        }
        if lead { Task { await self.drain() } }
    }

    /// Stores `events` with whatever else is pending; returns when they, and everything queued before them, are
    /// written. The first writer of a batch writes it (and whatever comes in meanwhile) in its own task; the others
    /// wait for it.
    func write(_ events: [Event]) async {
        var lead = false
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            lead = self.pending.withLock { pending -> Bool in
                pending.events += events
                if pending.writing {
                    pending.waiters.append(waiter)
                    return false
                }
                pending.writing = true
                return true
            }
            if lead { waiter.resume() }
        }
        if lead { await self.drain() }
    }

    /// Writes batches until nothing is pending.
    func drain() async {
        while true {
            let (events, waiters) = self.pending.withLock { pending -> ([Event], [CheckedContinuation<Void, Never>]) in
                let batch = (pending.events, pending.waiters)
                pending.events = []
                pending.waiters = []
                if batch.0.isEmpty && batch.1.isEmpty { pending.writing = false }
                return batch
            }
            if events.isEmpty && waiters.isEmpty { return }
            do {
                try await self.store.insertEvents(events)
            } catch {
                self.logger.error("cannot record events", metadata: ["count": "\(events.count)", "error": "\(error)"])
            }
            for waiter in waiters { waiter.resume() }
        }
    }
}
