import CloudCore
import CloudModel

/// What the cloud says about itself: listCapabilities, listOsCategories, listOsTypes, listHypervisors,
/// listRegions, listStorageProviders (``MetadataService`` answers).
enum MetadataCommands {
    static var all: [CommandDescriptor] {
        [listCapabilities, listOsCategories, listOsTypes, listHypervisors, listRegions, listStorageProviders]
    }

    static let paging: [ParameterDescriptor] = [
        ParameterDescriptor("keyword", .string, "List by keyword"),
        ParameterDescriptor("page", .integer, "the page to return"),
        ParameterDescriptor("pagesize", .integer, "the number of items per page"),
    ]

    static let listCapabilities = CommandDescriptor("listCapabilities", "Lists capabilities") { context in
        let capabilities = context.core.metadata.capabilities()
        return .object(name: "capability", Self.render(capabilities))
    }

    /// CloudStack's CapabilitiesResponse.
    static func render(_ capabilities: MetadataService.Capabilities) -> APIValue {
        .object([
            ("securitygroupsenabled", .bool(capabilities.securityGroupsEnabled)),
            ("dynamicrolesenabled", .bool(capabilities.dynamicRolesEnabled)),
            ("cloudstackversion", .string(capabilities.cloudStackVersion)),
            ("userpublictemplateenabled", .bool(capabilities.userPublicTemplateEnabled)),
            ("supportELB", .string(capabilities.supportELB)),
            ("projectinviterequired", .bool(capabilities.projectInviteRequired)),
            ("allowusercreateprojects", .bool(capabilities.allowUserCreateProjects)),
            ("customdiskofferingminsize", .int(capabilities.customDiskOfferingMinSize)),
            ("customdiskofferingmaxsize", .int(capabilities.customDiskOfferingMaxSize)),
            ("regionsecondaryenabled", .bool(capabilities.regionSecondaryEnabled)),
            ("kvmsnapshotenabled", .bool(capabilities.kvmSnapshotEnabled)),
            ("allowuserviewdestroyedvm", .bool(capabilities.allowUserViewDestroyedVM)),
            ("allowuserexpungerecovervm", .bool(capabilities.allowUserExpungeRecoverVM)),
            ("allowuserexpungerecovervolume", .bool(capabilities.allowUserExpungeRecoverVolume)),
            ("allowuserviewalldomainaccounts", .bool(capabilities.allowUserViewAllDomainAccounts)),
            ("allowuserforcestopvm", .bool(capabilities.allowUserForceStopVM)),
            ("kubernetesserviceenabled", .bool(capabilities.kubernetesServiceEnabled)),
            (
                "kubernetesclusterexperimentalfeaturesenabled",
                .bool(capabilities.kubernetesClusterExperimentalFeaturesEnabled)
            ),
            ("defaultuipagesize", .int(capabilities.defaultUIPageSize)),
            ("instancesstatsretentiontime", .int(capabilities.instancesStatsRetentionTime)),
            ("instancesstatsuseronly", .bool(capabilities.instancesStatsUserOnly)),
            ("instancesdisksstatsretentionenabled", .bool(capabilities.instancesDisksStatsRetentionEnabled)),
            ("instancesdisksstatsretentiontime", .int(capabilities.instancesDisksStatsRetentionTime)),
            ("dynamicscalingenabled", .bool(capabilities.dynamicScalingEnabled)),
        ])
    }

    static let listOsCategories = CommandDescriptor(
        "listOsCategories",
        "Lists all supported OS categories for this cloud.",
        parameters: paging + [
            ParameterDescriptor("id", .uuid, "list Os category by id"),
            ParameterDescriptor("name", .string, "list os category by name"),
        ]
    ) { context in
        let page = try context.core.metadata.osCategories(context.access, context.listRequest)
        let items: [APIValue] = page.items.map { category in
            .object([("id", .string(category.id)), ("name", .string(category.name)), ("isfeatured", .bool(false))])
        }
        return .list(item: "oscategory", total: page.total, items: items)
    }

    static let listOsTypes = CommandDescriptor(
        "listOsTypes",
        "Lists all supported OS types for this cloud.",
        parameters: paging + [
            ParameterDescriptor("id", .uuid, "list by Os type Id"),
            ParameterDescriptor("oscategoryid", .uuid, "list by Os Category id"),
            ParameterDescriptor("description", .string, "list os by description"),
            ParameterDescriptor("fordisplay", .boolean, "list resources by display flag"),
        ]
    ) { context in
        let page = try context.core.metadata.osTypes(
            context.access,
            context.listRequest,
            categoryId: context.string("oscategoryid"),
            description: context.string("description"),
            forDisplay: context.string("fordisplay").map { _ in context.bool("fordisplay") }
        )
        let categories = Dictionary(uniqueKeysWithValues: GuestOSCatalogue.categories.map { ($0.id, $0.name) })
        let items: [APIValue] = page.items.map { type in
            .object([
                ("id", .string(type.id)), ("oscategoryid", .string(type.categoryId)),
                ("oscategoryname", .string(categories[type.categoryId] ?? "")), ("name", .string(type.description)),
                ("description", .string(type.description)), ("isuserdefined", .bool(false)),
                ("fordisplay", .bool(true)),
            ])
        }
        return .list(item: "ostype", total: page.total, items: items)
    }

    static let listHypervisors = CommandDescriptor(
        "listHypervisors",
        "List hypervisors",
        parameters: [ParameterDescriptor("zoneid", .uuid, "the zone id for listing hypervisors.")]
    ) { context in
        let names = try await context.core.metadata.hypervisors(context.access, zoneId: context.string("zoneid"))
        return .list(item: "hypervisor", total: names.count, items: names.map { .object([("name", .string($0))]) })
    }

    static let listRegions = CommandDescriptor(
        "listRegions",
        "Lists Regions",
        parameters: paging + [
            ParameterDescriptor("id", .integer, "List Region by region ID."),
            ParameterDescriptor("name", .string, "List Region by region name."),
        ]
    ) { context in
        // CloudStack's default region row points at its own API; ZooStack's at the address the client used.
        let endpoint = "http://\(context.requestHost ?? "localhost:8080")/client/"
        var request = context.listRequest
        request.id = nil
        let page = try context.core.metadata.regions(
            context.access,
            request,
            id: context.int("id"),
            endpoint: endpoint
        )
        let items: [APIValue] = page.items.map { region in
            .object([
                ("id", .int(region.id)), ("name", .string(region.name)), ("endpoint", .string(region.endpoint)),
                ("gslbserviceenabled", .bool(region.gslbServiceEnabled)),
                ("portableipserviceenabled", .bool(region.portableIPServiceEnabled)),
            ])
        }
        return .list(item: "region", total: page.total, items: items)
    }

    static let listStorageProviders = CommandDescriptor(
        "listStorageProviders",
        "Lists storage providers.",
        roles: [.rootAdmin],
        parameters: paging + [
            ParameterDescriptor(
                "type",
                .string,
                required: true,
                "the type of storage provider: either primary or image"
            )
        ]
    ) { context in
        let providers = try context.core.metadata.storageProviders(context.access, type: try context.required("type"))
        let items: [APIValue] = providers.map { .object([("name", .string($0.name)), ("type", .string($0.type))]) }
        return .list(item: "dataStoreProvider", total: items.count, items: items)
    }
}
