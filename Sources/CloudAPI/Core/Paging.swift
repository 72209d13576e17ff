import CloudModel

extension Collection {
    /// Page `page` (1-based) of `size` elements, or every element when `size` is nil; the offset saturates, so a
    /// client's page number never traps.
    /// - Parameters:
    ///   - page: the 1-based page.
    ///   - size: elements per page, nil for all.
    /// - Returns: the page's elements.
    func paged(_ page: Int, size: Int?) -> [Element] {
        guard let size else { return Array(self) }
        let offset = Swift.max(0, page.saturatingSubtracting(1)).saturatingMultiplied(by: Swift.max(0, size))
        return Array(self.dropFirst(offset).prefix(Swift.max(0, size)))
    }
}
