/// Registered user data (CloudStack's `UserDataVO`): a named, base64 cloud-init payload an account keeps to give
/// its VMs (`deployVirtualMachine userdataid=`) or to link to a template.
public struct UserData: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name, unique within the account.
    public var name: String
    /// Owner.
    public var accountId: String
    /// The base64 content.
    public var userData: String
    /// The comma-separated variables the content declares (`params`); empty for none.
    public var params: String
    /// Creation time.
    public var created: Double

    /// Creates user data.
    public init(id: String, name: String, accountId: String, userData: String, params: String, created: Double) {
        self.id = id
        self.name = name
        self.accountId = accountId
        self.userData = userData
        self.params = params
        self.created = created
    }
}

/// The user data linked to a template (linkUserDataToTemplate: CloudStack's `user_data_id` and
/// `user_data_link_policy` of `vm_template`), keyed by the template's UUID.
public struct TemplateUserData: Sendable, Hashable, Codable {
    /// The template's UUID.
    public var id: String
    /// The linked user data's UUID.
    public var userDataId: String
    /// `ALLOWOVERRIDE`, `APPEND` or `DENYOVERRIDE`: what happens to user data a deployment passes.
    public var policy: String

    /// Creates a link.
    public init(id: String, userDataId: String, policy: String) {
        self.id = id
        self.userDataId = userDataId
        self.policy = policy
    }

    /// The policies CloudStack knows (`UserData.UserDataOverridePolicy`).
    public static let policies: Set<String> = ["ALLOWOVERRIDE", "APPEND", "DENYOVERRIDE"]
}
