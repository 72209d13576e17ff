import Foundation
import Synchronization

/// One timed phase of a benchmark: `ops` operations, at most `window` in flight, each one's latency recorded.
///
/// The semantics of `ZkBench.run` (shared/tools/zkbench): operation `i` starts when a slot is free and goes
/// to client `i % clients`; its latency runs from its start to its completion; the throughput is `ops` over the
/// phase's wall time.
struct BenchPhase: Sendable {
    /// The phase's name (`create`, `get`, ...).
    var name: String
    /// The operations done.
    var ops: Int
    /// The phase's wall time, in nanoseconds.
    var elapsedNanoseconds: UInt64
    /// Every operation's latency in nanoseconds, sorted.
    var latencies: [UInt64]

    /// Runs a phase with `window` workers that each take the next operation index until `ops` are done.
    /// - Parameters:
    ///   - name: the phase's name.
    ///   - ops: how many operations.
    ///   - window: how many in flight at most.
    ///   - executor: where the workers run (nil: the global concurrent executor).
    ///   - operation: performs operation `i`.
    /// - Returns: the measured phase.
    /// - Throws: the first operation's error.
    static func run(
        _ name: String,
        ops: Int,
        window: Int,
        executor: (any TaskExecutor)?,
        operation: @escaping @Sendable (Int) async throws -> Void
    ) async throws -> BenchPhase {
        let recorder = LatencyRecorder(count: ops)
        let start = Self.now()
        try await withThrowingDiscardingTaskGroup { group in
            for _ in 0..<min(window, ops) {
                group.addTask(executorPreference: executor) {
                    while true {
                        let index = recorder.next.add(1, ordering: .relaxed).oldValue
                        guard index < ops else { return }
                        let began = Self.now()
                        try await operation(index)
                        recorder.record(index, Self.now() &- began)
                    }
                }
            }
        }
        let elapsed = Self.now() &- start
        return BenchPhase(name: name, ops: ops, elapsedNanoseconds: elapsed, latencies: recorder.sorted())
    }

    /// The line `ZkBench` prints: `%-7s %9.0f ops/s  p50 %7.2f ms  p99 %7.2f ms`.
    var line: String {
        let seconds = Double(self.elapsedNanoseconds) / 1e9
        let p50 = Double(self.latencies[self.ops / 2]) / 1e6
        let p99 = Double(self.latencies[Int(Double(self.ops) * 0.99)]) / 1e6
        let padded = self.name.count >= 7 ? self.name : self.name + String(repeating: " ", count: 7 - self.name.count)
        return padded + String(format: " %9.0f ops/s  p50 %7.2f ms  p99 %7.2f ms", Double(self.ops) / seconds, p50, p99)
    }

    /// Monotonic nanoseconds.
    static func now() -> UInt64 {
        DispatchTime.now().uptimeNanoseconds
    }
}

/// The next operation index and every operation's latency, written by concurrent workers.
// Safety: each slot of `latencies` is written by exactly one worker (the one that took its index from `next`), and
// read only after the task group that wrote them has finished.
final class LatencyRecorder: @unchecked Sendable {
    let next = Atomic<Int>(0)
    private let latencies: UnsafeMutableBufferPointer<UInt64>

    init(count: Int) {
        self.latencies = .allocate(capacity: count)
        self.latencies.initialize(repeating: 0)
    }

    deinit {
        self.latencies.deallocate()
    }

    /// Records operation `index`'s latency.
    func record(_ index: Int, _ nanoseconds: UInt64) {
        self.latencies[index] = nanoseconds
    }

    /// The latencies, sorted.
    func sorted() -> [UInt64] {
        Array(self.latencies).sorted()
    }
}
