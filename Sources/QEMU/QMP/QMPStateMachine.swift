/// The client side of a QMP session (qmp-spec.rst): the greeting, `qmp_capabilities` negotiation, commands matched
/// to replies by `id`, events, and the end of the connection. Pure (no I/O): each event returns the actions the
/// connection must carry out.
struct QMPStateMachine {
    enum Action: Equatable {
        /// Write this line (newline included) to the socket.
        case write(String)
        /// Negotiation is done: the session accepts commands.
        case ready(QMPGreeting)
        /// Command `id` succeeded with this `return` value.
        case succeed(id: Int, JSONValue)
        /// Command `id` failed.
        case fail(id: Int, QEMUError)
        /// Deliver an event.
        case event(QMPEvent)
        /// The session is over: fail these commands and a waiting connect with the error, finish the event
        /// stream, and close the socket.
        case shutdown(failing: [Int], QEMUError)
    }

    private enum State {
        case awaitingGreeting
        case negotiating(QMPGreeting)
        case ready
        case closed(QEMUError)
    }

    /// The id of the `qmp_capabilities` command; commands count from 1.
    static let capabilitiesID = 0

    private var state: State = .awaitingGreeting
    private var framer: QMPLineFramer
    private var nextID = 1
    /// Commands sent and not yet answered: id → command name.
    private var pending: [Int: String] = [:]
    /// Commands given up on (timed out) whose late replies are to be dropped.
    private var abandoned: Set<Int> = []

    init(maxMessageLength: Int) {
        self.framer = QMPLineFramer(maxMessageLength: maxMessageLength)
    }

    /// Whether the session is over.
    var isClosed: Bool {
        if case .closed = self.state { return true }
        return false
    }

    /// Sends a command.
    /// - Parameters:
    ///   - command: the command's name.
    ///   - arguments: its arguments, if any.
    /// - Returns: the id given to it and the actions (a write, or its failure).
    mutating func execute(_ command: String, arguments: [String: JSONValue]?) -> (id: Int, actions: [Action]) {
        let id = self.nextID
        self.nextID += 1
        switch self.state {
        case .ready:
            self.pending[id] = command
            var request: [String: JSONValue] = ["execute": .string(command), "id": .int(id)]
            if let arguments { request["arguments"] = .object(arguments) }
            return (id, [.write(JSONValue.object(request).jsonText + "\n")])
        case .awaitingGreeting, .negotiating:
            return (id, [.fail(id: id, QEMUError(.protocolError, "\(command): QMP session not negotiated"))])
        case .closed(let error):
            return (id, [.fail(id: id, QEMUError(.protocolError, "\(command): \(error.message)"))])
        }
    }

    /// Takes bytes read from the socket.
    /// - Parameter bytes: the bytes.
    /// - Returns: the actions, in order.
    mutating func received(_ bytes: some Collection<UInt8>) -> [Action] {
        if case .closed = self.state { return [] }
        let lines: [[UInt8]]
        do {
            lines = try self.framer.append(bytes)
        } catch {
            return self.shutdown(error)
        }
        var actions: [Action] = []
        for line in lines {
            do {
                actions += try self.message(JSONValue.parse(line))
            } catch {
                return actions + self.shutdown(error)
            }
            if case .closed = self.state { break }
        }
        return actions
    }

    /// The socket closed (QEMU quit or died, or the client closed it).
    /// - Returns: the actions.
    mutating func channelClosed() -> [Action] {
        switch self.state {
        case .awaitingGreeting, .negotiating, .ready:
            return self.shutdown(QEMUError(.protocolError, "QMP connection closed"))
        case .closed:
            return []
        }
    }

    /// Command `id` got no reply in time: it fails now, and its reply, if it ever comes, is dropped.
    /// - Parameter id: the command's id.
    /// - Returns: the actions.
    mutating func commandTimedOut(id: Int) -> [Action] {
        guard let command = self.pending.removeValue(forKey: id) else { return [] }
        self.abandoned.insert(id)
        return [.fail(id: id, QEMUError(.timeout, "\(command): no reply in time"))]
    }

    /// The greeting or the negotiation reply did not come in time.
    /// - Returns: the actions.
    mutating func negotiationTimedOut() -> [Action] {
        switch self.state {
        case .awaitingGreeting:
            return self.shutdown(QEMUError(.timeout, "no QMP greeting in time (another client connected?)"))
        case .negotiating:
            return self.shutdown(QEMUError(.timeout, "no reply to qmp_capabilities in time"))
        case .ready, .closed:
            return []
        }
    }

    private mutating func shutdown(_ error: QEMUError) -> [Action] {
        let failing = self.pending.keys.sorted()
        self.pending = [:]
        self.abandoned = []
        self.state = .closed(error)
        return [.shutdown(failing: failing, error)]
    }

    private mutating func message(_ message: JSONValue) throws(QEMUError) -> [Action] {
        switch self.state {
        case .awaitingGreeting:
            guard let greeting = message["QMP"] else {
                throw QEMUError(.protocolError, "expected the QMP greeting")
            }
            self.state = .negotiating(try Self.greeting(greeting))
            let negotiate: JSONValue = ["execute": "qmp_capabilities", "id": .int(Self.capabilitiesID)]
            return [.write(negotiate.jsonText + "\n")]
        case .negotiating(let greeting):
            if let event = try Self.event(message) { return [.event(event)] }
            guard message["id"] == .int(Self.capabilitiesID) else {
                throw QEMUError(.protocolError, "unexpected message during negotiation")
            }
            if message["return"] != nil {
                self.state = .ready
                return [.ready(greeting)]
            }
            throw Self.commandError("qmp_capabilities", message["error"])
        case .ready:
            if let event = try Self.event(message) { return [.event(event)] }
            if let id = message["id"]?.intValue, self.abandoned.remove(id) != nil { return [] }
            guard let id = message["id"]?.intValue, let command = self.pending.removeValue(forKey: id) else {
                throw QEMUError(.protocolError, "reply with an unknown id")
            }
            if let value = message["return"] { return [.succeed(id: id, value)] }
            guard message["error"] != nil else { throw QEMUError(.protocolError, "\(command): malformed reply") }
            return [.fail(id: id, Self.commandError(command, message["error"]))]
        case .closed:
            return []
        }
    }

    private static func greeting(_ value: JSONValue) throws(QEMUError) -> QMPGreeting {
        let version = value["version"]
        guard let qemu = version?["qemu"], let major = qemu["major"]?.intValue, let minor = qemu["minor"]?.intValue,
            let micro = qemu["micro"]?.intValue
        else { throw QEMUError(.protocolError, "QMP greeting without a version") }
        let capabilities = value["capabilities"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let package = version?["package"]?.stringValue ?? ""
        return QMPGreeting(major: major, minor: minor, micro: micro, package: package, capabilities: capabilities)
    }

    private static func event(_ message: JSONValue) throws(QEMUError) -> QMPEvent? {
        guard let name = message["event"] else { return nil }
        guard let name = name.stringValue, let timestamp = message["timestamp"],
            let seconds = timestamp["seconds"]?.intValue, let microseconds = timestamp["microseconds"]?.intValue
        else { throw QEMUError(.protocolError, "malformed QMP event") }
        return QMPEvent(
            name: QMPEvent.Name(rawValue: name),
            data: message["data"]?.objectValue ?? [:],
            timestamp: QMPEvent.Timestamp(seconds: seconds, microseconds: microseconds)
        )
    }

    private static func commandError(_ command: String, _ error: JSONValue?) -> QEMUError {
        let errorClass = error?["class"]?.stringValue ?? "GenericError"
        let desc = error?["desc"]?.stringValue ?? "no description"
        return QEMUError(.commandFailed, "\(command): \(errorClass): \(desc)")
    }
}
