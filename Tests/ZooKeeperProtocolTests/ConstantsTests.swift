import Testing
import ZooKeeperProtocol

/// Permission bits and letters, event types, keeper states, watcher types and addWatch modes.
struct PermissionsTests {
    static let table: [(Permissions, Int32, String)] = [
        (.read, 1, "r"),
        (.write, 2, "w"),
        (.create, 4, "c"),
        (.delete, 8, "d"),
        (.admin, 16, "a"),
        (.all, 31, "cdrwa"),
        ([], 0, ""),
        ([.read, .write], 3, "rw"),
        ([.create, .admin], 20, "ca"),
    ]

    @Test(arguments: Self.table)
    func bitsAndLetters(perms: Permissions, bits: Int32, letters: String) {
        #expect(perms.rawValue == bits)
        #expect(perms.letters == letters)
        #expect(Permissions.parse(letters: letters) == perms)
    }

    @Test(arguments: ["adwrc", "rrr", "wr", "acr"])
    func parseIgnoresOrderAndRepeats(letters: String) {
        let perms = Permissions.parse(letters: letters)
        #expect(perms != nil)
        #expect(perms.map { Set($0.letters) } == Set(letters))
    }

    @Test(arguments: ["x", "R", "rwx", " r", "cdrwa!"])
    func parseRejectsUnknownLetters(letters: String) {
        #expect(Permissions.parse(letters: letters) == nil)
    }

    @Test func aclConstants() {
        #expect(ACL.openUnsafe == [ACL(perms: .all, id: Id(scheme: "world", id: "anyone"))])
        #expect(ACL.creatorAll == [ACL(perms: .all, id: Id(scheme: "auth", id: ""))])
        #expect(ACL.readUnsafe == [ACL(perms: .read, id: .anyone)])
    }
}

struct EventTypeTests {
    @Test(arguments: [
        (EventType.none, Int32(-1), "None"),
        (.nodeCreated, 1, "NodeCreated"),
        (.nodeDeleted, 2, "NodeDeleted"),
        (.nodeDataChanged, 3, "NodeDataChanged"),
        (.nodeChildrenChanged, 4, "NodeChildrenChanged"),
        (.dataWatchRemoved, 5, "DataWatchRemoved"),
        (.childWatchRemoved, 6, "ChildWatchRemoved"),
        (.persistentWatchRemoved, 7, "PersistentWatchRemoved"),
    ])
    func eventType(type: EventType, wire: Int32, name: String) throws {
        #expect(type.rawValue == wire)
        #expect(EventType(rawValue: wire) == type)
        #expect(type.description == name)
        let event = WatcherEvent(type: type, state: .syncConnected, path: "/")
        #expect(try decodeWhole(WatcherEvent.self, bytes(of: event)).type == type)
    }

    @Test func unknownEventType() {
        #expect(EventType(rawValue: 0).description == "EventType(0)")
    }
}

struct KeeperStateTests {
    @Test(arguments: [
        (KeeperState.unknown, Int32(-1), "Unknown"),
        (.disconnected, 0, "Disconnected"),
        (.noSyncConnected, 1, "NoSyncConnected"),
        (.syncConnected, 3, "SyncConnected"),
        (.authFailed, 4, "AuthFailed"),
        (.connectedReadOnly, 5, "ConnectedReadOnly"),
        (.saslAuthenticated, 6, "SaslAuthenticated"),
        (.closed, 7, "Closed"),
        (.expired, -112, "Expired"),
    ])
    func keeperState(state: KeeperState, wire: Int32, name: String) throws {
        #expect(state.rawValue == wire)
        #expect(KeeperState(rawValue: wire) == state)
        #expect(state.description == name)
        let event = WatcherEvent(type: .none, state: state, path: "")
        #expect(try decodeWhole(WatcherEvent.self, bytes(of: event)).state == state)
    }

    @Test func unknownKeeperState() {
        #expect(KeeperState(rawValue: 2).description == "KeeperState(2)")
    }
}

struct WatchModeTests {
    @Test(arguments: [
        (WatcherType.children, Int32(1)),
        (.data, 2),
        (.any, 3),
        (.persistent, 4),
        (.persistentRecursive, 5),
    ])
    func watcherType(type: WatcherType, wire: Int32) throws {
        #expect(type.rawValue == wire)
        #expect(WatcherType(rawValue: wire) == type)
        let request = RemoveWatchesRequest(path: "/w", type: type)
        #expect(try decodeWhole(CheckWatchesRequest.self, bytes(of: request)).type == type)
    }

    @Test(arguments: [(AddWatchMode.persistent, Int32(0)), (.persistentRecursive, 1)])
    func addWatchMode(mode: AddWatchMode, wire: Int32) throws {
        #expect(mode.rawValue == wire)
        #expect(AddWatchMode(rawValue: wire) == mode)
        let request = AddWatchRequest(path: "/w", mode: mode)
        #expect(try decodeWhole(AddWatchRequest.self, bytes(of: request)).mode == mode)
    }
}
