import CloudModel
import CloudStore
import Foundation
import ImageDownload
import Orchestrator

/// The catalogue's registrations: registerTemplate (a template downloaded to a zone's secondary storage).
public struct CatalogueService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// What registerTemplate asks for.
    public struct TemplateRegistration: Sendable {
        /// The name.
        public var name: String
        /// The display text.
        public var displayText: String
        /// The format (VHD, QCOW2, OVA, RAW), in any case.
        public var format: String
        /// The target hypervisor.
        public var hypervisor: String
        /// Where the template is downloaded from.
        public var url: String
        /// The zone whose secondary storage holds it.
        public var zoneId: String
        /// A public template.
        public var isPublic: Bool
        /// A featured template (admins only).
        public var isFeatured: Bool
        /// The file's checksum, `{ALGORITHM}hex` or plain hex (MD5), checked once downloaded into a file image store.
        public var checksum: String?
        /// The OS type's UUID (`ostypeid`; see ``GuestOSCatalogue/description(ofTypeId:)``).
        public var osTypeId: String?

        /// Creates a registration.
        public init(
            name: String,
            displayText: String,
            format: String,
            hypervisor: String,
            url: String,
            zoneId: String,
            isPublic: Bool = false,
            isFeatured: Bool = false,
            checksum: String? = nil
        ) {
            self.name = name
            self.displayText = displayText
            self.format = format
            self.hypervisor = hypervisor
            self.url = url
            self.zoneId = zoneId
            self.isPublic = isPublic
            self.isFeatured = isFeatured
            self.checksum = checksum
        }
    }

    /// Registers a template for the caller's account and starts its download (a real one into the zone's `file://`
    /// image store, else the simulated walk); it counts against the account's `template` limit.
    /// - Returns: the template and its zone's name.
    /// - Throws: 431 for an unknown zone (`zoneid`), a bad checksum, or, for a file image store, a URL other than
    ///   http(s) or a format other than QCOW2 or RAW; 530 for a zone without image store, 535 over the limit.
    public func registerTemplate(
        _ access: Access,
        _ request: TemplateRegistration
    ) async throws -> (template: Template, zoneName: String) {
        guard try await self.store.get(Zone.self, id: request.zoneId) != nil else {
            throw access.unknown("zoneid", request.zoneId)
        }
        let imageStores = try await self.store.list(
            ImageStore.self,
            ListQuery(equals: [("zone_id", request.zoneId)])
        )
        guard imageStores.total > 0 else {
            throw CloudError(
                .internalError,
                csErrorCode: 4250,
                "Unable to find image store to download template \(request.name)"
            )
        }
        let checksum = try ImageRegistration.checksum(request.checksum)
        let directory = try await ImageStoreDownloads.directory(zoneId: request.zoneId, store: self.store)
        if directory != nil {
            try ImageRegistration.checkDownloadable(url: request.url, format: request.format, iso: false)
        }
        let template = Template(
            id: UUID().uuidString.lowercased(),
            name: request.name,
            displayText: request.displayText,
            format: request.format.uppercased(),
            hypervisor: request.hypervisor,
            osTypeName: GuestOSCatalogue.description(ofTypeId: request.osTypeId),
            url: request.url,
            isPublic: request.isPublic,
            isFeatured: access.caller.isAdmin && request.isFeatured,
            accountId: access.caller.account.id,
            zoneId: request.zoneId,
            status: "Not Downloaded",
            isReady: false,
            size: 2 << 30,
            created: self.services.clock.now
        )
        // A registered template counts against the `template` limit (its size is known only once downloaded).
        if let owner = try await self.store.get(Account.self, id: template.accountId) {
            let limits = self.services.limits
            try await limits.withReservation(for: owner, [.template: 1]) { try await self.store.insert(template) }
        } else {
            try await self.store.insert(template)
        }
        ImageRegistration.startDownload(template, into: directory, checksum: checksum, services: self.services)
        let zone = try await self.store.get(Zone.self, id: request.zoneId)
        return (template, zone?.name ?? "")
    }
}

extension CloudServices {
    /// The catalogue's registrations.
    public var catalogue: CatalogueService { CatalogueService(services: self) }
}
