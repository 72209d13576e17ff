import CloudModel
import CloudStore
import Foundation

/// Templates (CloudStack's `TemplateManager`): list with `templatefilter`, update, delete, launch permissions,
/// and private templates created from a volume or a snapshot.
public struct TemplateService: Sendable {
    /// The image formats updateTemplate accepts.
    public static let formats = ["QCOW2", "RAW", "VHD", "VHDX", "OVA", "ISO", "VMDK", "BAREMETAL", "TAR", "ZIP"]

    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The template with this UUID, when the caller owns it (or is the root admin).
    /// - Throws: 431 when unknown, 531 when another account's.
    public func owned(_ access: Access, id: String, parameter: String = "id") async throws -> Template {
        guard let template = try await self.store.get(Template.self, id: id) else {
            throw access.unknown(parameter, id)
        }
        if access.caller.role != .rootAdmin && template.accountId != access.caller.account.id {
            throw CloudError(
                .accountError,
                csErrorCode: 4365,
                "Account \(access.caller.account.name) does not have permission to operate on template \(template.id)"
            )
        }
        return template
    }

    /// CloudStack's `templatefilter`/`isofilter` as a predicate over images the caller may list.
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - filter: the filter, lower-cased.
    ///   - parameter: the parameter it came in, for the error text.
    /// - Throws: 431 for an unknown filter or `all` asked by a non-admin.
    public func matcher(
        _ access: Access,
        filter: String,
        parameter: String
    ) async throws -> @Sendable (Template) -> Bool {
        let own = access.caller.account.id
        let shared = try await self.store.templatesShared(with: own)
        let matches: @Sendable (Template) -> Bool
        switch filter {
        case "featured": matches = { $0.isFeatured && $0.isPublic }
        case "self": matches = { $0.accountId == own }
        case "selfexecutable": matches = { $0.accountId == own && $0.isReady }
        case "sharedexecutable": matches = { shared.contains($0.id) && $0.isReady }
        case "executable":
            matches = { $0.isReady && ($0.isPublic || $0.accountId == own || shared.contains($0.id)) }
        case "community": matches = { $0.isPublic && !$0.isFeatured }
        case "all":
            guard access.caller.role == .rootAdmin else {
                throw CloudError(.paramError, csErrorCode: 4350, "Filter all can be specified by admin only")
            }
            matches = { _ in true }
        default: throw CloudError.invalidParameter(access.command, parameter, filter)
        }
        return matches
    }

    /// The templates (not ISOs) a filter selects, by zone and hypervisor.
    /// - Parameter filter: `templatefilter`, lower-cased.
    /// - Throws: 431 for bad paging (first) or a bad filter.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        filter: String,
        zoneId: String?,
        hypervisor: String?
    ) async throws -> ListPage<Template> {
        let query = try access.query(request)
        var all = query
        all.page = 1
        all.pageSize = nil
        all.tags = request.tags
        all.tagResourceType = "Template"
        if let zoneId { all.equals.append(("zone_id", zoneId)) }
        if let hypervisor { all.equals.append(("hypervisor", hypervisor)) }
        let matches = try await self.matcher(access, filter: filter, parameter: "templatefilter")
        let templates = try await self.store.list(Template.self, all).items.filter {
            matches($0) && $0.format != "ISO"
        }
        let size = query.pageSize ?? max(templates.count, 1)
        return ListPage(total: templates.count, items: Access.slice(templates, page: query.page, size: size))
    }

    /// What updateTemplate changes (nil: unchanged).
    public struct Update: Sendable {
        /// The name.
        public var name: String?
        /// The display text.
        public var displayText: String?
        /// The image format (any case).
        public var format: String?

        /// Creates an update.
        public init(name: String? = nil, displayText: String? = nil, format: String? = nil) {
            self.name = name
            self.displayText = displayText
            self.format = format
        }
    }

    /// Updates the caller's template.
    /// - Returns: the template as stored.
    /// - Throws: 431 for an unknown format; ``owned(_:id:parameter:)``'s errors.
    public func update(_ access: Access, id: String, _ update: Update) async throws -> Template {
        var template = try await self.owned(access, id: id)
        if let name = update.name { template.name = name }
        if let text = update.displayText { template.displayText = text }
        if let format = update.format {
            guard Self.formats.contains(format.uppercased()) else {
                throw CloudError(.paramError, csErrorCode: 4350, "Image format: \(format) is incorrect")
            }
            template.format = format.uppercased()
        }
        try await self.store.replace(template, id: template.id)
        return template
    }

    /// The template deleteTemplate names, checked: in that zone, and used by no VM unless `forced`; delete it with
    /// ``delete(_:)``.
    /// - Throws: 431 for another zone or a template in use; ``owned(_:id:parameter:)``'s errors.
    public func prepareDelete(_ access: Access, id: String, zoneId: String?, forced: Bool) async throws -> Template {
        let template = try await self.owned(access, id: id)
        if let zoneId, zoneId != template.zoneId {
            throw CloudError.invalidParameter(access.command, "zoneid", zoneId)
        }
        var users = ListQuery(equals: [("template_id", template.id)], excludeStates: ["Expunging"])
        users.pageSize = 20
        let inUse = try await self.store.list(VirtualMachine.self, users)
        if inUse.total > 0 && !forced {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to delete template with id: \(template.id) because VM instances: [\(inUse.items.map(\.name).joined(separator: ", "))] are using it."
            )
        }
        return template
    }

    /// Deletes a template (or ISO), its launch permissions and its file in a file image store.
    /// - Throws: ``StoreError``.
    public func delete(_ template: Template) async throws {
        try await self.store.deleteTemplate(id: template.id)
        try await self.store.delete(TemplateUserData.self, id: template.id)
        try await ImageRegistration.removeFiles(of: template, store: self.store)
    }

    /// What a page of templates is rendered with.
    public struct Relations: Sendable {
        /// Zone names by UUID.
        public var zoneNames: [String: String]
        /// The owners' accounts by UUID.
        public var accounts: [String: Account]
        /// Their tags, by template UUID.
        public var tags: [String: [ResourceTag]]
        /// The user data linked to them, by template UUID.
        public var userData: [String: (link: TemplateUserData, userData: UserData)] = [:]
    }

    /// Loads what rendering `templates` needs.
    /// - Parameter tagType: the tags' resource type (`Template` or `ISO`).
    /// - Throws: ``StoreError``.
    public func relations(of templates: [Template], tagType: String = "Template") async throws -> Relations {
        let zones = try await StorageLookup.rows(self.store, Zone.self, templates.map(\.zoneId), \.id)
        return Relations(
            zoneNames: zones.mapValues(\.name),
            accounts: try await StorageLookup.rows(self.store, Account.self, templates.map(\.accountId), \.id),
            tags: try await self.store.tags(of: templates.map(\.id), resourceType: tagType),
            userData: try await self.services.userDataRegistry.links(of: templates.map(\.id))
        )
    }
}

extension CloudServices {
    /// Templates.
    public var templates: TemplateService { TemplateService(services: self) }
}
