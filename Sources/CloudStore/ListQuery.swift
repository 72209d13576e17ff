import CloudModel

/// Filters and paging for a list query. Column names come from code, never from callers.
public struct ListQuery: Sendable {
    /// `column = value` filters.
    public var equals: [(column: String, value: String)]
    /// `column = value` filters that ignore case, as CloudStack's SQL compares names (MySQL's case-insensitive
    /// collation): `listClusters name=cluster1` finds `Cluster1`.
    public var equalsIgnoringCase: [(column: String, value: String)] = []
    /// `inColumn IN (...)` filter.
    public var idIn: [String]?
    /// The column `idIn` applies to (default `id`).
    public var inColumn: String = "id"
    /// Case-insensitive substring match on `name`.
    public var keyword: String?
    /// 1-based page.
    public var page: Int
    /// Rows per page; nil for all.
    public var pageSize: Int?
    /// States excluded unless asked for (e.g. `Expunging`).
    public var excludeStates: [String]
    /// Restricts rows to a domain (or its subtree) through an account or domain column.
    public var domainScope: DomainScope?
    /// Columns that must be NULL (e.g. `removed` for soft-deleted rows).
    public var isNull: [String] = []
    /// `tags[N].key`/`tags[N].value` filters: a row matches when it carries any of them (CloudStack ORs the
    /// pairs; a nil value matches any value), for the resource type ``tagResourceType``.
    public var tags: [(key: String, value: String?)] = []
    /// CloudStack's resource type name of the listed rows (`UserVm`, `Template`), used by ``tags``.
    public var tagResourceType: String?
    /// Rows of projects only, or no project's rows (through an account column).
    public var projects: ProjectFilter?
    /// `column >= value` filters (date ranges: `startdate`).
    public var atLeast: [(column: String, value: Double)] = []
    /// `column <= value` filters (date ranges: `enddate`).
    public var atMost: [(column: String, value: Double)] = []
    /// The column ``keyword`` matches (default `name`; events match their description).
    public var keywordColumn: String = "name"
    /// Newest rows first (descending insertion order), as CloudStack lists events and alerts.
    public var newestFirst: Bool = false

    /// Keeps only rows whose ``inColumn`` is one of `ids` (and of the ``idIn`` already set, if any).
    public mutating func narrow(toIds ids: [String]) {
        let wanted = Set(ids)
        self.idIn = self.idIn.map { $0.filter(wanted.contains) } ?? Array(wanted)
    }

    /// Creates a query.
    public init(
        equals: [(column: String, value: String)] = [],
        idIn: [String]? = nil,
        keyword: String? = nil,
        page: Int = 1,
        pageSize: Int? = nil,
        excludeStates: [String] = [],
        domainScope: DomainScope? = nil
    ) {
        self.equals = equals
        self.idIn = idIn
        self.keyword = keyword
        self.page = page
        self.pageSize = pageSize
        self.excludeStates = excludeStates
        self.domainScope = domainScope
    }
}

/// Rows owned within a domain: `column` names an account (`account_id`) or a domain (`domain_id`); the row
/// matches when that account's domain, or that domain, is the one at `path` (or, recursive, below it).
public struct DomainScope: Sendable, Hashable {
    /// What the column holds.
    public enum Column: Sendable, Hashable {
        /// An account UUID column.
        case account(String)
        /// A domain UUID column.
        case domain(String)
    }

    /// The filtered column.
    public var column: Column
    /// The domain's path (`/`, `/child/`).
    public var path: String
    /// Whether the subtree below the domain is included.
    public var recursive: Bool

    /// Creates a scope.
    public init(column: Column, path: String, recursive: Bool) {
        self.column = column
        self.path = path
        self.recursive = recursive
    }
}

extension ListQuery {
    /// The number of rows before page `page` of `size` rows: `(page - 1) × size`, saturating (client-supplied
    /// page numbers must not trap) and never negative.
    /// - Parameters:
    ///   - page: the 1-based page.
    ///   - size: rows per page.
    /// - Returns: the offset.
    public static func offset(page: Int, size: Int) -> Int {
        max(0, page.saturatingSubtracting(1)).saturatingMultiplied(by: max(0, size))
    }
}

/// Project-owned rows in a list: those of projects (all, or those an account is a member of), or none of them.
public enum ProjectFilter: Sendable, Hashable {
    /// Only rows whose account `column` is a project's account; of the projects `memberId` belongs to when given.
    case only(column: String, memberId: String?)
    /// No row whose account `column` is a project's account.
    case exclude(column: String)
}
