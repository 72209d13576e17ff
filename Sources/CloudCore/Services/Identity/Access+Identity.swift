import CloudModel
import CloudStore

extension Access {
    /// One page of items fetched whole (small sets: domains, roles, limits), paged as ``query(_:_:)`` pages a
    /// store list: every item without paging or with `pagesize=-1`.
    /// - Throws: 431 for bad paging.
    func pageInMemory<Item: Sendable>(_ items: [Item], _ request: ListRequest) throws(CloudError) -> ListPage<Item> {
        let query = try self.query(request)
        guard let size = query.pageSize else { return ListPage(total: items.count, items: items) }
        let offset = ListQuery.offset(page: query.page, size: size)
        return ListPage(total: items.count, items: Array(items.dropFirst(offset).prefix(Swift.max(0, size))))
    }
}
