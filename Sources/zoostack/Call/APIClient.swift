import CloudAPI
import CloudCore
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A signing CloudStack API client (signature version 3, `response=json`, GET).
struct APIClient {
    let credentials: AdminCredentials

    func call(
        _ command: String,
        _ parameters: [(name: String, value: String)]
    ) async throws
        -> (Int, [String: APIValue])
    {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssZ"
        let pairs = RequestSigner.signedCall(
            command,
            parameters,
            apiKey: self.credentials.apikey,
            secret: self.credentials.secretkey,
            extra: [("signatureVersion", "3"), ("expires", formatter.string(from: Date().addingTimeInterval(600)))]
        )
        let query = RequestSigner.query(pairs)
        guard let url = URL(string: "\(self.credentials.endpoint)?\(query)") else { throw URLError(.badURL) }
        let (data, response) = try await URLSession.shared.data(from: url)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard case .object(let members)? = APIValue.parse(json: String(decoding: data, as: UTF8.self)) else {
            return (status, ["error": .string(String(decoding: data, as: UTF8.self))])
        }
        return (status, Dictionary(members, uniquingKeysWith: { _, new in new }))
    }

    /// Polls `queryAsyncJobResult` until the job ends, showing `progress` meanwhile.
    func wait(jobId: String, progress: JobProgress) async throws -> (Int, [String: APIValue]) {
        let clock = ContinuousClock()
        let start = clock.now
        defer { progress.finish() }
        var poll = 0
        while true {
            let (status, body) = try await self.call("queryAsyncJobResult", [("jobid", jobId)])
            guard status == 200, let job = body["queryasyncjobresultresponse"] else { return (status, body) }
            if job["jobstatus"]?.stringValue != "0" {
                return (job["jobstatus"]?.stringValue == "1" ? 200 : 530, body)
            }
            progress.update(jobId: jobId, poll: poll, elapsed: clock.now - start)
            poll += 1
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
