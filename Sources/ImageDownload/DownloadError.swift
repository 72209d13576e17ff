/// The one error table of image downloads: why a template or ISO could not be downloaded, in words an operator
/// can act on (the message becomes the template's `status`). Messages name the URL's host and the HTTP status,
/// never the response's body.
public struct DownloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The URL is not an absolute `http://` or `https://` URL.
        case unsupportedURL
        /// The checksum given with the registration cannot be read (``Checksum/init(parsing:)``).
        case invalidChecksum
        /// The server could not be reached (name resolution, connection refused, connect timeout, TLS).
        case unreachable
        /// The server answered with a status other than 200.
        case httpStatus
        /// The server stopped sending for longer than the read timeout, or the answer's head took too long.
        case timeout
        /// The file is larger than the size limit (by its `Content-Length` or as it arrived).
        case tooLarge
        /// The file's digest differs from the checksum given.
        case checksumMismatch
        /// The file is not of the declared format (e.g. raw when QCOW2 was declared, not an ISO 9660 image).
        case formatMismatch
        /// The file is of the declared format but unusable (a qcow2 with a backing file, unreadable by qemu-img).
        case invalidImage
        /// The download was cancelled (the management server shut down).
        case cancelled
        /// A local file could not be written, moved or removed.
        case io
    }

    /// The code.
    public var code: Code
    /// What happened.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the code.
    ///   - message: what happened.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(self.code.rawValue): \(self.message)" }
}
