import CloudCore
import CloudModel
import Foundation
import Orchestrator

/// Records one command's events: the dispatcher's single `Completed` event of a sync command, and the
/// `Scheduled` → `Started` → `Completed` events of an async job (``CommandContext/submitJob(instanceType:instanceId:returnsId:work:)``).
struct CommandEventRecorder: Sendable {
    let log: EventLog
    let event: CommandEvent
    let accountId: String
    let userId: String
    var resourceId: String?

    /// The recorder of `context`'s command, nil when its descriptor declares no event.
    init?(_ context: CommandContext, resourceId: String? = nil) {
        guard let event = context.event else { return nil }
        self.log = context.server.events
        self.event = event
        self.accountId = context.caller.account.id
        self.userId = context.caller.user.id
        self.resourceId = resourceId ?? event.resourceId(in: context.parameters)
    }

    var description: String { self.event.description(resourceId: self.resourceId) }

    /// Records an event of this command: queued for the event log's next batch, not waited for.
    /// - Returns: the event's id.
    @discardableResult
    func record(_ description: String, state: String, level: String = "INFO", startId: String? = nil) -> String {
        let event = Event(
            id: UUID().uuidString.lowercased(),
            type: self.event.type.rawValue,
            state: state,
            description: description,
            level: level,
            accountId: self.accountId,
            userId: self.userId,
            resourceId: self.resourceId,
            resourceType: self.event.resource.type,
            startId: startId,
            created: self.log.now
        )
        self.log.post(event)
        return event.id
    }

    /// A sync command's outcome: `Completed`, INFO with "Successfully completed ..." or ERROR with "Error while ...".
    /// - Parameter result: the handler's result (its object's `id` names a created resource), nil on failure.
    mutating func completed(_ result: CommandResult?) async {
        if self.resourceId == nil, case .object(_, let value)? = result, case .object = value {
            self.resourceId = value["id"]?.stringValue
        }
        if result == nil {
            self.record("Error while \(self.description)", state: "Completed", level: "ERROR")
        } else {
            self.record("Successfully completed \(self.description)", state: "Completed")
        }
    }

    /// An async job was queued: the `Scheduled` event.
    /// - Returns: its id, the `startid` of the job's later events.
    func scheduled() async -> String? {
        self.record(Self.capitalized(self.description), state: "Scheduled")
    }

    /// The job began: the `Started` event.
    func started(startId: String?) async {
        self.record("Starting job for \(self.description)", state: "Started", startId: startId)
    }

    /// The job ended: `Completed`, INFO or ERROR.
    /// - Parameters:
    ///   - success: whether it succeeded.
    ///   - startId: the `Scheduled` event.
    func finished(success: Bool, startId: String?) async {
        if success {
            self.record("Successfully completed \(self.description)", state: "Completed", startId: startId)
        } else {
            self.record("Error while \(self.description)", state: "Completed", level: "ERROR", startId: startId)
        }
    }

    static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
