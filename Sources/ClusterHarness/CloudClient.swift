import CloudAPI
import Foundation

/// A signed CloudStack API client for one management server: each call on a fresh loopback connection, so that a
/// killed server fails only the calls made to it.
public struct CloudClient: Sendable {
    /// The management server's API port on 127.0.0.1.
    public let port: Int
    /// The API key.
    public let apiKey: String
    /// The secret key.
    public let secret: String

    /// Makes a client.
    /// - Parameters:
    ///   - port: the API port.
    ///   - apiKey: the API key.
    ///   - secret: the secret key.
    public init(port: Int, apiKey: String, secret: String) {
        self.port = port
        self.apiKey = apiKey
        self.secret = secret
    }

    /// The query string of a signed call (signature v2, as CloudStack's clients send), parameters sorted by name.
    /// - Parameters:
    ///   - command: the command.
    ///   - parameters: its parameters.
    /// - Returns: `/client/api?...`.
    public func uri(_ command: String, _ parameters: [String: String]) -> String {
        Self.signedURI(
            command,
            parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            apiKey: self.apiKey,
            secret: self.secret
        )
    }

    /// The query string of a signed call with parameters in the given order.
    /// - Parameters:
    ///   - command: the command.
    ///   - parameters: its parameters, in order.
    ///   - apiKey: the API key.
    ///   - secret: the secret key.
    /// - Returns: `/client/api?...`.
    public static func signedURI(
        _ command: String,
        _ parameters: [(String, String)],
        apiKey: String,
        secret: String
    ) -> String {
        let pairs = parameters.map { (name: $0.0, value: $0.1) }
        return "/client/api?"
            + RequestSigner.query(RequestSigner.signedCall(command, pairs, apiKey: apiKey, secret: secret))
    }

    /// Calls a command and returns its response object (the member inside `<command>response`).
    /// - Parameters:
    ///   - command: the command.
    ///   - parameters: its parameters.
    /// - Returns: the response object.
    /// - Throws: ``CloudCallError`` for an error response; a connection error when the server is gone.
    public func call(_ command: String, _ parameters: [String: String] = [:]) async throws -> APIValue {
        let connection = try await HTTPKeepAliveConnection.connect(host: "127.0.0.1", port: self.port)
        let uri = self.uri(command, parameters)
        let (status, body) = try await connection.withRequests { get in try await get(uri) }
        return try Self.unwrap(command: command, status: status, body: body)
    }

    /// Parses an answer: the response object, or the error it carries.
    /// - Parameters:
    ///   - command: the command (for messages).
    ///   - status: the HTTP status.
    ///   - body: the JSON body.
    /// - Returns: the response object.
    /// - Throws: ``CloudCallError``.
    public static func unwrap(command: String, status: Int, body: String) throws -> APIValue {
        guard let envelope = APIValue.parse(json: body), case .object(let members) = envelope,
            let response = members.first?.1
        else {
            throw CloudCallError(command: command, code: status, text: "unparseable answer: \(body.prefix(300))")
        }
        if status != 200 || response["errorcode"] != nil {
            throw CloudCallError(
                command: command,
                code: response["errorcode"]?.int ?? status,
                text: response["errortext"]?.stringValue ?? body
            )
        }
        return response
    }

    /// Calls an async command and follows its job to the end.
    /// - Parameters:
    ///   - command: the command.
    ///   - parameters: its parameters.
    ///   - timeout: how long the job may take.
    /// - Returns: the job's result object.
    /// - Throws: ``CloudCallError`` when the call or the job fails (the job's error code and text).
    public func callAndWait(
        _ command: String,
        _ parameters: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) async throws -> APIValue {
        let answer = try await self.call(command, parameters)
        guard let jobId = answer["jobid"]?.stringValue else {
            throw CloudCallError(command: command, code: 0, text: "no jobid in \(answer.json)")
        }
        return try await self.wait(job: jobId, command: command, timeout: timeout)
    }

    /// Polls `queryAsyncJobResult` until the job ends.
    /// - Parameters:
    ///   - jobId: the job.
    ///   - command: the command (for messages).
    ///   - timeout: how long to wait.
    /// - Returns: the job's result.
    /// - Throws: ``CloudCallError`` with the job's error, or when it does not end in time.
    public func wait(job jobId: String, command: String, timeout: Duration = .seconds(120)) async throws -> APIValue {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(10)
        while ContinuousClock.now < deadline {
            let job = try await self.call("queryAsyncJobResult", ["jobid": jobId])
            switch job["jobstatus"]?.int {
            case 1: return job["jobresult"] ?? .object([])
            case 2:
                throw CloudCallError(
                    command: command,
                    code: job["jobresult"]?["errorcode"]?.int ?? 530,
                    text: job["jobresult"]?["errortext"]?.stringValue ?? job.json
                )
            default:
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(200))
            }
        }
        throw CloudCallError(command: command, code: 0, text: "job \(jobId) did not end in \(timeout)")
    }

    /// Every item of a list command, all pages.
    /// - Parameters:
    ///   - command: the list command.
    ///   - parameters: its filters.
    /// - Returns: the items.
    /// - Throws: ``CloudCallError``.
    public func list(_ command: String, _ parameters: [String: String] = [:]) async throws -> [APIValue] {
        var all: [APIValue] = []
        var page = 1
        while true {
            var query = parameters
            query["page"] = String(page)
            query["pagesize"] = "500"
            let items = try await self.call(command, query).items
            all += items
            guard items.count == 500 else { return all }
            page += 1
        }
    }
}

/// An error answer: CloudStack's errorcode and errortext.
public struct CloudCallError: Error, CustomStringConvertible, Sendable {
    /// The command.
    public var command: String
    /// CloudStack's error code (431, 530, ...).
    public var code: Int
    /// The error text.
    public var text: String

    /// Makes an error.
    /// - Parameters:
    ///   - command: the command.
    ///   - code: the error code.
    ///   - text: the text.
    public init(command: String, code: Int, text: String) {
        self.command = command
        self.code = code
        self.text = text
    }

    public var description: String { "\(self.command): \(self.code) \(self.text)" }
}

extension APIValue {
    /// A list response's items: the first array member (every list response has one besides `count`).
    public var items: [APIValue] {
        guard case .object(let members) = self else { return [] }
        for (key, value) in members where key != "count" {
            if case .array(let items) = value { return items }
        }
        return []
    }

    /// The integer value (a number, or a string holding one).
    public var int: Int? {
        switch self {
        case .int(let value): value
        case .double(let value): Int(value)
        case .string(let text): Int(text)
        default: nil
        }
    }

    /// The numeric value (a number, or a string holding one).
    public var double: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .string(let text): Double(text)
        default: nil
        }
    }
}
