import CloudModel
import CloudStore
import Foundation

/// Registered user data (CloudStack's `registerUserData`, `listUserData`, `deleteUserData`,
/// `linkUserDataToTemplate` and `resetVMUserData` in `ManagementServerImpl` and `UserVmManagerImpl`): named
/// payloads an account keeps, links to templates with an override policy, and the user data a VM gets from its
/// request and its template (`finalizeUserData`).
public struct UserDataService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// The VM details that record where a VM's user data came from (its content is ``VMDetailNames/userData``).
    public static let idDetail = "userdataid"
    /// The registered user data's name.
    public static let nameDetail = "userdataname"
    /// The template's policy that applied.
    public static let policyDetail = "userdatapolicy"

    /// Registers user data for the owner (`account`/`domainid` or `projectid`, else the caller).
    /// - Throws: 431 for content that is not base64 or a name or content the account already has.
    public func register(
        _ access: Access,
        owner: OwnerRequest,
        name: String,
        userData: String,
        params: String?
    ) async throws -> UserData {
        let account = try await access.targetAccount(owner)
        guard Data(base64Encoded: userData) != nil else {
            throw CloudError(.paramError, csErrorCode: 4350, "User data is not base64 encoded")
        }
        let existing = try await self.store.list(UserData.self, ListQuery(equals: [("account_id", account.id)])).items
        if existing.contains(where: { $0.name.lowercased() == name.lowercased() }) {
            throw Self.duplicateName(name)
        }
        if existing.contains(where: { $0.userData == userData }) {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "User data with the same content already exists for this account."
            )
        }
        let params = (params ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: ",")
        let registered = UserData(
            id: UUID().uuidString.lowercased(),
            name: name,
            accountId: account.id,
            userData: userData,
            params: params,
            created: self.services.clock.now
        )
        try await self.services.insert(registered, duplicate: Self.duplicateName(name).text)
        return registered
    }

    static func duplicateName(_ name: String) -> CloudError {
        CloudError(.paramError, csErrorCode: 4350, "A user data with name \(name) already exists for this account.")
    }

    /// The user data the caller may see: its own, a domain admin's subtree or the root admin's cloud with
    /// `listall`, a project's with `projectid`.
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(_ access: Access, _ request: ListRequest) async throws -> ListPage<UserData> {
        try await self.store.list(UserData.self, try await access.scopedQuery(request))
    }

    /// The user data of this UUID, checked for access.
    /// - Throws: 431 when unknown, 531 out of reach.
    public func userData(_ access: Access, id: String, parameter: String = "id") async throws -> UserData {
        guard let found = try await self.store.get(UserData.self, id: id.lowercased()) else {
            throw access.unknown(parameter, id)
        }
        guard try await access.mayAccess(accountId: found.accountId) else {
            throw Access.permissionDenied(
                "Account \(access.caller.account.name) does not have permission to operate on user data \(found.id)"
            )
        }
        return found
    }

    /// Deletes user data no template links and no VM uses.
    /// - Throws: 431 when unknown, 530 when in use, 531 out of reach.
    public func delete(_ access: Access, id: String) async throws {
        let found = try await self.userData(access, id: id)
        let links = try await self.store.list(TemplateUserData.self, ListQuery(equals: [("user_data_id", found.id)]))
        guard links.total == 0 else {
            throw CloudError(
                .internalError,
                csErrorCode: 4250,
                "Userdata \(found.name) cannot be removed as it is linked to active template/templates"
            )
        }
        guard try await self.store.virtualMachines(withDetail: Self.idDetail, value: found.id) == 0 else {
            throw CloudError(
                .internalError,
                csErrorCode: 4250,
                "Userdata \(found.name) cannot be removed as it is being used by some VMs"
            )
        }
        try await self.store.delete(UserData.self, id: found.id)
    }

    /// Links user data to a template or ISO the caller owns, or unlinks it when no `userDataId` is given.
    /// - Returns: the template.
    /// - Throws: 431 for both or neither of template and ISO, an unknown image, user data or policy.
    public func link(
        _ access: Access,
        templateId: String?,
        isoId: String?,
        userDataId: String?,
        policy: String?
    ) async throws -> Template {
        let (id, parameter): (String, String)
        switch (templateId, isoId) {
        case (.some(let template), nil): (id, parameter) = (template, "templateid")
        case (nil, .some(let iso)): (id, parameter) = (iso, "isoid")
        case (.some, .some):
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Both template ID and ISO ID are passed, API accepts only one"
            )
        case (nil, nil):
            throw CloudError(.paramError, csErrorCode: 4350, "Either template ID or ISO ID must be passed")
        }
        let template = try await self.services.templates.owned(access, id: id, parameter: parameter)
        guard let userDataId else {
            try await self.store.delete(TemplateUserData.self, id: template.id)
            return template
        }
        let found = try await self.userData(access, id: userDataId, parameter: "userdataid")
        let policy = (policy ?? "ALLOWOVERRIDE").uppercased()
        guard TemplateUserData.policies.contains(policy) else { throw access.unknown("userdatapolicy", policy) }
        try await self.store.delete(TemplateUserData.self, id: template.id)
        try await self.store.insert(TemplateUserData(id: template.id, userDataId: found.id, policy: policy))
        return template
    }

    /// The user data linked to templates, by template UUID, with the user data itself.
    /// - Throws: ``StoreError``.
    public func links(of templateIds: [String]) async throws -> [String: (link: TemplateUserData, userData: UserData)] {
        guard !templateIds.isEmpty else { return [:] }
        let links = try await self.store.list(TemplateUserData.self, ListQuery(idIn: Array(Set(templateIds)))).items
        guard !links.isEmpty else { return [:] }
        let data = try await self.store.list(UserData.self, ListQuery(idIn: links.map(\.userDataId))).items
        var result: [String: (TemplateUserData, UserData)] = [:]
        for link in links {
            if let found = data.first(where: { $0.id == link.userDataId }) { result[link.id] = (link, found) }
        }
        return result
    }

    /// The user data details of a VM of `owner` from `template`, given `userData` (base64) or `userDataId`
    /// (CloudStack's `finalizeUserData`): the template's linked user data unless the request passes its own and the
    /// policy lets it (`ALLOWOVERRIDE`), appended to it (`APPEND`), or refused (`DENYOVERRIDE`).
    /// - Returns: the details to record; empty when there is no user data.
    /// - Throws: 431 for both `userdata` and `userdataid`, content that is not base64, unknown or foreign user
    ///   data, or an override the template denies.
    public func details(
        _ access: Access,
        ownerId: String,
        templateId: String?,
        userData: String?,
        userDataId: String?
    ) async throws -> [String: String?] {
        if userData != nil && userDataId != nil {
            throw CloudError(.paramError, csErrorCode: 4350, "Both userdata and userdataid can't be specified")
        }
        var given: (content: String, registered: UserData?)?
        if let userData {
            guard Data(base64Encoded: userData) != nil else {
                throw CloudError(.paramError, csErrorCode: 4350, "User data is not base64 encoded")
            }
            given = (userData, nil)
        } else if let userDataId {
            let found = try await self.userData(access, id: userDataId, parameter: "userdataid")
            guard found.accountId == ownerId else { throw access.unknown("userdataid", userDataId) }
            given = (found.userData, found)
        }
        let linked = try await self.links(of: templateId.map { [$0] } ?? []).values.first
        guard let linked else {
            guard let given else { return [:] }
            return Self.record(given.content, given.registered, policy: nil)
        }
        guard let given else {
            return Self.record(linked.userData.userData, linked.userData, policy: linked.link.policy)
        }
        switch linked.link.policy {
        case "DENYOVERRIDE":
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "User data is not allowed to be passed since template is configured to deny override"
            )
        case "APPEND":
            let merged =
                (Data(base64Encoded: linked.userData.userData) ?? Data())
                + (Data(base64Encoded: given.content) ?? Data())
            return Self.record(merged.base64EncodedString(), given.registered, policy: "APPEND")
        default:
            return Self.record(given.content, given.registered, policy: linked.link.policy)
        }
    }

    static func record(_ content: String, _ registered: UserData?, policy: String?) -> [String: String?] {
        [
            VMDetailNames.userData: content, Self.idDetail: registered?.id, Self.nameDetail: registered?.name,
            Self.policyDetail: policy,
        ]
    }

    /// Replaces a stopped VM's user data (resetUserDataForVirtualMachine), by the same rules as a deployment.
    /// - Returns: the VM.
    /// - Throws: 431 for a VM that is not stopped and the errors of ``details(_:ownerId:templateId:userData:userDataId:)``.
    public func reset(
        _ access: Access,
        vmId: String,
        userData: String?,
        userDataId: String?
    ) async throws -> VirtualMachine {
        let vm = try await access.virtualMachine(id: vmId)
        guard vm.state == .stopped else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Vm \(vm.name) should be stopped to do UserData reset"
            )
        }
        let details = try await self.details(
            access,
            ownerId: vm.accountId,
            templateId: vm.templateId,
            userData: userData,
            userDataId: userDataId
        )
        let cleared: [String: String?] = [
            VMDetailNames.userData: nil, Self.idDetail: nil, Self.nameDetail: nil, Self.policyDetail: nil,
        ]
        try await self.store.setDetails(of: vm.id, details.isEmpty ? cleared : details)
        return vm
    }
}

extension CloudServices {
    /// Registered user data.
    public var userDataRegistry: UserDataService { UserDataService(services: self) }
}
