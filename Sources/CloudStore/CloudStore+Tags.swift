import CloudModel
import SQLiteKit

extension ResourceTag: StoreRow { public static var table: String { "resource_tag" } }

/// The resource types that can carry tags, with the table holding each (CloudStack's
/// `ResourceTag.ResourceObjectType`). Add a line here when a new resource becomes taggable.
public enum TaggableResources {
    /// CloudStack resource type name → table.
    public static let tables: [String: String] = [
        "UserVm": "vm_instance",
        "Template": "template",
        "Volume": "volume",
        "Snapshot": "snapshot",
        "ISO": "template",
        "Network": "network",
        "Vpc": "vpc",
        "PublicIpAddress": "public_ip_address",
        "FirewallRule": "network_rule",
        "PortForwardingRule": "network_rule",
        "LoadBalancer": "network_rule",
        "SecurityGroup": "security_group",
    ]

    /// The table of `resourceType`, matched case-insensitively as CloudStack does, with its canonical name.
    /// - Parameter resourceType: the name the caller gave.
    /// - Returns: the canonical name and table, or nil when the type cannot be tagged.
    public static func resolve(_ resourceType: String) -> (name: String, table: String)? {
        self.tables.first { $0.key.lowercased() == resourceType.lowercased() }.map { ($0.key, $0.value) }
    }
}

extension CloudStore {
    /// The owning account of a taggable resource.
    /// - Parameters:
    ///   - id: the resource's UUID.
    ///   - table: its table (from ``TaggableResources``).
    /// - Returns: the owner's account id, or nil when no such resource exists.
    /// - Throws: ``StoreError``.
    public func owner(ofResource id: String, table: String) async throws(StoreError) -> String? {
        try await self.guarded("read owner") {
            try await self.sql.raw("SELECT account_id FROM \(ident: table) WHERE id = \(bind: id)")
                .first(decodingColumn: "account_id", as: String.self)
        }
    }

    /// Inserts tags all together or not at all.
    /// - Parameter tags: the tags.
    /// - Throws: ``StoreError`` (``StoreError/Kind/duplicate`` when a key is already on a resource).
    public func insertTags(_ tags: [ResourceTag]) async throws(StoreError) {
        try await self.transaction("insert resource_tag") { session in
            for tag in tags {
                try await session.insert(into: ResourceTag.table).model(tag, keyEncodingStrategy: .convertToSnakeCase)
                    .run()
            }
        }
    }

    /// Deletes the tags of resources, all of them or only those matching `keys` (a nil value matches any value).
    /// - Parameters:
    ///   - resourceIds: the resources.
    ///   - resourceType: their type.
    ///   - keys: the keys (and optional values) to delete; empty deletes every tag.
    /// - Returns: how many tags were deleted.
    /// - Throws: ``StoreError``.
    @discardableResult
    public func deleteTags(
        resourceIds: [String],
        resourceType: String,
        keys: [(key: String, value: String?)]
    ) async throws(StoreError) -> Int {
        var deleted = 0
        for resourceId in resourceIds {
            var statement: SQLQueryString = """
                DELETE FROM resource_tag WHERE resource_id = \(bind: resourceId) \
                AND resource_type = \(bind: resourceType)
                """
            if !keys.isEmpty {
                statement.appendInterpolation(unsafeRaw: " AND (")
                for (index, pair) in keys.enumerated() {
                    statement.appendInterpolation(unsafeRaw: index > 0 ? " OR (\"key\" = " : "(\"key\" = ")
                    statement.appendInterpolation(bind: pair.key)
                    if let value = pair.value {
                        statement.appendInterpolation(unsafeRaw: " AND \"value\" = ")
                        statement.appendInterpolation(bind: value)
                    }
                    statement.appendInterpolation(unsafeRaw: ")")
                }
                statement.appendInterpolation(unsafeRaw: ")")
            }
            statement.appendInterpolation(unsafeRaw: " RETURNING id")
            let query = statement
            deleted += try await self.guarded("delete tags") {
                try await self.sql.raw(query).all().count
            }
        }
        return deleted
    }

    /// The tags of a page of resources, grouped by resource id (one query for the page).
    /// - Parameters:
    ///   - resourceIds: the resources.
    ///   - resourceType: their type.
    /// - Returns: tags by resource id, in creation order.
    /// - Throws: ``StoreError``.
    public func tags(of resourceIds: [String], resourceType: String) async throws(StoreError) -> [String: [ResourceTag]]
    {
        guard !resourceIds.isEmpty else { return [:] }
        var query = ListQuery(equals: [("resource_type", resourceType)], idIn: Array(Set(resourceIds)))
        query.inColumn = "resource_id"
        return Dictionary(grouping: try await self.list(ResourceTag.self, query).items, by: \.resourceId)
    }
}
