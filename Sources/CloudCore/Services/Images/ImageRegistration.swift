import CloudModel
import CloudStore
import Foundation
import ImageDownload

/// What registerTemplate and registerIso share about downloads: the checksum's and URL's checks, the choice between
/// a real download (a zone with a `file://` image store) and the simulated walk, and the removal of the file.
enum ImageRegistration {
    /// The checksum given with a registration, parsed (CloudStack's `DigestHelper.validateChecksumString`).
    /// - Parameter text: the `checksum` parameter, nil or empty for none.
    /// - Returns: the checksum, nil for none.
    /// - Throws: 431 when it cannot be read.
    static func checksum(_ text: String?) throws -> Checksum? {
        guard let text, !text.isEmpty else { return nil }
        do {
            return try Checksum(parsing: text)
        } catch {
            throw CloudError(.paramError, csErrorCode: 4350, "Invalid checksum: \(error.message)")
        }
    }

    /// Checks that a file image store can download this: an http(s) URL and, for a template, QCOW2 or RAW.
    /// - Throws: 431 when not.
    static func checkDownloadable(url: String, format: String, iso: Bool) throws {
        let scheme = URLComponents(string: url)?.scheme?.lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unsupported url format: \(url); a file image store downloads http and https URLs only"
            )
        }
        guard iso || ["QCOW2", "RAW"].contains(format.uppercased()) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Format \(format) is not supported by a file image store; register a QCOW2 or RAW template"
            )
        }
    }

    /// Starts a registered template's download: a real one into `directory`, else the simulated walk.
    static func startDownload(
        _ template: Template,
        into directory: String?,
        checksum: Checksum?,
        services: CloudServices
    ) {
        guard let directory, let format = ImageDownloader.Format(rawValue: template.format) else {
            services.templateDownloads.start(template.id)
            return
        }
        let request = ImageDownloader.Request(
            url: template.url,
            destination: ImageStoreDownloads.path(of: template, in: directory),
            format: format,
            checksum: checksum
        )
        services.imageDownloads.start(ImageStoreDownloads.Job(templateId: template.id, request: request))
    }

    /// Removes a deleted template's file (and any partial one) from its zone's file image store.
    /// - Throws: ``StoreError``.
    static func removeFiles(of template: Template, store: CloudStore) async throws {
        guard let directory = try await ImageStoreDownloads.directory(zoneId: template.zoneId, store: store) else {
            return
        }
        let path = ImageStoreDownloads.path(of: template, in: directory)
        try? FileManager.default.removeItem(atPath: ImageDownloader.partialPath(of: path))
        try? FileManager.default.removeItem(atPath: path)
    }
}
