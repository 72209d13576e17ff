/// How a znode is created (`CreateMode`), with its wire flag.
public struct CreateMode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire flag.
    public var rawValue: Int32
    /// Wraps a wire flag.
    /// - Parameter rawValue: the flag.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let persistent = CreateMode(rawValue: 0)
    public static let ephemeral = CreateMode(rawValue: 1)
    public static let persistentSequential = CreateMode(rawValue: 2)
    public static let ephemeralSequential = CreateMode(rawValue: 3)
    public static let container = CreateMode(rawValue: 4)
    public static let persistentWithTTL = CreateMode(rawValue: 5)
    public static let persistentSequentialWithTTL = CreateMode(rawValue: 6)

    /// Whether this is one of the seven modes ZooKeeper knows.
    public var isValid: Bool { (0...6).contains(self.rawValue) }
    /// Whether the node goes when its session ends.
    public var isEphemeral: Bool { self == .ephemeral || self == .ephemeralSequential }
    /// Whether the server appends a sequence number to the name.
    public var isSequential: Bool {
        self == .persistentSequential || self == .ephemeralSequential || self == .persistentSequentialWithTTL
    }
    /// Whether this is a container node.
    public var isContainer: Bool { self == .container }
    /// Whether the node carries a TTL.
    public var isTTL: Bool { self == .persistentWithTTL || self == .persistentSequentialWithTTL }

    public var description: String {
        switch self.rawValue {
        case 0: "PERSISTENT"
        case 1: "EPHEMERAL"
        case 2: "PERSISTENT_SEQUENTIAL"
        case 3: "EPHEMERAL_SEQUENTIAL"
        case 4: "CONTAINER"
        case 5: "PERSISTENT_WITH_TTL"
        case 6: "PERSISTENT_SEQUENTIAL_WITH_TTL"
        default: "CreateMode(\(self.rawValue))"
        }
    }
}

/// ACL permission bits (`ZooDefs.Perms`).
public struct Permissions: OptionSet, Hashable, Sendable {
    /// The bits.
    public var rawValue: Int32
    /// Wraps bits.
    /// - Parameter rawValue: the bits.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let read = Permissions(rawValue: 1 << 0)
    public static let write = Permissions(rawValue: 1 << 1)
    public static let create = Permissions(rawValue: 1 << 2)
    public static let delete = Permissions(rawValue: 1 << 3)
    public static let admin = Permissions(rawValue: 1 << 4)
    /// All five bits (31).
    public static let all: Permissions = [.read, .write, .create, .delete, .admin]

    /// zkCli.sh's letters: `c`reate, `d`elete, `r`ead, `w`rite, `a`dmin.
    public var letters: String {
        var s = ""
        if self.contains(.create) { s += "c" }
        if self.contains(.delete) { s += "d" }
        if self.contains(.read) { s += "r" }
        if self.contains(.write) { s += "w" }
        if self.contains(.admin) { s += "a" }
        return s
    }

    /// Parses zkCli.sh's letters (`cdrwa`).
    /// - Parameter letters: any of c, d, r, w, a.
    /// - Returns: the bits, or nil if a letter is unknown.
    public static func parse(letters: String) -> Permissions? {
        var perms: Permissions = []
        for ch in letters {
            switch ch {
            case "c": perms.insert(.create)
            case "d": perms.insert(.delete)
            case "r": perms.insert(.read)
            case "w": perms.insert(.write)
            case "a": perms.insert(.admin)
            default: return nil
            }
        }
        return perms
    }
}

/// A watch event type (`Watcher.Event.EventType`).
public struct EventType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value.
    /// - Parameter rawValue: the value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let none = EventType(rawValue: -1)
    public static let nodeCreated = EventType(rawValue: 1)
    public static let nodeDeleted = EventType(rawValue: 2)
    public static let nodeDataChanged = EventType(rawValue: 3)
    public static let nodeChildrenChanged = EventType(rawValue: 4)
    public static let dataWatchRemoved = EventType(rawValue: 5)
    public static let childWatchRemoved = EventType(rawValue: 6)
    public static let persistentWatchRemoved = EventType(rawValue: 7)

    public var description: String {
        switch self.rawValue {
        case -1: "None"
        case 1: "NodeCreated"
        case 2: "NodeDeleted"
        case 3: "NodeDataChanged"
        case 4: "NodeChildrenChanged"
        case 5: "DataWatchRemoved"
        case 6: "ChildWatchRemoved"
        case 7: "PersistentWatchRemoved"
        default: "EventType(\(self.rawValue))"
        }
    }
}

/// A session state (`Watcher.Event.KeeperState`).
public struct KeeperState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value.
    /// - Parameter rawValue: the value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unknown = KeeperState(rawValue: -1)
    public static let disconnected = KeeperState(rawValue: 0)
    public static let noSyncConnected = KeeperState(rawValue: 1)
    public static let syncConnected = KeeperState(rawValue: 3)
    public static let authFailed = KeeperState(rawValue: 4)
    public static let connectedReadOnly = KeeperState(rawValue: 5)
    public static let saslAuthenticated = KeeperState(rawValue: 6)
    public static let closed = KeeperState(rawValue: 7)
    public static let expired = KeeperState(rawValue: -112)

    public var description: String {
        switch self.rawValue {
        case -1: "Unknown"
        case 0: "Disconnected"
        case 1: "NoSyncConnected"
        case 3: "SyncConnected"
        case 4: "AuthFailed"
        case 5: "ConnectedReadOnly"
        case 6: "SaslAuthenticated"
        case 7: "Closed"
        case -112: "Expired"
        default: "KeeperState(\(self.rawValue))"
        }
    }
}

/// Which watches removeWatches/checkWatches name (`Watcher.WatcherType`).
public struct WatcherType: RawRepresentable, Hashable, Sendable {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value.
    /// - Parameter rawValue: the value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let children = WatcherType(rawValue: 1)
    public static let data = WatcherType(rawValue: 2)
    public static let any = WatcherType(rawValue: 3)
    /// 3.9+ only; 3.8 servers remove persistent watches with `.any`.
    public static let persistent = WatcherType(rawValue: 4)
    /// 3.9+ only.
    public static let persistentRecursive = WatcherType(rawValue: 5)
}

/// The mode of an addWatch request (`AddWatchMode`).
public struct AddWatchMode: RawRepresentable, Hashable, Sendable {
    /// The wire value.
    public var rawValue: Int32
    /// Wraps a wire value.
    /// - Parameter rawValue: the value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Fires data, children and delete events of the node itself, and stays.
    public static let persistent = AddWatchMode(rawValue: 0)
    /// Fires created, deleted and data events for the node and every descendant, and stays.
    public static let persistentRecursive = AddWatchMode(rawValue: 1)
}
