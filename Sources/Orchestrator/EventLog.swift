import CloudModel
import CloudStore
import Foundation
import Logging

/// Writes the event log (`listEvents`): every state-changing API command (recorded by the API dispatcher and
/// the async job runner), HA, host status changes, DRS runs. A failure to record is logged, never thrown: the
/// event log must not fail the operation it describes.
public struct EventLog: Sendable {
    let store: CloudStore
    let logger: Logger
    let clock: WallClock
    let writer: EventWriter

    /// Creates the log.
    /// - Parameters:
    ///   - store: the store holding the `event` table.
    ///   - logger: a logger.
    /// The log reads the store's clock.
    public init(store: CloudStore, logger: Logger) {
        self.store = store
        self.logger = logger
        self.clock = store.clock
        self.writer = EventWriter(store: store, logger: logger)
    }

    /// Records one event.
    /// - Parameters:
    ///   - type: CloudStack's event type (`VM.CREATE`, `HOST.DOWN`, `HA.VM.RESTART`, ...).
    ///   - description: what happened.
    ///   - level: `INFO`, `WARN` or `ERROR`.
    ///   - state: `Scheduled`, `Started`, `Completed` (the default) or `Created`.
    ///   - accountId: the owner; the system account when nil.
    ///   - userId: the user whose command caused it.
    ///   - resourceId: the resource.
    ///   - resourceType: the resource's type.
    ///   - startId: the `Scheduled` event this one continues.
    /// - Returns: the event's id, or nil when it could not be recorded.
    @discardableResult
    public func record(
        _ type: String,
        _ description: String,
        level: String = "INFO",
        state: String = "Completed",
        accountId: String? = nil,
        userId: String? = nil,
        resourceId: String? = nil,
        resourceType: String? = nil,
        startId: String? = nil
    ) async -> String? {
        do {
            let owner: String
            if let accountId {
                owner = accountId
            } else {
                owner = try await self.systemAccountId()
            }
            let event = Event(
                id: UUID().uuidString.lowercased(),
                type: type,
                state: state,
                description: description,
                level: level,
                accountId: owner,
                userId: userId,
                resourceId: resourceId,
                resourceType: resourceType,
                startId: startId,
                created: self.clock.now
            )
            await self.writer.write([event])
            return event.id
        } catch {
            self.logger.error("cannot record event", metadata: ["type": "\(type)", "error": "\(error)"])
            return nil
        }
    }

    /// Records prepared events (with whatever other events are pending, in one statement).
    /// - Parameter events: the events.
    public func record(_ events: [Event]) async {
        await self.writer.write(events)
    }

    /// Queues an event for the next batch without waiting (the API commands' events, on the deploy path): it is
    /// stored within milliseconds, and ``flush()`` waits for it.
    /// - Parameter event: the event.
    public func post(_ event: Event) {
        self.writer.post([event])
    }

    /// Waits until every event recorded or posted so far is stored (`listEvents`, `archiveEvents` and
    /// `deleteEvents` call it first, so that a command's events are listed once it answered).
    public func flush() async {
        await self.writer.write([])
    }

    /// The current time on the log's clock (seconds since 1970).
    public var now: Double { self.clock.now }

    /// The `system` account's id (the owner of infrastructure events).
    /// - Returns: the id, or "" when there is none.
    /// - Throws: ``StoreError``.
    func systemAccountId() async throws(StoreError) -> String {
        try await self.store.list(Account.self, ListQuery(equals: [("name", "system")])).items.first?.id ?? ""
    }
}
