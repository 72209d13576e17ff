/// A transport-neutral API request.
public struct APIRequest: Sendable {
    /// `GET` or `POST`.
    public var method: String
    /// Merged query and form parameters.
    public var parameters: APIParameters
    /// Cookies by name.
    public var cookies: [String: String]
    /// The `Host` the client addressed (`host:port`), when it sent one.
    public var host: String?

    /// Creates a request.
    public init(method: String, parameters: APIParameters, cookies: [String: String] = [:], host: String? = nil) {
        self.method = method
        self.parameters = parameters
        self.cookies = cookies
        self.host = host
    }
}

/// A transport-neutral API response.
public struct APIResponse: Sendable {
    /// HTTP status (= errorcode on errors).
    public var status: Int
    /// Body text.
    public var body: String
    /// Content type.
    public var contentType: String
    /// `Set-Cookie` values.
    public var setCookies: [String]
    /// The `X-Description` header on errors.
    public var errorText: String?
}
