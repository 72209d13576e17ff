import CloudModel
import CloudStore

/// The disk offerings a fresh CloudStack has (its `ConfigurationServerImpl` creates them on a new database):
/// Small, Medium and Large of fixed sizes and Custom, whose size the volume's creator gives. Each is added when no
/// offering has its name or its id.
public enum DiskOfferingSeeder {
    /// Id, name, display text, size in GiB (0: custom). Fixed ids: management servers starting together on one
    /// database race to add them, and the loser's insert fails as a duplicate instead of adding a second one.
    public static let defaults: [(id: String, name: String, displayText: String, size: Int)] = [
        ("8a3b3a4e-0000-4000-8000-0000000000d1", "Small", "Small Disk, 5 GB", 5),
        ("8a3b3a4e-0000-4000-8000-0000000000d2", "Medium", "Medium Disk, 20 GB", 20),
        ("8a3b3a4e-0000-4000-8000-0000000000d3", "Large", "Large Disk, 100 GB", 100),
        ("8a3b3a4e-0000-4000-8000-0000000000d4", "Custom", "Custom Disk", 0),
    ]

    /// Adds the default offerings that are missing, in CloudStack's order.
    /// - Parameter store: the store.
    /// - Returns: how many were added.
    /// - Throws: ``StoreError``.
    @discardableResult
    public static func ensure(store: CloudStore) async throws(StoreError) -> Int {
        let offerings = try await store.list(DiskOffering.self).items
        let existing = Set(offerings.map(\.name) + offerings.map(\.id))
        var added = 0
        for offering in Self.defaults where !existing.contains(offering.name) && !existing.contains(offering.id) {
            try await store.insert(
                DiskOffering(
                    id: offering.id,
                    name: offering.name,
                    displayText: offering.displayText,
                    diskSize: offering.size,
                    created: store.clock.now
                )
            )
            added += 1
        }
        return added
    }
}
