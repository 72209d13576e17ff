/// Polls `condition` until it holds (a thrown error counts as "not yet") or `timeout` passes.
/// - Parameters:
///   - what: what is awaited, for the error.
///   - timeout: how long to wait.
///   - pause: the pause between tries.
///   - condition: the condition.
/// - Returns: how long it took to hold.
/// - Throws: ``HarnessError`` when it did not hold in time; `CancellationError`.
@discardableResult
public func poll(
    _ what: String,
    timeout: Duration,
    every pause: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws -> Duration {
    let start = ContinuousClock.now
    while true {
        if (try? await condition()) == true { return ContinuousClock.now - start }
        guard ContinuousClock.now - start < timeout else { throw HarnessError("\(what): not within \(timeout)") }
        try await Task.sleep(for: pause)
    }
}
