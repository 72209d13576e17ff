import NIOCore
import Synchronization

/// The engine behind `QMPClient`: the state machine and the callers waiting on it, behind one lock. Actions are
/// carried out after the lock is released.
final class QMPConnection: Sendable {
    private struct Waiters {
        var machine: QMPStateMachine
        var channel: (any Channel)?
        var commands: [Int: CheckedContinuation<Result<JSONValue, QEMUError>, Never>] = [:]
        var deadlines: [Int: Scheduled<Void>] = [:]
        var ready: CheckedContinuation<Result<QMPGreeting, QEMUError>, Never>?
        var readyResult: Result<QMPGreeting, QEMUError>?
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
        var closed = false
    }

    private let state: Mutex<Waiters>
    private let events: AsyncStream<QMPEvent>.Continuation

    init(maxMessageLength: Int, events: AsyncStream<QMPEvent>.Continuation) {
        self.state = Mutex(Waiters(machine: QMPStateMachine(maxMessageLength: maxMessageLength)))
        self.events = events
    }

    var isClosed: Bool { self.state.withLock { $0.machine.isClosed } }

    func attach(_ channel: any Channel) {
        self.state.withLock { $0.channel = channel }
    }

    func waitReady() async -> Result<QMPGreeting, QEMUError> {
        await withCheckedContinuation { continuation in
            let done: Result<QMPGreeting, QEMUError>? = self.state.withLock { state in
                if let result = state.readyResult { return result }
                state.ready = continuation
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    func waitClosed() async {
        await withCheckedContinuation { continuation in
            let closed = self.state.withLock { state in
                if !state.closed { state.closeWaiters.append(continuation) }
                return state.closed
            }
            if closed { continuation.resume() }
        }
    }

    func execute(
        _ command: String,
        arguments: [String: JSONValue]?,
        timeout: Duration
    ) async -> Result<JSONValue, QEMUError> {
        await withCheckedContinuation { continuation in
            let (id, actions, channel) = self.state.withLock { state in
                let (id, actions) = state.machine.execute(command, arguments: arguments)
                state.commands[id] = continuation
                return (id, actions, state.channel)
            }
            if let channel {
                let deadline = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) { self.commandTimedOut(id: id) }
                // The reply may already be in: then there is nothing to time out.
                let answered = self.state.withLock { state in
                    if state.commands[id] != nil { state.deadlines[id] = deadline }
                    return state.commands[id] == nil
                }
                if answered { deadline.cancel() }
            }
            self.run(actions, on: channel)
        }
    }

    private func commandTimedOut(id: Int) {
        let (actions, channel) = self.state.withLock { ($0.machine.commandTimedOut(id: id), $0.channel) }
        self.run(actions, on: channel)
    }

    func received(_ bytes: ByteBufferView, on channel: any Channel) {
        let actions = self.state.withLock { $0.machine.received(bytes) }
        self.run(actions, on: channel)
    }

    func channelClosed() {
        let actions = self.state.withLock { $0.machine.channelClosed() }
        self.run(actions, on: nil)
        let waiters = self.state.withLock { state in
            state.closed = true
            defer { state.closeWaiters = [] }
            return state.closeWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func negotiationTimedOut() {
        let (actions, channel) = self.state.withLock { ($0.machine.negotiationTimedOut(), $0.channel) }
        self.run(actions, on: channel)
    }

    private func run(_ actions: [QMPStateMachine.Action], on channel: (any Channel)?) {
        for action in actions {
            switch action {
            case .write(let line):
                channel?.writeAndFlush(ByteBuffer(string: line), promise: nil)
            case .ready(let greeting):
                self.finishReady(.success(greeting))
            case .succeed(let id, let value):
                self.complete(id, .success(value))
            case .fail(let id, let error):
                self.complete(id, .failure(error))
            case .event(let event):
                self.events.yield(event)
            case .shutdown(let failing, let error):
                for id in failing { self.complete(id, .failure(error)) }
                self.finishReady(.failure(error))
                self.events.finish()
                channel?.close(promise: nil)
            }
        }
    }

    private func complete(_ id: Int, _ result: Result<JSONValue, QEMUError>) {
        let (waiter, deadline) = self.state.withLock {
            ($0.commands.removeValue(forKey: id), $0.deadlines.removeValue(forKey: id))
        }
        deadline?.cancel()
        waiter?.resume(returning: result)
    }

    private func finishReady(_ result: Result<QMPGreeting, QEMUError>) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Result<QMPGreeting, QEMUError>, Never>? in
            guard state.readyResult == nil else { return nil }
            state.readyResult = result
            defer { state.ready = nil }
            return state.ready
        }
        waiter?.resume(returning: result)
    }
}
