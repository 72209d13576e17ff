/// The admin's credentials generated on first start (written to `<data-dir>/admin-credentials.json`).
public struct AdminCredentials: Sendable, Codable, Hashable {
    /// The API endpoint.
    public var endpoint: String
    /// Login name.
    public var username: String
    /// Clear password (only ever in this file and printed once).
    public var password: String
    /// API key.
    public var apikey: String
    /// Secret key.
    public var secretkey: String

    /// Creates credentials.
    public init(endpoint: String, username: String, password: String, apikey: String, secretkey: String) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.apikey = apikey
        self.secretkey = secretkey
    }
}
