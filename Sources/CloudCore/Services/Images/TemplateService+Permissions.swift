import CloudModel
import CloudStore
import Foundation

/// Launch permissions (updateTemplatePermissions) and private templates (createTemplate).
extension TemplateService {
    /// What updateTemplatePermissions changes (nil: unchanged).
    public struct PermissionsUpdate: Sendable {
        /// Whether the template is public.
        public var isPublic: Bool?
        /// Whether it is featured (admins only).
        public var isFeatured: Bool?
        /// Account names of the caller's domain the operation applies to.
        public var accounts: [String]?
        /// `add`, `remove` or `reset` (lower-cased).
        public var operation: String?

        /// Creates an update.
        public init(
            isPublic: Bool? = nil,
            isFeatured: Bool? = nil,
            accounts: [String]? = nil,
            operation: String? = nil
        ) {
            self.isPublic = isPublic
            self.isFeatured = isFeatured
            self.accounts = accounts
            self.operation = operation
        }
    }

    /// Changes who may launch the caller's template and whether it is public or featured.
    /// - Throws: 531 for `isfeatured` from a user; 431 for accounts without an operation, an unknown account or
    ///   operation; ``owned(_:id:parameter:)``'s errors.
    public func updatePermissions(_ access: Access, id: String, _ update: PermissionsUpdate) async throws {
        var template = try await self.owned(access, id: id)
        let store = self.store
        if update.isFeatured != nil && !access.caller.isAdmin {
            throw CloudError(
                .accountError,
                csErrorCode: 4365,
                "Parameter isfeatured can only be specified by admin"
            )
        }
        let op = update.operation
        if update.accounts != nil && op == nil {
            throw CloudError(.paramError, csErrorCode: 4350, "Operation must be specified when accounts are given")
        }
        var accountIds: [String] = []
        for name in update.accounts ?? [] where !name.isEmpty {
            let found = try await store.list(
                Account.self,
                ListQuery(equals: [("name", name), ("domain_id", access.caller.account.domainId)])
            ).items.first
            guard let found else {
                throw CloudError(.paramError, csErrorCode: 4350, "Unable to find account \(name) in domain")
            }
            accountIds.append(found.id)
        }
        switch op {
        case nil: break
        case "add": try await store.grantLaunch(templateId: template.id, to: accountIds)
        case "remove": try await store.revokeLaunch(templateId: template.id, from: accountIds)
        case "reset": try await store.revokeLaunch(templateId: template.id, from: nil)
        default: throw CloudError.invalidParameter(access.command, "op", op ?? "")
        }
        if let isPublic = update.isPublic { template.isPublic = isPublic }
        if let isFeatured = update.isFeatured { template.isFeatured = isFeatured }
        try await store.replace(template, id: template.id)
    }

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
    /// and secondary storage limits; finish it with ``completeCreation(_:)``.
    /// - Throws: 431 for neither or both sources, a volume not attached to a stopped VM, a snapshot not BackedUp;
    ///   535 over a limit; ``Access`` errors.
    public func createPrivate(_ access: Access, _ request: CreateRequest) async throws -> Template {
        let store = self.store
        let source: (zoneId: String, size: Int, accountId: String?)
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
        }
        let owner = request.owner.account == nil ? nil : try await access.targetAccount(request.owner)
        let template = Template(
            id: UUID().uuidString.lowercased(),
            name: request.name,
            displayText: request.displayText ?? request.name,
            format: "QCOW2",
            hypervisor: "Simulator",
            osTypeName: "Other (64-bit)",
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

    /// Marks a created template ready on secondary storage (the job of createTemplate).
    /// - Returns: the template as it now is.
    /// - Throws: ``StoreError``.
    public func completeCreation(_ template: Template) async throws -> Template {
        try await self.store.setTemplateStatus(id: template.id, status: "Download Complete", isReady: true)
        var ready = template
        ready.status = "Download Complete"
        ready.isReady = true
        return ready
    }
}
