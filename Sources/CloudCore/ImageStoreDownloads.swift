import CloudModel
import CloudStore
import Foundation
import ImageDownload
import Logging
import Synchronization

/// Downloads registered templates and ISOs into their zone's `file://` image store (``ImageStoreLayout``), with
/// progress in the template's `status` as CloudStack's `TemplateJoinDaoImpl` words it: `N% Downloaded`, then
/// `Installing Template` (or `Installing ISO`) while the checksum and `qemu-img info` are checked, then
/// `Download Complete` and ready; a failure leaves it not ready with a status that says why and no partial file.
///
/// The downloads run in one task group owned by this value, as ``TemplateDownloadSimulator``'s walks do:
/// ``start(_:)`` hands a download to it and ``shutdown()`` cancels the running ones (each then removes its partial
/// file and records why it stopped) and waits for them. A management server that died mid-download leaves rows
/// `N% Downloaded`; ``failInterrupted(store:logger:)`` marks them failed at the next start.
public final class ImageStoreDownloads: Sendable {
    /// The status of a download that finished.
    public static let completeStatus = "Download Complete"
    /// What a failed download's status starts with.
    public static let failedPrefix = "Download failed: "
    /// The status of a download the management server's shutdown cancelled.
    public static let shutdownStatus = failedPrefix + "the management server shut down during the download"
    /// The status of a download a management server's restart interrupted.
    public static let restartStatus = failedPrefix + "the management server restarted during the download"

    /// One download.
    public struct Job: Sendable, Hashable {
        /// The template's (or ISO's) id.
        public var templateId: String
        /// What to download and where.
        public var request: ImageDownloader.Request

        /// Creates a job.
        /// - Parameters:
        ///   - templateId: the template's id.
        ///   - request: the download.
        public init(templateId: String, request: ImageDownloader.Request) {
            self.templateId = templateId
            self.request = request
        }
    }

    private let requests: AsyncStream<Job>.Continuation
    private let downloads: Task<Void, Never>
    private let cancelled: CancelledDownloads
    private let store: CloudStore
    private let logger: Logger

    /// The downloads that ended cancelled: their status is written by ``shutdown()``, outside the cancelled task
    /// (the store refuses work from a cancelled task).
    final class CancelledDownloads: Sendable {
        let ids = Mutex<[String]>([])
    }

    /// Creates the owner of the downloads and its task group.
    /// - Parameters:
    ///   - store: where the template rows are.
    ///   - logger: where failed status writes are logged.
    ///   - limits: the bounds of a download, read when it starts (the size limit is a live setting).
    public init(store: CloudStore, logger: Logger, limits: @escaping @Sendable () -> ImageDownloader.Limits) {
        let (jobs, requests) = AsyncStream.makeStream(of: Job.self)
        let cancelled = CancelledDownloads()
        self.requests = requests
        self.cancelled = cancelled
        self.store = store
        self.logger = logger
        self.downloads = Task {
            await withDiscardingTaskGroup { group in
                for await job in jobs {
                    group.addTask {
                        let downloader = ImageDownloader(limits: limits())
                        if await !Self.run(job, downloader: downloader, store: store, logger: logger) {
                            cancelled.ids.withLock { $0.append(job.templateId) }
                        }
                    }
                }
            }
        }
    }

    deinit {
        self.requests.finish()
    }

    /// Starts a download; returns at once.
    /// - Parameter job: the download.
    public func start(_ job: Job) {
        self.requests.yield(job)
    }

    /// Takes no more downloads, cancels the running ones and waits until they have recorded their end.
    public func shutdown() async {
        self.requests.finish()
        self.downloads.cancel()
        await self.downloads.value
        let ids = self.cancelled.ids.withLock { ids in
            defer { ids.removeAll() }
            return ids
        }
        for id in ids {
            await Self.record(id, Self.shutdownStatus, store: self.store, logger: self.logger)
        }
    }

    /// The file image store directory of a zone: its first image store whose URL is `file://`, nil when it has none
    /// (its templates go through the simulator).
    /// - Parameters:
    ///   - zoneId: the zone.
    ///   - store: the store.
    /// - Returns: the directory, or nil.
    /// - Throws: ``StoreError``.
    public static func directory(zoneId: String, store: CloudStore) async throws -> String? {
        let stores = try await store.list(ImageStore.self, ListQuery(equals: [("zone_id", zoneId)])).items
        return stores.sorted { $0.created < $1.created }.lazy.compactMap { ImageStoreLayout.directory(url: $0.url) }
            .first
    }

    /// Gives a zone a file image store in `directory` (created, 0700, if missing) unless it has one there: its
    /// templates and ISOs are then downloaded for real, to `DIRECTORY/template/ID.EXT` (``ImageStoreLayout``).
    /// - Parameters:
    ///   - zoneId: the zone.
    ///   - directory: an absolute directory.
    ///   - name: the store's name (default: the directory).
    ///   - store: the store.
    /// - Returns: the image store (the existing one when the zone already has this directory).
    /// - Throws: ``StoreError``; a file system error when the directory cannot be created.
    @discardableResult
    public static func addFileStore(
        zoneId: String,
        directory: String,
        name: String? = nil,
        store: CloudStore
    ) async throws -> ImageStore {
        let url = ImageStoreLayout.url(directory: directory)
        let existing = try await store.list(ImageStore.self, ListQuery(equals: [("zone_id", zoneId)])).items
        if let found = existing.first(where: { $0.url == url }) { return found }
        try FileManager.default.createDirectory(
            atPath: directory + "/template",
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let capacity = (try? FileManager.default.attributesOfFileSystem(forPath: directory))?[.systemSize] as? Int
        let imageStore = ImageStore(
            id: UUID().uuidString.lowercased(),
            name: name ?? directory,
            zoneId: zoneId,
            provider: "NFS",
            protocolName: "file",
            url: url,
            capacity: capacity ?? 0,
            created: store.clock.now
        )
        try await store.insert(imageStore)
        return imageStore
    }

    /// The file of a template in a file image store directory.
    /// - Parameters:
    ///   - template: the template.
    ///   - directory: the store's directory.
    /// - Returns: the absolute path.
    public static func path(of template: Template, in directory: String) -> String {
        directory + "/" + ImageStoreLayout.templatePath(id: template.id, format: template.format)
    }

    /// Whether a status is that of a download still under way (or never started).
    static func inProgress(_ status: String) -> Bool {
        status == "Not Downloaded" || status.hasSuffix("% Downloaded") || status.hasPrefix("Installing ")
    }

    /// Marks failed every download into a file image store that no server runs any more (a management server that
    /// died or restarted mid-download), removing its partial file; run by a management server alone in its cluster
    /// at start, as it fails every pending job.
    /// - Parameters:
    ///   - store: the store.
    ///   - logger: a logger.
    /// - Returns: how many downloads were failed.
    /// - Throws: ``StoreError``.
    @discardableResult
    public static func failInterrupted(store: CloudStore, logger: Logger) async throws -> Int {
        var failed = 0
        let zoneIds = Set(try await store.list(ImageStore.self).items.map(\.zoneId))
        for zoneId in zoneIds.sorted() {
            guard let directory = try await Self.directory(zoneId: zoneId, store: store) else { continue }
            let templates = try await store.list(Template.self, ListQuery(equals: [("zone_id", zoneId)])).items
            for template in templates where !template.isReady && Self.inProgress(template.status) {
                let file = Self.path(of: template, in: directory)
                try? FileManager.default.removeItem(atPath: ImageDownloader.partialPath(of: file))
                try await store.setTemplateStatus(id: template.id, status: Self.restartStatus, isReady: false)
                failed += 1
            }
        }
        if failed > 0 { logger.warning("failed interrupted template downloads", metadata: ["count": "\(failed)"]) }
        return failed
    }

    /// Records a download's status (not ready); a failed write is logged.
    static func record(_ id: String, _ status: String, store: CloudStore, logger: Logger) async {
        do {
            try await store.setTemplateStatus(id: id, status: status, isReady: false)
        } catch {
            logger.warning(
                "cannot record a template's download state",
                metadata: ["template": "\(id)", "status": "\(status)", "error": "\(error.message)"]
            )
        }
    }

    /// One download, its progress and its end recorded on the template's row.
    /// - Returns: false when it was cancelled (its end is for ``shutdown()`` to record).
    static func run(_ job: Job, downloader: ImageDownloader, store: CloudStore, logger: Logger) async -> Bool {
        let id = job.templateId
        let installing = job.request.format == .iso ? "Installing ISO" : "Installing Template"
        @Sendable func record(_ status: String) async {
            await Self.record(id, status, store: store, logger: logger)
        }
        await record("0% Downloaded")
        do {
            let image = try await downloader.download(job.request) { progress in
                switch progress {
                case .downloaded(let percent): await record("\(percent)% Downloaded")
                case .verifying: await record(installing)
                }
            }
            let kept = try await store.setTemplateDownloaded(
                id: id,
                status: Self.completeStatus,
                size: image.virtualSize
            )
            // Deleted while it downloaded: its file goes too.
            if !kept { try? FileManager.default.removeItem(atPath: job.request.destination) }
        } catch let error as DownloadError {
            guard error.code != .cancelled else { return false }
            await record(Self.failedPrefix + error.message)
        } catch {
            // The file is in place but its row could not say so: neither is usable; a cancelled write ends as a
            // cancelled download.
            try? FileManager.default.removeItem(atPath: job.request.destination)
            if Task.isCancelled { return false }
            logger.warning(
                "cannot record a finished template download",
                metadata: ["template": "\(id)", "error": "\(error)"]
            )
        }
        return true
    }
}
