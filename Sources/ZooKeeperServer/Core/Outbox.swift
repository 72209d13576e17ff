import NIOCore

/// Where a connection's outgoing bytes go. The network handler implements it; tests record.
protocol ConnectionSink: AnyObject, Sendable {
    /// Writes the frames in order, then closes the connection if asked.
    ///
    /// Calls are made under the server's lock, in the order the server decided them; an implementation must keep
    /// that order (an event loop's task queue does).
    func send(_ frames: [ByteBuffer], close: Bool)
}

/// The frames one step of the server produced, per connection, in order.
struct Outbox: Sendable {
    private(set) var order: [ConnectionID] = []
    private(set) var items: [ConnectionID: (frames: [ByteBuffer], close: Bool)] = [:]
    /// How many of the frames answer requests (for the latency statistics).
    private(set) var replies = 0

    /// Whether nothing was produced.
    var isEmpty: Bool { self.order.isEmpty }

    /// Queues a frame for a connection.
    mutating func append(_ connection: ConnectionID, _ frame: ByteBuffer, isReply: Bool = false) {
        if isReply { self.replies += 1 }
        if self.items[connection] == nil {
            self.order.append(connection)
            self.items[connection] = ([], false)
        }
        self.items[connection]?.frames.append(frame)
    }

    /// Asks for a connection to close after its frames.
    mutating func close(_ connection: ConnectionID) {
        if self.items[connection] == nil {
            self.order.append(connection)
            self.items[connection] = ([], false)
        }
        self.items[connection]?.close = true
    }

    /// Appends another outbox's items after these.
    mutating func append(contentsOf other: Outbox) {
        for connection in other.order {
            guard let item = other.items[connection] else { continue }
            for frame in item.frames { self.append(connection, frame) }
            if item.close { self.close(connection) }
        }
    }
}
