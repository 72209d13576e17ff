/// What a list operation was asked for, transport-free: CloudStack's `BaseListCmd` paging and filters, and the
/// ownership scope of lists that honour domains (`account`, `domainid`, `isrecursive`, `listall`, `projectid`).
/// The core turns it into a store query restricted to what the caller may see.
public struct ListRequest: Sendable {
    /// `default.page.size`'s default.
    public static let defaultPageSize = 500

    /// Case-insensitive substring of the name.
    public var keyword: String?
    /// One row by UUID.
    public var id: String?
    /// Rows by UUID.
    public var ids: [String]?
    /// Rows by exact name.
    public var name: String?
    /// The 1-based page; with ``pageSize``.
    public var page: Int?
    /// Rows per page; -1 (without ``page``) for all.
    public var pageSize: Int?
    /// `tags[N].key`/`tags[N].value` pairs; a row matches any of them, a nil value any value.
    public var tags: [(key: String, value: String?)]
    /// One account's rows, by name (with ``domainId``, else in the caller's domain).
    public var account: String?
    /// A domain's rows (its subtree with ``isRecursive`` or ``listAll``).
    public var domainId: String?
    /// With ``domainId``: also its subdomains.
    public var isRecursive: Bool
    /// Everything the caller may see, not only its own account's.
    public var listAll: Bool
    /// A project's rows; `-1` for every project the caller may see.
    public var projectId: String?

    /// Creates a request; every filter is optional.
    public init(
        keyword: String? = nil,
        id: String? = nil,
        ids: [String]? = nil,
        name: String? = nil,
        page: Int? = nil,
        pageSize: Int? = nil,
        tags: [(key: String, value: String?)] = [],
        account: String? = nil,
        domainId: String? = nil,
        isRecursive: Bool = false,
        listAll: Bool = false,
        projectId: String? = nil
    ) {
        self.keyword = keyword
        self.id = id
        self.ids = ids
        self.name = name
        self.page = page
        self.pageSize = pageSize
        self.tags = tags
        self.account = account
        self.domainId = domainId
        self.isRecursive = isRecursive
        self.listAll = listAll
        self.projectId = projectId
    }

    /// The owner a create names with the same parameters.
    public var owner: OwnerRequest {
        OwnerRequest(account: self.account, domainId: self.domainId, projectId: self.projectId)
    }
}
