import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Disk offerings: create, update, delete, list and look up.
extension OfferingService {
    /// Creates a disk offering (createDiskOffering): a size in GB up to `storage.max.volume.size`, or customized.
    /// - Parameters:
    ///   - name: the name.
    ///   - displayText: the display text, the name when nil.
    ///   - diskSize: the size in GB; required unless customized.
    ///   - customized: whether the deployer chooses the size.
    /// - Throws: 431 with CloudStack's texts.
    public func createDiskOffering(
        name: String,
        displayText: String?,
        diskSize size: Int?,
        customized: Bool
    ) async throws -> DiskOffering {
        if let size, size < 1 {
            throw CloudError(.paramError, csErrorCode: 4350, "Please specify a disk size of at least 1 GB.")
        }
        let maximum = self.services.configuration.cached.int(GlobalSettings.maxVolumeSize) ?? 2000
        if let size, size > maximum {
            throw CloudError(.paramError, csErrorCode: 4350, "The maximum size for a disk is \(maximum) Gb.")
        }
        if size == nil && !customized {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Disksize is required for a non-customized disk offering"
            )
        }
        let offering = DiskOffering(
            id: UUID().uuidString.lowercased(),
            name: name,
            displayText: displayText ?? name,
            diskSize: customized ? 0 : size ?? 0,
            created: self.services.clock.now
        )
        try await self.store.insert(offering)
        return offering
    }

    /// Updates a disk offering's name or display text (nil: unchanged).
    /// - Throws: 431 for an unknown offering (parameter `id`).
    public func updateDiskOffering(
        _ access: Access,
        id: String,
        name: String?,
        displayText: String?
    ) async throws -> DiskOffering {
        var offering = try await self.diskOffering(access, id: id, parameter: "id")
        if let name { offering.name = name }
        if let displayText { offering.displayText = displayText }
        try await self.store.replace(offering, id: offering.id)
        return offering
    }

    /// Deletes a disk offering.
    /// - Throws: 431 for an unknown offering (parameter `id`).
    public func deleteDiskOffering(_ access: Access, id: String) async throws {
        let offering = try await self.diskOffering(access, id: id, parameter: "id")
        try await self.store.delete(DiskOffering.self, id: offering.id)
    }

    /// The disk offerings (listDiskOfferings).
    /// - Throws: 431 for bad paging.
    public func diskOfferings(_ access: Access, _ request: ListRequest) async throws -> ListPage<DiskOffering> {
        try await self.store.list(DiskOffering.self, try access.query(request))
    }

    /// The disk offering with this UUID.
    /// - Throws: 431 naming `parameter` when unknown.
    public func diskOffering(
        _ access: Access,
        id: String,
        parameter: String = "diskofferingid"
    ) async throws -> DiskOffering {
        guard let offering = try await self.store.get(DiskOffering.self, id: id) else {
            throw access.unknown(parameter, id)
        }
        return offering
    }
}
