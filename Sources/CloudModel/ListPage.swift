/// One page of results with the total across pages.
public struct ListPage<Item: Sendable>: Sendable {
    /// The total number of matching rows.
    public var total: Int
    /// This page's rows.
    public var items: [Item]

    /// Creates a page.
    public init(total: Int, items: [Item]) {
        self.total = total
        self.items = items
    }
}
