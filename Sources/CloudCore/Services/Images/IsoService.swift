import CloudModel
import CloudStore
import Foundation
import ImageDownload
import Orchestrator

/// ISO images (templates of format ISO): register (downloaded into a file image store, else by the simulated
/// secondary storage), list with
/// `isofilter`, attach to and detach from VMs, delete.
public struct IsoService: Sendable {
    /// The VM detail holding the attached ISO's id.
    public static let vmDetail = VMDetailNames.iso
    /// The simulated size of a registered ISO.
    public static let registeredBytes = 512 << 20

    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// What registerIso asks for.
    public struct RegisterRequest: Sendable {
        /// Whom the ISO is for.
        public var owner: OwnerRequest
        /// The zone.
        public var zoneId: String
        /// The name.
        public var name: String
        /// The display text (default: the name).
        public var displayText: String?
        /// Where it is hosted (http, https, ftp or nfs; `.iso` or `.iso.gz`).
        public var url: String
        /// Whether it is public.
        public var isPublic: Bool
        /// Whether it is featured (honoured for admins).
        public var isFeatured: Bool
        /// The file's checksum, `{ALGORITHM}hex` or plain hex (MD5), checked once downloaded into a file image store.
        public var checksum: String?
        /// The OS type's UUID (`ostypeid`; see ``GuestOSCatalogue/description(ofTypeId:)``).
        public var osTypeId: String?

        /// Creates a request.
        public init(
            owner: OwnerRequest,
            zoneId: String,
            name: String,
            displayText: String?,
            url: String,
            isPublic: Bool,
            isFeatured: Bool,
            checksum: String? = nil
        ) {
            self.owner = owner
            self.zoneId = zoneId
            self.name = name
            self.displayText = displayText
            self.url = url
            self.isPublic = isPublic
            self.isFeatured = isFeatured
            self.checksum = checksum
        }
    }

    /// Registers an ISO within the owner's template limit and starts its download (real into a file image store).
    /// - Returns: the ISO, Not Downloaded.
    /// - Throws: 431 for an unknown zone or a bad URL, 530 without an image store in the zone, 535 over the limit;
    ///   ``Access`` errors.
    public func register(_ access: Access, _ request: RegisterRequest) async throws -> Template {
        let owner = try await access.targetAccount(request.owner)
        guard let zone = try await self.store.get(Zone.self, id: request.zoneId) else {
            throw access.unknown("zoneid", request.zoneId)
        }
        let url = request.url
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(),
            ["http", "https", "ftp", "nfs"].contains(scheme), parsed.host != nil
        else { throw CloudError(.paramError, csErrorCode: 4350, "Unsupported url format: \(url)") }
        guard url.lowercased().hasSuffix(".iso") || url.lowercased().hasSuffix(".iso.gz") else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Please specify a valid URL. URL:\(url) is an invalid for the format iso"
            )
        }
        let store = self.store
        guard try await store.list(ImageStore.self, ListQuery(equals: [("zone_id", zone.id)])).total > 0 else {
            throw CloudError(
                .internalError,
                csErrorCode: 4250,
                "Unable to find image store to download ISO \(request.name)"
            )
        }
        let checksum = try ImageRegistration.checksum(request.checksum)
        let directory = try await ImageStoreDownloads.directory(zoneId: zone.id, store: store)
        if directory != nil { try ImageRegistration.checkDownloadable(url: url, format: "ISO", iso: true) }
        let iso = Template(
            id: UUID().uuidString.lowercased(),
            name: request.name,
            displayText: request.displayText ?? request.name,
            format: "ISO",
            hypervisor: "None",
            osTypeName: GuestOSCatalogue.description(ofTypeId: request.osTypeId),
            url: url,
            isPublic: request.isPublic,
            isFeatured: access.caller.isAdmin && request.isFeatured,
            accountId: owner.id,
            zoneId: zone.id,
            status: "Not Downloaded",
            isReady: false,
            size: Self.registeredBytes,
            created: self.services.clock.now
        )
        // ISOs count as templates (CloudStack's `template` resource type).
        try await StorageLookup.withinLimits(self.services, of: iso.accountId, [.template: 1]) {
            try await store.insert(iso)
        }
        ImageRegistration.startDownload(iso, into: directory, checksum: checksum, services: self.services)
        return iso
    }

    /// The filters of listIsos.
    public struct ListFilters: Sendable {
        /// `isofilter`, lower-cased.
        public var filter: String
        /// The zone.
        public var zoneId: String?
        /// Only ready (or not ready) ISOs.
        public var isReady: Bool?
        /// Only public (or private) ISOs.
        public var isPublic: Bool?

        /// Creates filters.
        public init(filter: String, zoneId: String? = nil, isReady: Bool? = nil, isPublic: Bool? = nil) {
            self.filter = filter
            self.zoneId = zoneId
            self.isReady = isReady
            self.isPublic = isPublic
        }
    }

    /// The ISOs a filter selects.
    /// - Throws: 431 for a bad filter (first) or bad paging.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        _ filters: ListFilters
    ) async throws -> ListPage<Template> {
        let matches = try await self.services.templates.matcher(access, filter: filters.filter, parameter: "isofilter")
        let query = try access.query(request)
        var all = query
        all.page = 1
        all.pageSize = nil
        all.tags = request.tags
        all.tagResourceType = "ISO"
        all.equals.append(("format", "ISO"))
        if let zoneId = filters.zoneId { all.equals.append(("zone_id", zoneId)) }
        let isReady = filters.isReady
        let isPublic = filters.isPublic
        let isos = try await self.store.list(Template.self, all).items.filter { iso in
            matches(iso) && isReady.map { iso.isReady == $0 } ?? true && isPublic.map { iso.isPublic == $0 } ?? true
        }
        let size = query.pageSize ?? max(isos.count, 1)
        return ListPage(total: isos.count, items: Access.slice(isos, page: query.page, size: size))
    }

    /// The ISO with this UUID that the caller may use (its own, public, or shared with it).
    /// - Throws: 431 when unknown or not an ISO, 531 out of reach.
    public func usable(_ access: Access, id: String, parameter: String = "id") async throws -> Template {
        guard let iso = try await self.store.get(Template.self, id: id) else { throw access.unknown(parameter, id) }
        guard iso.format == "ISO" else {
            throw CloudError(.paramError, csErrorCode: 4350, "Please specify a valid ISO file.")
        }
        if !iso.isPublic, !(try await access.mayAccess(accountId: iso.accountId)) {
            let shared = try await self.store.templatesShared(with: access.caller.account.id)
            guard shared.contains(iso.id) else {
                throw Access.permissionDenied(
                    "Account \(access.caller.account.name) does not have permission to operate on iso \(iso.id)"
                )
            }
        }
        return iso
    }

    /// The ISO and VM of attachIso, checked: the ISO ready and in the VM's zone, the VM Running or Stopped with no
    /// ISO; attach it with ``setIso(_:on:)``.
    /// - Throws: 431 when one is not; ``Access`` errors.
    public func prepareAttach(
        _ access: Access,
        id: String,
        virtualMachineId: String
    ) async throws -> (iso: Template, vm: VirtualMachine) {
        let iso = try await self.usable(access, id: id)
        let vm = try await access.storageVirtualMachine(id: virtualMachineId, parameter: "virtualmachineid")
        guard iso.isReady else {
            throw CloudError(.paramError, csErrorCode: 4350, "Unable to attach ISO \(iso.id): it is not ready yet")
        }
        guard vm.state == .running || vm.state == .stopped else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Please specify a VM that is either Stopped or Running."
            )
        }
        guard iso.zoneId == vm.zoneId else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Please specify an ISO that is available in the zone of the VM."
            )
        }
        if try await self.store.details(of: vm.id)[Self.vmDetail] != nil {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "An ISO is already attached to the VM, please detach the current ISO before attaching another one"
            )
        }
        return (iso, vm)
    }

    /// The VM of detachIso, checked: an ISO attached, Running or Stopped; detach it with ``setIso(_:on:)``.
    /// - Throws: 431 when not; ``Access`` errors.
    public func prepareDetach(_ access: Access, virtualMachineId: String) async throws -> VirtualMachine {
        let vm = try await access.storageVirtualMachine(id: virtualMachineId, parameter: "virtualmachineid")
        guard try await self.store.details(of: vm.id)[Self.vmDetail] != nil else {
            throw CloudError(.paramError, csErrorCode: 4350, "The specified VM has no ISO attached to it.")
        }
        guard vm.state == .running || vm.state == .stopped else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Please specify a VM that is either Stopped or Running."
            )
        }
        return vm
    }

    /// Records the ISO attached to a VM (nil: none).
    /// - Throws: ``StoreError``.
    public func setIso(_ isoId: String?, on vmId: String) async throws {
        try await VolumeService(store: self.store, virtualMachines: self.services.virtualMachines)
            .changeISO(of: vmId, to: isoId)
        try await self.store.setDetails(of: vmId, [Self.vmDetail: isoId])
    }

    /// The ISO deleteIso names, checked: the caller's, in that zone, attached to no VM; delete it with
    /// ``delete(_:)``.
    /// - Throws: 431 when not an ISO or in another zone, 536 while attached;
    ///   ``TemplateService/owned(_:id:parameter:)``'s errors.
    public func prepareDelete(_ access: Access, id: String, zoneId: String?) async throws -> Template {
        let iso = try await self.services.templates.owned(access, id: id)
        guard iso.format == "ISO" else {
            throw CloudError(.paramError, csErrorCode: 4350, "Please specify a valid ISO file.")
        }
        if let zoneId, zoneId != iso.zoneId {
            throw CloudError.invalidParameter(access.command, "zoneid", zoneId)
        }
        if try await self.store.virtualMachines(withDetail: Self.vmDetail, value: iso.id) > 0 {
            throw CloudError(
                .resourceInUse,
                csErrorCode: 4375,
                "Unable to delete iso \(iso.id): it is attached to virtual machines; detach it first"
            )
        }
        return iso
    }

    /// Deletes an ISO and its tags.
    /// - Throws: ``StoreError``.
    public func delete(_ iso: Template) async throws {
        try await self.store.deleteTemplate(id: iso.id)
        try await ImageRegistration.removeFiles(of: iso, store: self.store)
        try await self.store.deleteTags(resourceIds: [iso.id], resourceType: "ISO", keys: [])
    }
}

extension CloudServices {
    /// ISO images.
    public var isos: IsoService { IsoService(services: self) }
}
