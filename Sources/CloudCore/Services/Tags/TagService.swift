import CloudModel
import CloudStore
import Foundation

/// Resource tags (CloudStack's `TaggedResourceService`): key/value pairs on the caller's resources.
public struct TagService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// Resources to tag or untag, checked: a canonical resource type and each resource with its owner.
    public struct Resources: Sendable {
        /// The canonical resource type (`UserVm`, `PublicIpAddress`, ...).
        public let type: String
        /// Each resource's UUID with its owner's account UUID.
        public let owners: [(id: String, accountId: String)]
    }

    /// The filters of listTags besides paging.
    public struct Filter: Sendable {
        /// One resource.
        public var resourceId: String?
        /// A resource type, matched case-insensitively.
        public var resourceType: String?
        /// The key.
        public var key: String?
        /// The value.
        public var value: String?
        /// The customer.
        public var customer: String?

        /// Creates a filter; every field is optional.
        public init(
            resourceId: String? = nil,
            resourceType: String? = nil,
            key: String? = nil,
            value: String? = nil,
            customer: String? = nil
        ) {
            self.resourceId = resourceId
            self.resourceType = resourceType
            self.key = key
            self.value = value
            self.customer = customer
        }
    }

    /// The tags of a page of resources, grouped by resource UUID, in creation order (one query for the page).
    /// - Parameters:
    ///   - resourceIds: the resources.
    ///   - resourceType: their type (`UserVm`, `Volume`, ...).
    /// - Throws: ``StoreError``.
    public func of(_ resourceIds: [String], resourceType: String) async throws -> [String: [ResourceTag]] {
        try await self.store.tags(of: resourceIds, resourceType: resourceType)
    }

    /// Resolves a resource type and checks that every resource exists and the caller may tag it (the root admin
    /// any, others their own account's).
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - typeName: the resource type as given (case-insensitive).
    ///   - ids: the resources' UUIDs (empty entries are skipped).
    /// - Throws: 431 for an unknown type, resource or no resource; 531 for another account's resource.
    public func resources(_ access: Access, type typeName: String, ids: [String]) async throws -> Resources {
        guard let (type, table) = TaggableResources.resolve(typeName) else {
            throw CloudError(.paramError, csErrorCode: 4350, "Invalid resource type \(typeName)")
        }
        var owners: [(id: String, accountId: String)] = []
        for id in ids where !id.isEmpty {
            guard let owner = try await self.store.owner(ofResource: id, table: table) else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Unable to find resource by id \(id) and type \(type)"
                )
            }
            if access.caller.role != .rootAdmin && owner != access.caller.account.id {
                throw CloudError(
                    .accountError,
                    csErrorCode: 4365,
                    "Account \(access.caller.account.name) does not have permission to operate on resource \(id)"
                )
            }
            owners.append((id, owner))
        }
        guard !owners.isEmpty else { throw CloudError.missingParameter(access.command, "resourceids") }
        return Resources(type: type, owners: owners)
    }

    /// Tags every resource with every pair, all or nothing.
    /// - Parameters:
    ///   - resources: from ``resources(_:type:ids:)``.
    ///   - pairs: the keys and values.
    ///   - customer: the client the tags are for.
    /// - Throws: 431 when a key is already on one of the resources; ``StoreError``.
    public func create(
        _ resources: Resources,
        pairs: [(key: String, value: String)],
        customer: String?
    ) async throws {
        let tags = resources.owners.flatMap { id, owner in
            pairs.map { pair in
                ResourceTag(
                    id: UUID().uuidString.lowercased(),
                    key: pair.key,
                    value: pair.value,
                    resourceId: id,
                    resourceType: resources.type,
                    accountId: owner,
                    customer: customer,
                    created: self.services.clock.now
                )
            }
        }
        do {
            try await self.store.insertTags(tags)
        } catch {
            guard error.kind == .duplicate else { throw error }
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "A tag with one of the keys \(pairs.map(\.key).joined(separator: ", ")) already exists on a \(resources.type) in \(resources.owners.map(\.id).joined(separator: ","))"
            )
        }
    }

    /// Deletes the resources' tags, all of them or those matching `keys` (a nil value matches any value).
    /// - Throws: ``StoreError``.
    public func delete(_ resources: Resources, keys: [(key: String, value: String?)]) async throws {
        try await self.store.deleteTags(
            resourceIds: resources.owners.map(\.id),
            resourceType: resources.type,
            keys: keys
        )
    }

    /// The tags the caller may see: its own account's (the root admin's with `listAll`: every tag). The
    /// request's keyword matches the key exactly; its ids, name and tags are ignored.
    /// - Throws: 431 for bad paging.
    public func list(_ access: Access, _ request: ListRequest, _ filter: Filter) async throws -> ListPage<ResourceTag> {
        var query = try access.query(request)
        query.equals = access.ownership(request)
        query.idIn = nil
        if let keyword = query.keyword, !keyword.isEmpty {
            query.equals.append(("\"key\"", keyword))
        }
        query.keyword = nil
        if let typeName = filter.resourceType {
            query.equals.append(("resource_type", TaggableResources.resolve(typeName)?.name ?? typeName))
        }
        for (value, column) in [
            (filter.resourceId, "resource_id"), (filter.key, "\"key\""), (filter.value, "\"value\""),
            (filter.customer, "customer"),
        ] {
            if let value { query.equals.append((column, value)) }
        }
        return try await self.store.list(ResourceTag.self, query)
    }

    /// The owners of a page of tags, by account UUID.
    /// - Throws: ``StoreError``.
    public func accounts(of tags: [ResourceTag]) async throws -> [String: Account] {
        var accounts: [String: Account] = [:]
        for id in Set(tags.map(\.accountId)) {
            accounts[id] = try await self.store.get(Account.self, id: id)
        }
        return accounts
    }
}

extension CloudServices {
    /// Resource tags.
    public var tags: TagService { TagService(services: self) }
}
