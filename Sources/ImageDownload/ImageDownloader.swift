import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QEMU

#if canImport(Glibc)
import Glibc
#endif

/// Downloads a template or ISO over HTTP or HTTPS into an image store, as CloudStack's secondary storage
/// `DownloadManagerImpl` does: the body streams to `DESTINATION.part` beside the final file while its digest is
/// computed, the checksum is compared, the file is checked with `qemu-img info` (or as an ISO 9660 image), and only
/// then is it renamed into place. Any failure removes the partial file; nothing half-written is ever at the
/// destination.
///
/// Every step is bounded: the connection, each read, the response's head, the body's size and `qemu-img`'s run
/// time have limits, and cancelling the calling task stops the download (``DownloadError/Code-swift.enum/cancelled``).
///
/// ```swift
/// let downloader = ImageDownloader(limits: .init(maxBytes: 50 << 30))
/// let image = try await downloader.download(
///     .init(url: "https://example.org/tiny.qcow2", destination: "/srv/images/template/ID.qcow2", format: .qcow2)
/// ) { progress in print(progress) }
/// ```
public struct ImageDownloader: Sendable {
    /// The formats an image store takes.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// A qcow2 disk image.
        case qcow2 = "QCOW2"
        /// A raw disk image.
        case raw = "RAW"
        /// An ISO 9660 CD-ROM image.
        case iso = "ISO"
    }

    /// The bounds of one download.
    public struct Limits: Sendable, Hashable {
        /// The largest file accepted, in bytes.
        public var maxBytes: Int
        /// How long connecting may take.
        public var connectTimeout: Duration
        /// How long the server may send nothing once connected.
        public var readTimeout: Duration
        /// How long the response's head may take to arrive.
        public var headTimeout: Duration
        /// How long `qemu-img info` may run.
        public var inspectTimeout: Duration

        /// Creates limits.
        /// - Parameters:
        ///   - maxBytes: the largest file accepted.
        ///   - connectTimeout: the connect timeout.
        ///   - readTimeout: the read timeout.
        ///   - headTimeout: the timeout of the response's head.
        ///   - inspectTimeout: `qemu-img info`'s run time limit.
        public init(
            maxBytes: Int,
            connectTimeout: Duration = .seconds(10),
            readTimeout: Duration = .seconds(60),
            headTimeout: Duration = .seconds(60),
            inspectTimeout: Duration = .seconds(60)
        ) {
            self.maxBytes = maxBytes
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.headTimeout = headTimeout
            self.inspectTimeout = inspectTimeout
        }
    }

    /// What to download and where.
    public struct Request: Sendable, Hashable {
        /// The `http://` or `https://` URL.
        public var url: String
        /// The final file (its directory is created if missing).
        public var destination: String
        /// The declared format.
        public var format: Format
        /// The expected checksum, nil to check none.
        public var checksum: Checksum?

        /// Creates a request.
        /// - Parameters:
        ///   - url: the URL.
        ///   - destination: the final file.
        ///   - format: the declared format.
        ///   - checksum: the expected checksum.
        public init(url: String, destination: String, format: Format, checksum: Checksum? = nil) {
            self.url = url
            self.destination = destination
            self.format = format
            self.checksum = checksum
        }
    }

    /// Where a download is.
    public enum Progress: Sendable, Hashable {
        /// This percentage of the announced length has arrived (0...99; not reported without a `Content-Length`).
        case downloaded(percent: Int)
        /// Everything arrived; the checksum and the format are being checked.
        case verifying
    }

    /// A downloaded, checked image.
    public struct Image: Sendable, Hashable {
        /// The size a guest sees (`qemu-img info`'s virtual size; an ISO's length).
        public var virtualSize: Int
        /// The bytes the file holds.
        public var physicalSize: Int
    }

    /// The bounds of every download.
    public var limits: Limits

    /// Creates a downloader.
    /// - Parameter limits: the bounds of every download.
    public init(limits: Limits) {
        self.limits = limits
    }

    /// The partial file of a destination, beside it in the same directory (so the final rename stays atomic).
    /// - Parameter destination: the final file.
    /// - Returns: `DESTINATION.part`.
    public static func partialPath(of destination: String) -> String { destination + ".part" }

    /// Downloads, checks and installs one image; reports progress as it goes.
    /// - Parameters:
    ///   - request: what and where.
    ///   - progress: told the percentage as it grows, then that verification started; awaited before reading on.
    /// - Returns: the image's sizes.
    /// - Throws: ``DownloadError``; the partial file is gone and the destination untouched.
    public func download(
        _ request: Request,
        progress: @Sendable (Progress) async -> Void
    ) async throws(DownloadError) -> Image {
        let origin = try Self.origin(of: request.url)
        let partial = Self.partialPath(of: request.destination)
        do {
            try FileManager.default.createDirectory(
                atPath: (request.destination as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
        } catch {
            throw DownloadError(.io, "cannot create the image store directory: \(error.localizedDescription)")
        }
        do throws(DownloadError) {
            let digest = try await self.fetch(request, origin: origin, to: partial, progress: progress)
            await progress(.verifying)
            if let expected = request.checksum, let digest, digest != expected {
                throw DownloadError(
                    .checksumMismatch,
                    "checksum \"\(digest)\" didn't match the given value, \"\(expected)\""
                )
            }
            let image = try await self.inspect(partial, format: request.format)
            // rename(2) replaces the destination atomically: readers see the old file or the whole new one.
            guard rename(partial, request.destination) == 0 else {
                throw DownloadError(.io, "cannot move the image into place: \(String(cString: strerror(errno)))")
            }
            return image
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// `scheme://host[:port]` of an http(s) URL: what messages name (never a path, query or credentials).
    static func origin(of url: String) throws(DownloadError) -> String {
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parsed.host, !host.isEmpty
        else { throw DownloadError(.unsupportedURL, "unsupported URL: only http:// and https:// URLs are downloaded") }
        return "\(scheme)://\(host)" + (parsed.port.map { ":\($0)" } ?? "")
    }

    /// Streams the body to `partial`; returns its digest in the checksum's algorithm (nil without a checksum).
    private func fetch(
        _ request: Request,
        origin: String,
        to partial: String,
        progress: @Sendable (Progress) async -> Void
    ) async throws(DownloadError) -> Checksum? {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 5, allowCycles: false),
            timeout: .init(
                connect: TimeAmount(self.limits.connectTimeout),
                read: TimeAmount(self.limits.readTimeout)
            ),
            decompression: .disabled
        )
        // One attempt: a refused connection is reported at once rather than retried until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let result: Result<Checksum?, DownloadError>
        do {
            result = .success(try await self.stream(request, client: client, to: partial, progress: progress))
        } catch {
            result = .failure(Self.downloadError(error, origin: origin, limits: self.limits))
        }
        try? await client.shutdown()
        return try result.get()
    }

    /// The body loop of ``fetch(_:origin:to:progress:)``.
    private func stream(
        _ request: Request,
        client: HTTPClient,
        to partial: String,
        progress: @Sendable (Progress) async -> Void
    ) async throws -> Checksum? {
        let response = try await client.execute(
            HTTPClientRequest(url: request.url),
            timeout: TimeAmount(self.limits.headTimeout)
        )
        guard response.status == .ok else {
            throw DownloadError(
                .httpStatus,
                "the server answered HTTP \(response.status.code) \(response.status.reasonPhrase)"
            )
        }
        let announced = response.headers.first(name: "content-length").flatMap { Int($0) }
        if let announced, announced > self.limits.maxBytes { throw Self.tooLarge(self.limits) }
        guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o644]),
            let file = FileHandle(forWritingAtPath: partial)
        else { throw DownloadError(.io, "cannot create the partial file") }
        defer { try? file.close() }
        var digest = request.checksum?.algorithm.digest()
        var received = 0
        var reported = -1
        for try await buffer in response.body {
            try Task.checkCancellation()
            received += buffer.readableBytes
            guard received <= self.limits.maxBytes else { throw Self.tooLarge(self.limits) }
            try buffer.withUnsafeReadableBytes { bytes in
                digest?.update(bytes)
                try file.write(contentsOf: bytes)
            }
            if let announced, announced > 0 {
                let percent = min(99, received * 100 / announced)
                if percent != reported {
                    reported = percent
                    await progress(.downloaded(percent: percent))
                }
            }
        }
        try file.synchronize()
        if let announced, received != announced {
            throw DownloadError(.unreachable, "the connection ended after \(received) of \(announced) bytes")
        }
        return digest?.finish()
    }

    /// Checks the downloaded file against its declared format; returns its sizes.
    private func inspect(_ path: String, format: Format) async throws(DownloadError) -> Image {
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        switch format {
        case .iso:
            guard ImageInfo.isISO9660(path: path) else {
                throw DownloadError(.formatMismatch, "the file is not an ISO 9660 image")
            }
            return Image(virtualSize: bytes, physicalSize: bytes)
        case .qcow2, .raw:
            let info: ImageInfo
            do {
                info = try await ImageInfo.read(path: path, timeout: self.limits.inspectTimeout)
            } catch {
                throw DownloadError(.invalidImage, "qemu-img cannot read the file: \(error.message)")
            }
            let declared = format.rawValue.lowercased()
            guard info.format == declared else {
                throw DownloadError(
                    .formatMismatch,
                    "the file is a \(info.format) image, not the declared \(format.rawValue)"
                )
            }
            guard info.backingFile == nil else {
                throw DownloadError(.invalidImage, "the image names a backing file, which a template may not")
            }
            return Image(virtualSize: info.virtualSize, physicalSize: bytes)
        }
    }

    static func tooLarge(_ limits: Limits) -> DownloadError {
        DownloadError(.tooLarge, "the file is larger than the limit of \(limits.maxBytes) bytes")
    }

    /// One table from what the HTTP client and the file system throw to ``DownloadError``.
    static func downloadError(_ error: any Error, origin: String, limits: Limits) -> DownloadError {
        if let error = error as? DownloadError { return error }
        if error is CancellationError { return DownloadError(.cancelled, "the download was cancelled") }
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout:
                return DownloadError(.timeout, "\(origin) sent nothing for \(limits.readTimeout)")
            case .deadlineExceeded:
                return DownloadError(.timeout, "\(origin) did not answer within \(limits.headTimeout)")
            case .cancelled:
                return DownloadError(.cancelled, "the download was cancelled")
            case .connectTimeout:
                return DownloadError(.unreachable, "cannot reach \(origin): connect timed out")
            case .redirectLimitReached, .redirectCycleDetected:
                return DownloadError(.unreachable, "\(origin) redirects too often")
            case .remoteConnectionClosed:
                return DownloadError(.unreachable, "\(origin) closed the connection")
            default:
                return DownloadError(.unreachable, "cannot download from \(origin): \(error)")
            }
        }
        if let error = error as? IOError {
            // The system's own words ("Connection refused"), not NIO's wrapping of them.
            return DownloadError(.unreachable, "cannot reach \(origin): \(String(cString: strerror(error.errnoCode)))")
        }
        if error is CocoaError || error is POSIXError {
            return DownloadError(.io, "cannot write the partial file: \(error.localizedDescription)")
        }
        return DownloadError(.unreachable, "cannot reach \(origin): \(error)")
    }
}
