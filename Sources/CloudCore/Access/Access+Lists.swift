import CloudModel
import CloudStore
import Orchestrator

/// The queries of list operations (CloudStack's `buildACLSearchParameters`): paging, filters and the caller's reach.
extension Access {
    /// The store query of a `BaseListCmd`: paging (431 when page/pagesize are inconsistent), keyword, id/ids, and
    /// name (in any case).
    /// - Parameters:
    ///   - request: the list request.
    ///   - equals: extra `column = value` filters.
    /// - Returns: the query.
    /// - Throws: 431.
    public func query(
        _ request: ListRequest,
        _ equals: [(column: String, value: String)] = []
    ) throws(CloudError) -> ListQuery {
        var query = ListQuery(equals: equals, keyword: request.keyword)
        if let id = request.id { query.equals.append(("id", id)) }
        // CloudStack's SQL compares names without case (MySQL's default collation).
        if let name = request.name { query.equalsIgnoringCase.append(("name", name)) }
        query.idIn = request.ids
        let maximum =
            self.services.configuration.cached.int(GlobalSettings.Name.defaultPageSize) ?? ListRequest.defaultPageSize
        switch (request.page, request.pageSize) {
        case (nil, nil):
            query.pageSize = maximum
        case (let page?, let size?) where size > 0 && size <= maximum && page >= 1:
            query.page = page
            query.pageSize = size
        case (nil, .some(-1)):
            query.pageSize = nil
        case (nil, .some), (.some, nil):
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "\"page\" parameter is required when \"pagesize\" is specified"
            )
        case (.some, .some):
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Page size can't exceed max allowed page size value: \(maximum)"
            )
        }
        return query
    }

    /// The store query of a list over rows owned through `column` (an account UUID): paging and filters as
    /// ``query(_:_:)``, restricted to what the caller may see, narrowed by the request's scope.
    /// - Without any scope, every caller sees its own account's rows; `listAll` widens this to the root admin's
    ///   whole cloud and a domain admin's subtree; an admin asking for one `id` finds it in its reach.
    /// - `domainId` lists that domain's accounts (with `isRecursive`/`listAll`, its subtree); `account` one account.
    /// - Throws: 431 for bad paging or unknown names, 531 out of reach.
    public func scopedQuery(
        _ request: ListRequest,
        _ equals: [(column: String, value: String)] = [],
        column: String = "account_id"
    ) async throws -> ListQuery {
        var query = try self.query(request, equals)
        if let projectId = request.projectId {
            if projectId == "-1" {
                switch self.caller.role {
                case .rootAdmin:
                    query.projects = .only(column: column, memberId: nil)
                case .domainAdmin:
                    query.projects = .only(column: column, memberId: nil)
                    query.domainScope = DomainScope(
                        column: .account(column),
                        path: try await self.callerDomain().path,
                        recursive: true
                    )
                case .user:
                    query.projects = .only(column: column, memberId: self.caller.account.id)
                }
            } else {
                query.equals.append((column, try await self.project(id: projectId).accountId))
            }
            return query
        }
        if let name = request.account {
            query.equals.append((column, try await self.namedAccount(name, domainId: request.domainId).id))
            return query
        }
        let recursive = request.isRecursive || request.listAll
        if let domainId = request.domainId {
            let domain = try await self.domain(id: domainId)
            if self.caller.role == .user {
                query.equals.append((column, self.caller.account.id))
            } else {
                query.domainScope = DomainScope(column: .account(column), path: domain.path, recursive: recursive)
                query.projects = .exclude(column: column)
            }
            return query
        }
        let widen = request.listAll || request.id != nil
        switch self.caller.role {
        case .rootAdmin where widen:
            // Without `projectid`, wide lists leave projects' resources out (CloudStack's SkipProjectResources);
            // one asked for by id is still found.
            if request.id == nil { query.projects = .exclude(column: column) }
        case .domainAdmin where widen:
            query.domainScope = DomainScope(
                column: .account(column),
                path: try await self.callerDomain().path,
                recursive: true
            )
            if request.id == nil { query.projects = .exclude(column: column) }
        default:
            query.equals.append((column, self.caller.account.id))
        }
        return query
    }

    /// Filters that restrict a list to the caller's account unless the root admin asks for `listAll`. Domain
    /// admins get their own account here: lists that honour domains use ``scopedQuery(_:_:column:)``.
    public func ownership(_ request: ListRequest) -> [(column: String, value: String)] {
        if self.caller.role == .rootAdmin && request.listAll { return [] }
        return [("account_id", self.caller.account.id)]
    }

    /// One page of items fetched whole (small sets: domains, roles, limits, settings, plans), paged as
    /// ``query(_:_:)`` pages a store list: every item without paging or with `pagesize=-1`.
    /// - Throws: 431 for bad paging.
    public func pageInMemory<Item: Sendable>(
        _ items: [Item],
        _ request: ListRequest
    ) throws(CloudError) -> ListPage<Item> {
        let query = try self.query(request)
        return ListPage(total: items.count, items: Self.slice(items, page: query.page, size: query.pageSize))
    }

    /// Page `page` (1-based) of `size` elements, or every element when `size` is nil; the offset saturates, so a
    /// client's page number never traps.
    static func slice<Item>(_ items: [Item], page: Int, size: Int?) -> [Item] {
        guard let size else { return items }
        return Array(items.dropFirst(ListQuery.offset(page: page, size: size)).prefix(Swift.max(0, size)))
    }
}
