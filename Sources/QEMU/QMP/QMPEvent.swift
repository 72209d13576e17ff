/// An asynchronous QMP event (`{"event": NAME, "data": {...}, "timestamp": {"seconds": S, "microseconds": U}}`,
/// qmp-spec.rst "Asynchronous events").
public struct QMPEvent: Sendable, Hashable {
    /// An event's name, as qapi/*.json spells it.
    public struct Name: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The name on the wire.
        public var rawValue: String
        /// Wraps a name.
        /// - Parameter rawValue: the name on the wire.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { self.rawValue }

        /// The guest stopped running (`stop`, a pause, an error).
        public static let stop = Name(rawValue: "STOP")
        /// The guest runs again (`cont`).
        public static let resume = Name(rawValue: "RESUME")
        /// The machine is shutting down (guest poweroff, `quit`, a signal); `data.guest` says who asked.
        public static let shutdown = Name(rawValue: "SHUTDOWN")
        /// The ACPI power button was pressed (`system_powerdown`).
        public static let powerdown = Name(rawValue: "POWERDOWN")
        /// The machine was reset.
        public static let reset = Name(rawValue: "RESET")
        /// A device finished unplugging.
        public static let deviceDeleted = Name(rawValue: "DEVICE_DELETED")
        /// A block job finished.
        public static let blockJobCompleted = Name(rawValue: "BLOCK_JOB_COMPLETED")
        /// A block job changed state.
        public static let jobStatusChange = Name(rawValue: "JOB_STATUS_CHANGE")
    }

    /// When QEMU emitted the event: seconds and microseconds since the Unix epoch (host clock).
    public struct Timestamp: Sendable, Hashable {
        /// Whole seconds.
        public var seconds: Int
        /// Microseconds within the second.
        public var microseconds: Int
        /// Makes a timestamp.
        /// - Parameters:
        ///   - seconds: whole seconds since the epoch.
        ///   - microseconds: microseconds within the second.
        public init(seconds: Int, microseconds: Int) {
            self.seconds = seconds
            self.microseconds = microseconds
        }
    }

    /// The event's name.
    public var name: Name
    /// Its data (an empty object when QEMU sent none).
    public var data: [String: JSONValue]
    /// When it happened.
    public var timestamp: Timestamp

    /// Makes an event.
    /// - Parameters:
    ///   - name: its name.
    ///   - data: its data.
    ///   - timestamp: when it happened.
    public init(name: Name, data: [String: JSONValue] = [:], timestamp: Timestamp) {
        self.name = name
        self.data = data
        self.timestamp = timestamp
    }
}

/// The server's greeting (`{"QMP": {"version": {...}, "capabilities": [...]}}`, qmp-spec.rst "Server Greeting").
public struct QMPGreeting: Sendable, Hashable {
    /// QEMU's version: major, minor, micro.
    public var major: Int
    /// The minor version.
    public var minor: Int
    /// The micro version.
    public var micro: Int
    /// The downstream package string (e.g. `Debian 1:7.2+dfsg-7`).
    public var package: String
    /// Capabilities the server offers (e.g. `oob`); the client enables none.
    public var capabilities: [String]

    /// Makes a greeting.
    /// - Parameters:
    ///   - major: major version.
    ///   - minor: minor version.
    ///   - micro: micro version.
    ///   - package: package string.
    ///   - capabilities: offered capabilities.
    public init(major: Int, minor: Int, micro: Int, package: String, capabilities: [String]) {
        self.major = major
        self.minor = minor
        self.micro = micro
        self.package = package
        self.capabilities = capabilities
    }
}
