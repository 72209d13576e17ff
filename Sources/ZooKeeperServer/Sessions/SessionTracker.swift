/// Sessions and their expiry (`SessionTrackerImpl` with its `ExpiryQueue`).
///
/// Pure: every method takes the current time. A session expires at `now + timeout` rounded up to the next
/// multiple of tickTime after its last touch, and `expired(now:)` reports it once that time has come.
struct SessionTracker: Sendable {
    /// One session.
    struct Session: Hashable, Sendable {
        /// The id.
        var id: Int64
        /// The negotiated timeout, in milliseconds.
        var timeout: Int32
        /// The 16 bytes a client must show to resume the session.
        var password: [UInt8]
        /// When the session expires unless touched, epoch milliseconds (a multiple of tickTime).
        var expiresAt: Int64
        /// Set once a closeSession is under way: the session can no longer be resumed.
        var closing: Bool
    }

    /// The live sessions by id.
    private(set) var sessions: [Int64: Session] = [:]
    /// The tick: expiry times are rounded up to a multiple of it.
    let tickTime: Int64
    private var nextId: Int64

    /// Makes a tracker.
    /// - Parameters:
    ///   - tickTime: the expiry granularity, in milliseconds.
    ///   - serverId: the top byte of every session id.
    ///   - now: the current time, epoch milliseconds; it seeds the ids (`initializeNextSessionId`).
    init(tickTime: Int64, serverId: Int64 = 0, now: Int64) {
        self.tickTime = max(1, tickTime)
        self.nextId = Self.initialSessionId(serverId: serverId, now: now)
    }

    /// `(serverId << 56) | ((now << 24) >>> 8)`, skipping the container marker.
    static func initialSessionId(serverId: Int64, now: Int64) -> Int64 {
        var id = Int64(bitPattern: UInt64(bitPattern: now << 24) >> 8) | (serverId << 56)
        if id == EphemeralKind.containerOwner { id += 1 }
        return id
    }

    /// Takes the next session id.
    mutating func allocateId() -> Int64 {
        var id = self.nextId
        while self.sessions[id] != nil || id == 0 { id &+= 1 }
        self.nextId = id &+ 1
        return id
    }

    /// The session with this id.
    func session(_ id: Int64) -> Session? { self.sessions[id] }

    /// Adds a session (a createSession txn, or recovery), expiring a full timeout from now.
    mutating func add(id: Int64, timeout: Int32, password: [UInt8], now: Int64) {
        self.sessions[id] = Session(
            id: id,
            timeout: timeout,
            password: password,
            expiresAt: self.roundUp(now + Int64(timeout)),
            closing: false
        )
        if id >= self.nextId && (id >> 56) == (self.nextId >> 56) { self.nextId = id &+ 1 }
    }

    /// Pushes a session's expiry out (`touchSession`), optionally with a new timeout.
    /// - Returns: false when the session is unknown or closing.
    @discardableResult
    mutating func touch(_ id: Int64, timeout: Int32? = nil, now: Int64) -> Bool {
        guard var session = self.sessions[id], !session.closing else { return false }
        if let timeout { session.timeout = timeout }
        session.expiresAt = max(session.expiresAt, self.roundUp(now + Int64(session.timeout)))
        self.sessions[id] = session
        return true
    }

    /// Marks a session as closing (`setSessionClosing`).
    mutating func setClosing(_ id: Int64) { self.sessions[id]?.closing = true }

    /// Forgets a session (after its closeSession txn).
    mutating func remove(_ id: Int64) { self.sessions[id] = nil }

    /// The sessions whose time has come, oldest first; each is marked closing so it is reported once.
    mutating func expire(now: Int64) -> [Int64] {
        let due = self.sessions.values.filter { !$0.closing && $0.expiresAt <= now }
            .sorted { ($0.expiresAt, $0.id) < ($1.expiresAt, $1.id) }
        for session in due { self.sessions[session.id]?.closing = true }
        return due.map(\.id)
    }

    private func roundUp(_ time: Int64) -> Int64 {
        (time / self.tickTime + 1) * self.tickTime
    }
}
