import CloudModel
import CloudStore
import Foundation
import Orchestrator

/// Private templates (createTemplate) from a stopped VM's volume or from a snapshot.
extension TemplateService {
    /// What createTemplate asks for: one of ``volumeId`` or ``snapshotId``.
    public struct CreateRequest: Sendable {
        /// The name.
        public var name: String
        /// The display text (default: the name).
        public var displayText: String?
        /// A ROOT or data volume of a stopped VM.
        public var volumeId: String?
        /// A BackedUp snapshot.
        public var snapshotId: String?
        /// Whether it is public.
        public var isPublic: Bool
        /// Whether it is featured (honoured for admins).
        public var isFeatured: Bool
        /// Whom it is for when an account is named; else the source's owner.
        public var owner: OwnerRequest

        /// Creates a request.
        public init(
            name: String,
            displayText: String?,
            volumeId: String?,
            snapshotId: String?,
            isPublic: Bool,
            isFeatured: Bool,
            owner: OwnerRequest
        ) {
            self.name = name
            self.displayText = displayText
            self.volumeId = volumeId
            self.snapshotId = snapshotId
            self.isPublic = isPublic
            self.isFeatured = isFeatured
            self.owner = owner
        }
    }

    /// Records a private template (Creating) from a stopped VM's volume or a snapshot, within the owner's template
    /// and secondary storage limits; finish it with ``completeCreation(_:_:)``.
    /// - Throws: 431 for neither or both sources, a volume not attached to a stopped VM, a snapshot not BackedUp;
    ///   535 over a limit; ``Access`` errors.
    public func createPrivate(_ access: Access, _ request: CreateRequest) async throws -> Template {
        let store = self.store
        let source: (zoneId: String, size: Int, accountId: String?)
        // The template the source's VM was deployed from: the new one runs on the same hypervisor and OS.
        var origin: Template?
        switch (request.volumeId, request.snapshotId) {
        case (.some, .some), (nil, nil):
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Failed to create private template record, need to specify snapshotId or volumeId"
            )
        case (let volumeId?, nil):
            let volume = try await access.volume(id: volumeId, parameter: "volumeid")
            guard let vmId = volume.vmId, let vm = try await store.get(VirtualMachine.self, id: vmId) else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Failed to create private template record, volume \(volume.id) is not attached to a VM"
                )
            }
            guard vm.state == .stopped else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "VM \(vm.name) must be stopped before creating a template from its volume \(volume.id)"
                )
            }
            source = (volume.zoneId, volume.size, volume.accountId)
            origin = try await store.get(Template.self, id: vm.templateId)
        case (nil, let snapshotId?):
            let snapshot = try await access.snapshot(id: snapshotId, parameter: "snapshotid")
            guard snapshot.state == "BackedUp" else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Snapshot \(snapshot.id) is not in BackedUp state yet and can't be used for template creation"
                )
            }
            source = (snapshot.zoneId, snapshot.size, snapshot.accountId)
            if let volume = try await store.get(Volume.self, id: snapshot.volumeId), let vmId = volume.vmId,
                let vm = try await store.get(VirtualMachine.self, id: vmId)
            {
                origin = try await store.get(Template.self, id: vm.templateId)
            }
        }
        let owner = request.owner.account == nil ? nil : try await access.targetAccount(request.owner)
        let template = Template(
            id: UUID().uuidString.lowercased(),
            name: request.name,
            displayText: request.displayText ?? request.name,
            format: "QCOW2",
            hypervisor: origin.flatMap { $0.format == "ISO" ? nil : $0.hypervisor } ?? "Simulator",
            osTypeName: origin?.osTypeName ?? "Other (64-bit)",
            url: "",
            isPublic: request.isPublic,
            isFeatured: access.caller.isAdmin && request.isFeatured,
            accountId: owner?.id ?? source.accountId ?? access.caller.account.id,
            zoneId: source.zoneId,
            status: "Creating",
            isReady: false,
            size: source.size,
            created: self.services.clock.now
        )
        try await StorageLookup.withinLimits(
            self.services,
            of: template.accountId,
            [.template: 1, .secondaryStorage: template.size]
        ) {
            try await store.insert(template)
        }
        return template
    }

    /// Makes a created template ready (the job of createTemplate): on a real host, the volume's disk or the
    /// snapshot's file is copied into the zone's image store as the template's qcow2 (`template/ID.qcow2`), and the
    /// template takes the file's virtual size; otherwise it is ready at once as a record.
    /// - Parameter request: what createTemplate asked for (the source).
    /// - Returns: the template as it now is.
    /// - Throws: ``OrchestratorError`` when the host fails (the template is then deleted), ``StoreError``.
    public func completeCreation(_ template: Template, _ request: CreateRequest) async throws -> Template {
        let store = self.store
        var ready = template
        ready.status = ImageStoreDownloads.completeStatus
        ready.isReady = true
        if let directory = try await ImageStoreDownloads.directory(zoneId: template.zoneId, store: store) {
            let file = ImageStoreDownloads.path(of: template, in: directory)
            let sizes: ImageFileSizes?
            do {
                sizes = try await self.copySource(request, directory: directory, to: file)
            } catch {
                try? await store.deleteTemplate(id: template.id)
                throw error
            }
            if let sizes {
                ready.size = sizes.virtualSize
                ready.hypervisor = VirtualMachineService.realHypervisor
                try await store.replace(ready, id: ready.id)
                return ready
            }
        }
        try await store.setTemplateStatus(id: template.id, status: ready.status, isReady: true)
        return ready
    }

    /// Has a host copy the source of `request` to `file`; nil when the source has no file (the simulator's).
    private func copySource(
        _ request: CreateRequest,
        directory: String,
        to file: String
    ) async throws -> ImageFileSizes? {
        let store = self.store
        let driver = self.services.driver
        if let volumeId = request.volumeId, let volume = try await store.get(Volume.self, id: volumeId) {
            var vm: VirtualMachine?
            if let vmId = volume.vmId { vm = try await store.get(VirtualMachine.self, id: vmId) }
            return try await driver.createTemplate(from: volume, attachedTo: vm, to: file)
        }
        guard let snapshotId = request.snapshotId, let snapshot = try await store.get(Snapshot.self, id: snapshotId),
            snapshot.physicalSize != nil
        else { return nil }
        let snapshotFile =
            directory + "/"
            + ImageStoreLayout.snapshotPath(accountId: snapshot.accountId, volumeId: snapshot.volumeId, id: snapshot.id)
        return try await driver.createTemplate(fromSnapshot: snapshotFile, zoneId: snapshot.zoneId, to: file)
    }
}
