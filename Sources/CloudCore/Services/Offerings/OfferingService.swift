import CloudModel
import CloudStore
import Foundation

/// Compute (service) offerings (CloudStack's `ConfigurationManager` for offerings): create (fixed, customized and
/// constrained), update, soft delete, list, and the lookups deploy and scale use. Disk offerings are in
/// `OfferingService+Disk.swift`.
public struct OfferingService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// What createServiceOffering asks for.
    public struct NewServiceOffering: Sendable {
        /// The name.
        public var name: String
        /// The display text.
        public var displayText: String
        /// CPU cores; nil for a custom offering.
        public var cpuNumber: Int?
        /// MHz per core.
        public var cpuSpeed: Int?
        /// Memory in MB; nil for a custom offering.
        public var memory: Int?
        /// Whether the deployer chooses CPU and memory; nil: when neither `cpuNumber` nor `memory` is given.
        public var customized: Bool?
        /// A custom offering's minimum CPU cores.
        public var minCpuNumber: Int?
        /// A custom offering's maximum CPU cores.
        public var maxCpuNumber: Int?
        /// A custom offering's minimum memory (MB).
        public var minMemory: Int?
        /// A custom offering's maximum memory (MB).
        public var maxMemory: Int?
        /// HA for the offering.
        public var offerHa: Bool
        /// The host tags.
        public var hostTags: String?
        /// Restrict the CPU usage to the offering.
        public var limitCpuUse: Bool

        /// Creates a request.
        public init(
            name: String,
            displayText: String,
            cpuNumber: Int? = nil,
            cpuSpeed: Int? = nil,
            memory: Int? = nil,
            customized: Bool? = nil,
            minCpuNumber: Int? = nil,
            maxCpuNumber: Int? = nil,
            minMemory: Int? = nil,
            maxMemory: Int? = nil,
            offerHa: Bool = false,
            hostTags: String? = nil,
            limitCpuUse: Bool = false
        ) {
            self.name = name
            self.displayText = displayText
            self.cpuNumber = cpuNumber
            self.cpuSpeed = cpuSpeed
            self.memory = memory
            self.customized = customized
            self.minCpuNumber = minCpuNumber
            self.maxCpuNumber = maxCpuNumber
            self.minMemory = minMemory
            self.maxMemory = maxMemory
            self.offerHa = offerHa
            self.hostTags = hostTags
            self.limitCpuUse = limitCpuUse
        }
    }

    /// Creates a service offering (createServiceOffering): fixed (defaults 1 core of 500 MHz, 512 MB), or
    /// customized, optionally within bounds given all together with a CPU speed.
    /// - Throws: 431 with CloudStack's texts for values out of range or a half-given custom offering.
    public func createServiceOffering(_ request: NewServiceOffering) async throws -> ServiceOffering {
        let name = request.name
        let cpuNumber = request.cpuNumber
        let cpuSpeed = request.cpuSpeed
        let memory = request.memory
        let bounds = [request.minCpuNumber, request.maxCpuNumber, request.minMemory, request.maxMemory]
        let customized = request.customized ?? (cpuNumber == nil && memory == nil)
        func refuse(_ text: String) -> CloudError {
            CloudError(.paramError, csErrorCode: 4350, "Failed to create service offering \(name): \(text)")
        }
        if customized {
            if cpuNumber != nil || memory != nil {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "For creating a custom compute offering cpu and memory all should be null"
                )
            }
            let given = bounds.compactMap { $0 }
            if !given.isEmpty && (given.count != 4 || cpuSpeed == nil) {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "For creating a custom compute offering min/max cpu and min/max memory/cpu speed should all be null or all specified"
                )
            }
            if given.count == 4 {
                guard let minCpu = bounds[0], let maxCpu = bounds[1], let minMemory = bounds[2],
                    let maxMemory = bounds[3]
                else { throw refuse("invalid bounds") }
                if minCpu <= 0 || maxCpu < minCpu {
                    throw refuse("specify the minimum or maximum cpu number value between 1 and \(Int32.max)")
                }
                if minMemory < 32 || maxMemory < minMemory {
                    throw refuse("specify the memory value between 32 and \(Int32.max) MB")
                }
            }
        } else {
            if let cpuNumber, cpuNumber <= 0 { throw refuse("specify the cpu number value between 1 and \(Int32.max)") }
            if let memory, memory < 32 { throw refuse("specify the memory value between 32 and \(Int32.max) MB") }
        }
        if let cpuSpeed, cpuSpeed <= 0 { throw refuse("specify the cpu speed value between 1 and \(Int32.max)") }
        let offering = ServiceOffering(
            id: UUID().uuidString.lowercased(),
            name: name,
            displayText: request.displayText,
            cpuNumber: customized ? 0 : cpuNumber ?? 1,
            cpuSpeed: customized ? cpuSpeed ?? 0 : cpuSpeed ?? 500,
            memory: customized ? 0 : memory ?? 512,
            offerHa: request.offerHa,
            hostTags: request.hostTags ?? "",
            created: self.services.clock.now,
            isCustomized: customized,
            minCpuNumber: customized ? bounds[0] : nil,
            maxCpuNumber: customized ? bounds[1] : nil,
            minMemory: customized ? bounds[2] : nil,
            maxMemory: customized ? bounds[3] : nil,
            limitCpuUse: request.limitCpuUse
        )
        try await self.store.insert(offering)
        return offering
    }

    /// Updates a live service offering's name, display text or host tags (nil: unchanged; tags may be emptied).
    /// - Throws: 431 for an unknown or deleted offering (parameter `id`).
    public func updateServiceOffering(
        _ access: Access,
        id: String,
        name: String?,
        displayText: String?,
        hostTags: String?
    ) async throws -> ServiceOffering {
        var offering = try await self.serviceOffering(access, id: id, parameter: "id")
        if let name { offering.name = name }
        if let displayText { offering.displayText = displayText }
        if let hostTags { offering.hostTags = hostTags }
        try await self.store.replace(offering, id: offering.id)
        return offering
    }

    /// Deletes a live service offering softly, as CloudStack does: VMs using it keep showing it.
    /// - Throws: 431 for an unknown or deleted offering (parameter `id`).
    public func deleteServiceOffering(_ access: Access, id: String) async throws {
        var offering = try await self.serviceOffering(access, id: id, parameter: "id")
        offering.removed = self.services.clock.now
        try await self.store.replace(offering, id: offering.id)
    }

    /// The live (not deleted) service offerings (listServiceOfferings).
    /// - Throws: 431 for bad paging.
    public func serviceOfferings(_ access: Access, _ request: ListRequest) async throws -> ListPage<ServiceOffering> {
        var query = try access.query(request)
        query.isNull = ["removed"]
        return try await self.store.list(ServiceOffering.self, query)
    }

    /// The live (not deleted) service offering with this UUID, as deploy and scale take it.
    /// - Parameters:
    ///   - access: the caller's access (its command names the error).
    ///   - id: the offering's UUID.
    ///   - parameter: the parameter it came in.
    /// - Throws: 431 naming `parameter` when unknown or deleted.
    public func serviceOffering(
        _ access: Access,
        id: String,
        parameter: String = "serviceofferingid"
    ) async throws -> ServiceOffering {
        guard let offering = try await self.store.get(ServiceOffering.self, id: id) else {
            throw access.unknown(parameter, id)
        }
        guard offering.removed == nil else { throw access.unknown(parameter, offering.id) }
        return offering
    }
}

extension CloudServices {
    /// Compute and disk offerings.
    public var offerings: OfferingService { OfferingService(services: self) }
}
