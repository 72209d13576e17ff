import CloudModel
import Testing

@testable import CloudAPI

/// The one registry: each command's descriptor says whether it needs the cluster's coordination and what it records
/// in the event log; nothing is looked up by name in a side table.
struct CommandRegistryTests {
    /// An event as ``CommandRegistryPins/events`` spells it.
    static func pin(_ event: CommandEvent?) -> String {
        guard let event else { return "" }
        let resource = event.resource
        return [
            event.type.rawValue, event.action, resource.type ?? "", resource.label,
            resource.parameters.joined(separator: ","),
        ]
        .joined(separator: "|")
    }

    @Test func everyCommandRecordsTheEventAndNeedsTheCoordinationItDidBefore() throws {
        let registry = Dictionary(uniqueKeysWithValues: CommandCatalog.all.map { ($0.name, $0) })
        for (name, expected) in CommandRegistryPins.events.sorted(by: { $0.key < $1.key }) {
            let command = try #require(registry[name], "\(name) is no longer registered")
            #expect(Self.pin(command.event) == expected, "\(name)")
            #expect(command.isCoordinated == CommandRegistryPins.coordinated.contains(name), "\(name)")
        }
    }

    @Test func everyStateChangingCommandNamesItsEventAndEveryReadOnlyCommandRecordsNone() {
        let known = Set(EventType.all)
        for command in CommandCatalog.all {
            let readOnly = CommandDescriptor.readOnlyVerbs.contains(command.verb)
            switch command.events {
            case .readOnly:
                #expect(readOnly, "\(command.name) changes state (its verb is \(command.verb)) but names no event")
                #expect(!command.isCoordinated, "\(command.name) is read-only but needs coordination")
            case .records(let event):
                #expect(!readOnly, "\(command.name) only reads but records \(event.type)")
                #expect(known.contains(event.type), "\(command.name) records \(event.type), missing from EventType.all")
                #expect(!event.action.isEmpty, "\(command.name)")
            case .unrecorded(let reason):
                #expect(!readOnly, "\(command.name) only reads; it is .readOnly, not .unrecorded")
                #expect(!reason.isEmpty, "\(command.name) records no event and says not why")
            }
        }
    }

    @Test func everyCommandIsRegisteredOnceUnderItsName() {
        let names = CommandCatalog.all.map { $0.name.lowercased() }
        #expect(Set(names).count == names.count)
        #expect(CommandCatalog.all.allSatisfy { !$0.verb.isEmpty })
    }

    @Test func listEventTypesAnswersTheTypesItDidBefore() async throws {
        let cloud = try await TestCloud.make()
        let (status, body) = await cloud.call("listEventTypes")
        #expect(status == 200)
        #expect(body.items.compactMap { $0["name"]?.stringValue } == CommandRegistryPins.eventTypes)
    }

    @Test func eventTypesAreNamedOnceEach() {
        let raw = EventType.all.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        #expect(EventType.vmCreate.rawValue == "VM.CREATE")
        #expect(EventType(rawValue: "HA.VM.RESTART") == .haVMRestart)
    }
}
