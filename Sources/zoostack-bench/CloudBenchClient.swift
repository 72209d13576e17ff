import CloudAPI
import ClusterHarness
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Signed API calls over keep-alive connections, for `bench cloud` and `bench cluster`: connection `i` goes to
/// `ports[i % ports.count]`, so load spreads evenly over several management servers.
struct CloudBenchClient: Sendable {
    let ports: [Int]
    let apiKey: String
    let secret: String

    /// A signed call on one connection: command and parameters in, the raw JSON body out (HTTP 200 only).
    typealias Request = (String, [(String, String)]) async throws -> String

    /// The first string member `"name":"value"` of a JSON body, found without parsing it: the client runs in the
    /// server's process, and a full parse of every poll would take CPU from the server being measured.
    static func stringMember(_ name: String, in body: String) -> String? {
        guard let range = body.range(of: "\"\(name)\":\"") else { return nil }
        return String(body[range.upperBound...].prefix(while: { $0 != "\"" }))
    }

    /// The first integer member `"name":N` of a JSON body (e.g. a list response's `count`).
    static func intMember(_ name: String, in body: String) -> Int? {
        guard let range = body.range(of: "\"\(name)\":") else { return nil }
        return Int(body[range.upperBound...].prefix(while: \.isNumber))
    }

    /// Deploys one VM and follows its job as clients do (polls after 2, 4, 8, 16 ms, then every 20 ms).
    /// - Parameters:
    ///   - request: the connection's call function.
    ///   - parameters: deployVirtualMachine's parameters.
    /// - Returns: the polls made, and the job's answer when it failed.
    /// - Throws: ``BenchError`` when the call fails.
    static func deploy(
        _ request: Request,
        _ parameters: [(String, String)]
    ) async throws -> (polls: Int, failure: String?) {
        let job = try await request("deployVirtualMachine", parameters)
        guard let jobId = Self.stringMember("jobid", in: job) else {
            throw BenchError("deployVirtualMachine answered without a jobid: \(job.prefix(300))")
        }
        var pause = 2
        var polls = 0
        while true {
            polls += 1
            let result = try await request("queryAsyncJobResult", [("jobid", jobId)])
            switch Self.intMember("jobstatus", in: result) {
            case 0?:
                try await Task.sleep(for: .milliseconds(pause))
                pause = min(pause * 2, 20)
            case 1?:
                return (polls, nil)
            default:
                return (polls, String(result.prefix(500)))
            }
        }
    }

    /// Runs `ops` operations over `connections` connections, each connection taking the next index until all
    /// are done; records each operation's latency.
    func phase(
        _ name: String,
        ops: Int,
        connections: Int,
        operation: @escaping @Sendable (_ request: Request, _ index: Int) async throws -> Void
    ) async throws -> BenchPhase {
        let recorder = LatencyRecorder(count: ops)
        var opened: [HTTPKeepAliveConnection] = []
        for index in 0..<min(connections, ops) {
            opened.append(
                try await HTTPKeepAliveConnection.connect(
                    host: "127.0.0.1",
                    port: self.ports[index % self.ports.count],
                    group: .singletonMultiThreadedEventLoopGroup
                )
            )
        }
        let start = BenchPhase.now()
        try await withThrowingDiscardingTaskGroup { group in
            for connection in opened {
                group.addTask {
                    try await connection.withRequests { get in
                        while true {
                            let index = recorder.next.add(1, ordering: .relaxed).oldValue
                            guard index < ops else { return }
                            let began = BenchPhase.now()
                            try await operation(
                                { command, parameters in
                                    try await self.call(get, command, parameters)
                                },
                                index
                            )
                            recorder.record(index, BenchPhase.now() &- began)
                        }
                    }
                }
            }
        }
        return BenchPhase(
            name: name,
            ops: ops,
            elapsedNanoseconds: BenchPhase.now() &- start,
            latencies: recorder.sorted()
        )
    }

    private func call(
        _ get: (String) async throws -> (status: Int, body: String),
        _ command: String,
        _ parameters: [(String, String)]
    ) async throws -> String {
        let uri = CloudClient.signedURI(command, parameters, apiKey: self.apiKey, secret: self.secret)
        let (status, body) = try await get(uri)
        guard status == 200 else { throw BenchError("\(command) answered HTTP \(status): \(body.prefix(300))") }
        return body
    }
}
