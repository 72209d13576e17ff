import CloudModel
import CloudStore
import Orchestrator

/// What the cloud says about itself (CloudStack's `ManagementServerImpl.listCapabilities`, `listGuestOSByCriteria`,
/// `listGuestOSCategoriesByCriteria`, `getHypervisors`, `RegionManager.listRegions` and the data store providers):
/// read-only answers, from the settings where ZooStack has them and CloudStack's defaults where it does not.
public struct MetadataService: Sendable {
    let services: CloudServices

    /// The hypervisors ZooStack drives (CloudStack's `hypervisor.list`, as far as ZooStack implements it).
    public static let supportedHypervisors = ["KVM", "Simulator"]

    /// CloudStack's `CapabilitiesResponse`, field for field.
    public struct Capabilities: Sendable, Hashable {
        /// `cloudstackversion`.
        public var cloudStackVersion = CloudServices.version
        /// `securitygroupsenabled`: whether some zone has security groups (ZooStack's zones answer false).
        public var securityGroupsEnabled = false
        /// `dynamicrolesenabled`: ZooStack has CloudStack's three fixed roles only.
        public var dynamicRolesEnabled = false
        /// `userpublictemplateenabled` (`allow.public.user.templates`).
        public var userPublicTemplateEnabled = true
        /// `supportELB` (a string in CloudStack's response).
        public var supportELB = "false"
        /// `projectinviterequired` (`project.invite.required`).
        public var projectInviteRequired = false
        /// `allowusercreateprojects` (`allow.user.create.projects`).
        public var allowUserCreateProjects = true
        /// `customdiskofferingminsize` (`custom.diskoffering.size.min`, GiB).
        public var customDiskOfferingMinSize = 1
        /// `customdiskofferingmaxsize` (`custom.diskoffering.size.max`, GiB).
        public var customDiskOfferingMaxSize = 1024
        /// `regionsecondaryenabled`.
        public var regionSecondaryEnabled = false
        /// `kvmsnapshotenabled`: volume snapshots of running KVM VMs.
        public var kvmSnapshotEnabled = true
        /// `allowuserviewdestroyedvm` (`allow.user.view.destroyed.vm`).
        public var allowUserViewDestroyedVM = false
        /// `allowuserexpungerecovervm` (`allow.user.expunge.recover.vm`).
        public var allowUserExpungeRecoverVM = false
        /// `allowuserexpungerecovervolume` (`allow.user.expunge.recover.volume`).
        public var allowUserExpungeRecoverVolume = true
        /// `allowuserviewalldomainaccounts` (`allow.user.view.all.domain.accounts`).
        public var allowUserViewAllDomainAccounts = false
        /// `allowuserforcestopvm` (`allow.user.force.stop.vm`).
        public var allowUserForceStopVM = true
        /// `kubernetesserviceenabled`.
        public var kubernetesServiceEnabled = false
        /// `kubernetesclusterexperimentalfeaturesenabled`.
        public var kubernetesClusterExperimentalFeaturesEnabled = false
        /// `defaultuipagesize` (`default.ui.page.size`).
        public var defaultUIPageSize = 20
        /// `instancesstatsretentiontime` (`vm.stats.max.retention.time`, minutes).
        public var instancesStatsRetentionTime = 720
        /// `instancesstatsuseronly` (`vm.stats.user.vm.only`).
        public var instancesStatsUserOnly = false
        /// `instancesdisksstatsretentionenabled` (`vm.disk.stats.retention.enabled`).
        public var instancesDisksStatsRetentionEnabled = false
        /// `instancesdisksstatsretentiontime` (`vm.disk.stats.max.retention.time`, minutes).
        public var instancesDisksStatsRetentionTime = 720
        /// `dynamicscalingenabled` (`enable.dynamic.scale.vm`).
        public var dynamicScalingEnabled = false
    }

    /// A region (CloudStack's `RegionResponse`): ZooStack is one region, CloudStack's default `Local` (id 1).
    public struct Region: Sendable, Hashable {
        /// The id (an integer in CloudStack).
        public var id: Int
        /// The name.
        public var name: String
        /// The API endpoint.
        public var endpoint: String
        /// `gslbserviceenabled` (true in CloudStack's default region row).
        public var gslbServiceEnabled: Bool
        /// `portableipserviceenabled`.
        public var portableIPServiceEnabled: Bool
    }

    /// The capabilities (listCapabilities), the custom disk sizes and dynamic scaling read from the settings.
    public func capabilities() -> Capabilities {
        let settings = self.services.configuration.cached
        var capabilities = Capabilities()
        capabilities.customDiskOfferingMinSize = settings.int(GlobalSettings.customDiskOfferingMinSize) ?? 1
        capabilities.customDiskOfferingMaxSize = settings.int(GlobalSettings.customDiskOfferingMaxSize) ?? 1024
        capabilities.dynamicScalingEnabled = settings.bool("enable.dynamic.scale.vm") ?? false
        return capabilities
    }

    /// The OS categories (listOsCategories): `id` and `name` (in any case) match exactly, `keyword` a part of
    /// the name.
    /// - Throws: 431 for an unknown `id` or bad paging.
    public func osCategories(_ access: Access, _ request: ListRequest) throws(CloudError) -> ListPage<GuestOSCategory> {
        var categories = GuestOSCatalogue.categories
        if let id = request.id {
            categories = categories.filter { $0.id == id.lowercased() }
            guard !categories.isEmpty else { throw access.unknown("id", id) }
        }
        if let name = request.name?.lowercased() { categories = categories.filter { $0.name.lowercased() == name } }
        if let keyword = request.keyword?.lowercased() {
            categories = categories.filter { $0.name.lowercased().contains(keyword) }
        }
        return try access.pageInMemory(categories, request)
    }

    /// The OS types (listOsTypes): by `id`, by category, by a part of the description (`description` and
    /// `keyword`, in any case, as CloudStack's `LIKE`), by display flag (every seeded type is displayed).
    /// - Throws: 431 for an unknown `id` or `oscategoryid`, or bad paging.
    public func osTypes(
        _ access: Access,
        _ request: ListRequest,
        categoryId: String?,
        description: String?,
        forDisplay: Bool? = nil
    ) throws(CloudError) -> ListPage<GuestOSType> {
        var types = GuestOSCatalogue.types
        if let id = request.id {
            types = types.filter { $0.id == id.lowercased() }
            guard !types.isEmpty else { throw access.unknown("id", id) }
        }
        if let categoryId {
            guard GuestOSCatalogue.categories.contains(where: { $0.id == categoryId.lowercased() }) else {
                throw access.unknown("oscategoryid", categoryId)
            }
            types = types.filter { $0.categoryId == categoryId.lowercased() }
        }
        for part in [description, request.keyword].compactMap({ $0?.lowercased() }) {
            types = types.filter { $0.description.lowercased().contains(part) }
        }
        if forDisplay == false { types = [] }
        return try access.pageInMemory(types, request)
    }

    /// The hypervisors (listHypervisors): a zone's clusters' hypervisors, or every one ZooStack drives.
    /// - Throws: 431 for an unknown zone.
    public func hypervisors(_ access: Access, zoneId: String?) async throws -> [String] {
        guard let zoneId else { return Self.supportedHypervisors }
        guard try await self.services.store.get(Zone.self, id: zoneId) != nil else {
            throw access.unknown("zoneid", zoneId)
        }
        var query = ListQuery(equals: [("zone_id", zoneId)])
        query.pageSize = nil
        let clusters = try await self.services.store.list(Cluster.self, query).items
        return Array(Set(clusters.map(\.hypervisor))).sorted()
    }

    /// The regions (listRegions): the one region, `Local` (id 1), at `endpoint`; filters `id` and `name`.
    /// - Throws: 431 for bad paging.
    public func regions(
        _ access: Access,
        _ request: ListRequest,
        id: Int?,
        endpoint: String
    ) throws(CloudError) -> ListPage<Region> {
        let local = Region(
            id: 1,
            name: "Local",
            endpoint: endpoint,
            gslbServiceEnabled: true,
            portableIPServiceEnabled: false
        )
        var regions = [local]
        if let id { regions = regions.filter { $0.id == id } }
        if let name = request.name?.lowercased() { regions = regions.filter { $0.name.lowercased() == name } }
        if let keyword = request.keyword?.lowercased() {
            regions = regions.filter { $0.name.lowercased().contains(keyword) }
        }
        var unfiltered = request
        unfiltered.id = nil
        return try access.pageInMemory(regions, unfiltered)
    }

    /// The storage providers of a type (listStorageProviders): `primary` (ZooStack's pools are CloudStack's
    /// `DefaultPrimary`) or `image` (`NFS`), in any case.
    /// - Returns: (name, type) pairs.
    /// - Throws: 431 naming `type` for another type.
    public func storageProviders(_ access: Access, type: String) throws(CloudError) -> [(name: String, type: String)] {
        switch type.lowercased() {
        case "primary": [("DefaultPrimary", "primary")]
        case "image": [("NFS", "image")]
        default: throw access.unknown("type", type)
        }
    }
}

extension CloudServices {
    /// What the cloud says about itself: capabilities, OS types, hypervisors, regions, storage providers.
    public var metadata: MetadataService { MetadataService(services: self) }
}
