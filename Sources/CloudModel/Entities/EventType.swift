/// A CloudStack event type (`EventTypes` in CloudStack: `VM.CREATE`, `HOST.DOWN`, ...), the `type` of an
/// ``Event``. The constants are the types ZooStack records: commands name theirs in their descriptor, and the
/// services (HA, DRS, login) record the others. (Not ZooKeeperProtocol's watch `EventType`.)
public struct EventType: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The type as CloudStack spells it, e.g. `VM.CREATE`.
    public var rawValue: String

    /// Wraps a raw type.
    /// - Parameter rawValue: the type as CloudStack spells it.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates a type.
    init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { self.rawValue }

    public static func < (lhs: EventType, rhs: EventType) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension EventType {
    /// `ACCOUNT.CREATE`.
    public static let accountCreate = EventType("ACCOUNT.CREATE")
    /// `ACCOUNT.DELETE`.
    public static let accountDelete = EventType("ACCOUNT.DELETE")
    /// `ACCOUNT.DISABLE`.
    public static let accountDisable = EventType("ACCOUNT.DISABLE")
    /// `ACCOUNT.ENABLE`.
    public static let accountEnable = EventType("ACCOUNT.ENABLE")
    /// `ACCOUNT.UPDATE`.
    public static let accountUpdate = EventType("ACCOUNT.UPDATE")
    /// `AG.CREATE`.
    public static let agCreate = EventType("AG.CREATE")
    /// `AG.DELETE`.
    public static let agDelete = EventType("AG.DELETE")
    /// `CLUSTER.DRS`.
    public static let clusterDRS = EventType("CLUSTER.DRS")
    /// `CLUSTER.DRS.GENERATE`.
    public static let clusterDRSGenerate = EventType("CLUSTER.DRS.GENERATE")
    /// `CONFIGURATION.VALUE.EDIT`.
    public static let configurationValueEdit = EventType("CONFIGURATION.VALUE.EDIT")
    /// `CREATE_TAGS`.
    public static let createTags = EventType("CREATE_TAGS")
    /// `DELETE_TAGS`.
    public static let deleteTags = EventType("DELETE_TAGS")
    /// `DISK.OFFERING.CREATE`.
    public static let diskOfferingCreate = EventType("DISK.OFFERING.CREATE")
    /// `DISK.OFFERING.DELETE`.
    public static let diskOfferingDelete = EventType("DISK.OFFERING.DELETE")
    /// `DISK.OFFERING.EDIT`.
    public static let diskOfferingEdit = EventType("DISK.OFFERING.EDIT")
    /// `DOMAIN.CREATE`.
    public static let domainCreate = EventType("DOMAIN.CREATE")
    /// `DOMAIN.DELETE`.
    public static let domainDelete = EventType("DOMAIN.DELETE")
    /// `DOMAIN.UPDATE`.
    public static let domainUpdate = EventType("DOMAIN.UPDATE")
    /// `FIREWALL.CLOSE`.
    public static let firewallClose = EventType("FIREWALL.CLOSE")
    /// `FIREWALL.EGRESS.CLOSE`.
    public static let firewallEgressClose = EventType("FIREWALL.EGRESS.CLOSE")
    /// `FIREWALL.EGRESS.OPEN`.
    public static let firewallEgressOpen = EventType("FIREWALL.EGRESS.OPEN")
    /// `FIREWALL.OPEN`.
    public static let firewallOpen = EventType("FIREWALL.OPEN")
    /// `HA.VM.RESTART`.
    public static let haVMRestart = EventType("HA.VM.RESTART")
    /// `HOST.DISCONNECTED`.
    public static let hostDisconnected = EventType("HOST.DISCONNECTED")
    /// `HOST.DOWN`.
    public static let hostDown = EventType("HOST.DOWN")
    /// `HOST.RECONNECTED`.
    public static let hostReconnected = EventType("HOST.RECONNECTED")
    /// `HOST.UPDATE`.
    public static let hostUpdate = EventType("HOST.UPDATE")
    /// `ISO.ATTACH`.
    public static let isoAttach = EventType("ISO.ATTACH")
    /// `ISO.CREATE`.
    public static let isoCreate = EventType("ISO.CREATE")
    /// `ISO.DELETE`.
    public static let isoDelete = EventType("ISO.DELETE")
    /// `ISO.DETACH`.
    public static let isoDetach = EventType("ISO.DETACH")
    /// `ISO.UPDATE`.
    public static let isoUpdate = EventType("ISO.UPDATE")
    /// `LB.ASSIGN.TO.RULE`.
    public static let lbAssignToRule = EventType("LB.ASSIGN.TO.RULE")
    /// `LB.CREATE`.
    public static let lbCreate = EventType("LB.CREATE")
    /// `LB.DELETE`.
    public static let lbDelete = EventType("LB.DELETE")
    /// `LB.REMOVE.FROM.RULE`.
    public static let lbRemoveFromRule = EventType("LB.REMOVE.FROM.RULE")
    /// `LB.UPDATE`.
    public static let lbUpdate = EventType("LB.UPDATE")
    /// `MAINT.CANCEL`.
    public static let maintCancel = EventType("MAINT.CANCEL")
    /// `MAINT.PREPARE`.
    public static let maintPrepare = EventType("MAINT.PREPARE")
    /// `NET.IPASSIGN`.
    public static let netIPAssign = EventType("NET.IPASSIGN")
    /// `NET.IPRELEASE`.
    public static let netIPRelease = EventType("NET.IPRELEASE")
    /// `NET.RULEADD`.
    public static let netRuleAdd = EventType("NET.RULEADD")
    /// `NET.RULEDELETE`.
    public static let netRuleDelete = EventType("NET.RULEDELETE")
    /// `NETWORK.ACL.CREATE`.
    public static let networkACLCreate = EventType("NETWORK.ACL.CREATE")
    /// `NETWORK.ACL.DELETE`.
    public static let networkACLDelete = EventType("NETWORK.ACL.DELETE")
    /// `NETWORK.ACL.ITEM.CREATE`.
    public static let networkACLItemCreate = EventType("NETWORK.ACL.ITEM.CREATE")
    /// `NETWORK.ACL.ITEM.DELETE`.
    public static let networkACLItemDelete = EventType("NETWORK.ACL.ITEM.DELETE")
    /// `NETWORK.ACL.ITEM.UPDATE`.
    public static let networkACLItemUpdate = EventType("NETWORK.ACL.ITEM.UPDATE")
    /// `NETWORK.ACL.REPLACE`.
    public static let networkACLReplace = EventType("NETWORK.ACL.REPLACE")
    /// `NETWORK.CREATE`.
    public static let networkCreate = EventType("NETWORK.CREATE")
    /// `NETWORK.DELETE`.
    public static let networkDelete = EventType("NETWORK.DELETE")
    /// `NETWORK.RESTART`.
    public static let networkRestart = EventType("NETWORK.RESTART")
    /// `NETWORK.UPDATE`.
    public static let networkUpdate = EventType("NETWORK.UPDATE")
    /// `NIC.CREATE`.
    public static let nicCreate = EventType("NIC.CREATE")
    /// `NIC.DELETE`.
    public static let nicDelete = EventType("NIC.DELETE")
    /// `NIC.UPDATE`.
    public static let nicUpdate = EventType("NIC.UPDATE")
    /// `POD.CREATE`.
    public static let podCreate = EventType("POD.CREATE")
    /// `PROJECT.ACCOUNT.ADD`.
    public static let projectAccountAdd = EventType("PROJECT.ACCOUNT.ADD")
    /// `PROJECT.ACTIVATE`.
    public static let projectActivate = EventType("PROJECT.ACTIVATE")
    /// `PROJECT.CREATE`.
    public static let projectCreate = EventType("PROJECT.CREATE")
    /// `PROJECT.DELETE`.
    public static let projectDelete = EventType("PROJECT.DELETE")
    /// `PROJECT.SUSPEND`.
    public static let projectSuspend = EventType("PROJECT.SUSPEND")
    /// `PROJECT.UPDATE`.
    public static let projectUpdate = EventType("PROJECT.UPDATE")
    /// `REGISTER.USER.KEY`.
    public static let registerUserKey = EventType("REGISTER.USER.KEY")
    /// `RESOURCE.LIMIT.UPDATE`.
    public static let resourceLimitUpdate = EventType("RESOURCE.LIMIT.UPDATE")
    /// `SERVICE.OFFERING.CREATE`.
    public static let serviceOfferingCreate = EventType("SERVICE.OFFERING.CREATE")
    /// `SERVICE.OFFERING.DELETE`.
    public static let serviceOfferingDelete = EventType("SERVICE.OFFERING.DELETE")
    /// `SERVICE.OFFERING.EDIT`.
    public static let serviceOfferingEdit = EventType("SERVICE.OFFERING.EDIT")
    /// `SG.AUTH.EGRESS`.
    public static let sgAuthEgress = EventType("SG.AUTH.EGRESS")
    /// `SG.AUTH.INGRESS`.
    public static let sgAuthIngress = EventType("SG.AUTH.INGRESS")
    /// `SG.CREATE`.
    public static let sgCreate = EventType("SG.CREATE")
    /// `SG.DELETE`.
    public static let sgDelete = EventType("SG.DELETE")
    /// `SG.REVOKE.EGRESS`.
    public static let sgRevokeEgress = EventType("SG.REVOKE.EGRESS")
    /// `SG.REVOKE.INGRESS`.
    public static let sgRevokeIngress = EventType("SG.REVOKE.INGRESS")
    /// `SNAPSHOT.CREATE`.
    public static let snapshotCreate = EventType("SNAPSHOT.CREATE")
    /// `SNAPSHOT.DELETE`.
    public static let snapshotDelete = EventType("SNAPSHOT.DELETE")
    /// `SNAPSHOT.REVERT`.
    public static let snapshotRevert = EventType("SNAPSHOT.REVERT")
    /// `SNAPSHOTPOLICY.CREATE`.
    public static let snapshotPolicyCreate = EventType("SNAPSHOTPOLICY.CREATE")
    /// `SNAPSHOTPOLICY.DELETE`.
    public static let snapshotPolicyDelete = EventType("SNAPSHOTPOLICY.DELETE")
    /// `STATICNAT.DISABLE`.
    public static let staticNATDisable = EventType("STATICNAT.DISABLE")
    /// `STATICNAT.ENABLE`.
    public static let staticNATEnable = EventType("STATICNAT.ENABLE")
    /// `TEMPLATE.CREATE`.
    public static let templateCreate = EventType("TEMPLATE.CREATE")
    /// `TEMPLATE.DELETE`.
    public static let templateDelete = EventType("TEMPLATE.DELETE")
    /// `TEMPLATE.UPDATE`.
    public static let templateUpdate = EventType("TEMPLATE.UPDATE")
    /// `USER.CREATE`.
    public static let userCreate = EventType("USER.CREATE")
    /// `USER.DELETE`.
    public static let userDelete = EventType("USER.DELETE")
    /// `USER.DISABLE`.
    public static let userDisable = EventType("USER.DISABLE")
    /// `USER.ENABLE`.
    public static let userEnable = EventType("USER.ENABLE")
    /// `USER.LOGIN`.
    public static let userLogin = EventType("USER.LOGIN")
    /// `USER.UPDATE`.
    public static let userUpdate = EventType("USER.UPDATE")
    /// `VM.AG.UPDATE`.
    public static let vmAGUpdate = EventType("VM.AG.UPDATE")
    /// `VM.CREATE`.
    public static let vmCreate = EventType("VM.CREATE")
    /// `VM.DESTROY`.
    public static let vmDestroy = EventType("VM.DESTROY")
    /// `VM.DYNAMIC.SCALE`.
    public static let vmDynamicScale = EventType("VM.DYNAMIC.SCALE")
    /// `VM.EXPUNGE`.
    public static let vmExpunge = EventType("VM.EXPUNGE")
    /// `VM.MIGRATE`.
    public static let vmMigrate = EventType("VM.MIGRATE")
    /// `VM.REBOOT`.
    public static let vmReboot = EventType("VM.REBOOT")
    /// `VM.RECOVER`.
    public static let vmRecover = EventType("VM.RECOVER")
    /// `VM.RESETSSHKEY`.
    public static let vmResetSSHKey = EventType("VM.RESETSSHKEY")
    /// `VM.START`.
    public static let vmStart = EventType("VM.START")
    /// `VM.STOP`.
    public static let vmStop = EventType("VM.STOP")
    /// `VM.UPDATE`.
    public static let vmUpdate = EventType("VM.UPDATE")
    /// `VM.UPGRADE`.
    public static let vmUpgrade = EventType("VM.UPGRADE")
    /// `VOLUME.ATTACH`.
    public static let volumeAttach = EventType("VOLUME.ATTACH")
    /// `VOLUME.CREATE`.
    public static let volumeCreate = EventType("VOLUME.CREATE")
    /// `VOLUME.DELETE`.
    public static let volumeDelete = EventType("VOLUME.DELETE")
    /// `VOLUME.DETACH`.
    public static let volumeDetach = EventType("VOLUME.DETACH")
    /// `VOLUME.RESIZE`.
    public static let volumeResize = EventType("VOLUME.RESIZE")
    /// `VPC.CREATE`.
    public static let vpcCreate = EventType("VPC.CREATE")
    /// `VPC.DELETE`.
    public static let vpcDelete = EventType("VPC.DELETE")
    /// `VPC.OFFERING.CREATE`.
    public static let vpcOfferingCreate = EventType("VPC.OFFERING.CREATE")
    /// `VPC.OFFERING.DELETE`.
    public static let vpcOfferingDelete = EventType("VPC.OFFERING.DELETE")
    /// `VPC.OFFERING.UPDATE`.
    public static let vpcOfferingUpdate = EventType("VPC.OFFERING.UPDATE")
    /// `VPC.RESTART`.
    public static let vpcRestart = EventType("VPC.RESTART")
    /// `VPC.UPDATE`.
    public static let vpcUpdate = EventType("VPC.UPDATE")
    /// `ROLE.CREATE`.
    public static let roleCreate = EventType("ROLE.CREATE")
    /// `ROLE.DELETE`.
    public static let roleDelete = EventType("ROLE.DELETE")
    /// `ROLE.DISABLE`.
    public static let roleDisable = EventType("ROLE.DISABLE")
    /// `ROLE.ENABLE`.
    public static let roleEnable = EventType("ROLE.ENABLE")
    /// `ROLE.IMPORT`.
    public static let roleImport = EventType("ROLE.IMPORT")
    /// `ROLE.PERMISSION.CREATE`.
    public static let rolePermissionCreate = EventType("ROLE.PERMISSION.CREATE")
    /// `ROLE.PERMISSION.DELETE`.
    public static let rolePermissionDelete = EventType("ROLE.PERMISSION.DELETE")
    /// `ROLE.PERMISSION.UPDATE`.
    public static let rolePermissionUpdate = EventType("ROLE.PERMISSION.UPDATE")
    /// `ROLE.UPDATE`.
    public static let roleUpdate = EventType("ROLE.UPDATE")
    /// `FIREWALL.UPDATE`.
    public static let firewallUpdate = EventType("FIREWALL.UPDATE")
    /// `FIREWALL.EGRESS.UPDATE`.
    public static let firewallEgressUpdate = EventType("FIREWALL.EGRESS.UPDATE")
    /// `NET.RULEMODIFY`.
    public static let netRuleModify = EventType("NET.RULEMODIFY")
    /// `POD.EDIT`.
    public static let podEdit = EventType("POD.EDIT")
    /// `POD.DELETE`.
    public static let podDelete = EventType("POD.DELETE")
    /// `ZONE.EDIT`.
    public static let zoneEdit = EventType("ZONE.EDIT")
    /// `ZONE.DELETE`.
    public static let zoneDelete = EventType("ZONE.DELETE")
    /// `NETWORK.OFFERING.CREATE`.
    public static let networkOfferingCreate = EventType("NETWORK.OFFERING.CREATE")
    /// `NETWORK.OFFERING.DELETE`.
    public static let networkOfferingDelete = EventType("NETWORK.OFFERING.DELETE")
    /// `NETWORK.OFFERING.EDIT`.
    public static let networkOfferingEdit = EventType("NETWORK.OFFERING.EDIT")
    /// `VLAN.IP.RANGE.CREATE`.
    public static let vlanIPRangeCreate = EventType("VLAN.IP.RANGE.CREATE")
    /// `VLAN.IP.RANGE.DELETE`.
    public static let vlanIPRangeDelete = EventType("VLAN.IP.RANGE.DELETE")
    /// `ZONE.CREATE`.
    public static let zoneCreate = EventType("ZONE.CREATE")

    /// Every type ZooStack records, in order: what `listEventTypes` answers.
    public static let all: [EventType] = [
        .accountCreate, .accountDelete, .accountDisable, .accountEnable, .accountUpdate, .agCreate, .agDelete,
        .clusterDRS, .clusterDRSGenerate, .configurationValueEdit, .createTags, .deleteTags, .diskOfferingCreate,
        .diskOfferingDelete, .diskOfferingEdit, .domainCreate, .domainDelete, .domainUpdate, .firewallClose,
        .firewallEgressClose, .firewallEgressOpen, .firewallEgressUpdate, .firewallOpen, .firewallUpdate, .haVMRestart,
        .hostDisconnected, .hostDown,
        .hostReconnected, .hostUpdate, .isoAttach, .isoCreate, .isoDelete, .isoDetach, .isoUpdate, .lbAssignToRule,
        .lbCreate, .lbDelete, .lbRemoveFromRule, .lbUpdate, .maintCancel, .maintPrepare, .netIPAssign, .netIPRelease,
        .netRuleAdd, .netRuleDelete, .netRuleModify, .networkACLCreate, .networkACLDelete, .networkACLItemCreate,
        .networkACLItemDelete,
        .networkACLItemUpdate, .networkACLReplace, .networkCreate, .networkDelete, .networkOfferingCreate,
        .networkOfferingDelete, .networkOfferingEdit, .networkRestart, .networkUpdate,
        .nicCreate, .nicDelete, .nicUpdate, .podCreate, .podDelete, .podEdit, .projectAccountAdd, .projectActivate,
        .projectCreate,
        .projectDelete, .projectSuspend, .projectUpdate, .registerUserKey, .resourceLimitUpdate, .roleCreate,
        .roleDelete, .roleDisable, .roleEnable, .roleImport, .rolePermissionCreate, .rolePermissionDelete,
        .rolePermissionUpdate, .roleUpdate, .serviceOfferingCreate,
        .serviceOfferingDelete, .serviceOfferingEdit, .sgAuthEgress, .sgAuthIngress, .sgCreate, .sgDelete,
        .sgRevokeEgress, .sgRevokeIngress, .snapshotCreate, .snapshotDelete, .snapshotRevert, .snapshotPolicyCreate,
        .snapshotPolicyDelete, .staticNATDisable, .staticNATEnable, .templateCreate, .templateDelete, .templateUpdate,
        .userCreate, .userDelete, .userDisable, .userEnable, .userLogin, .userUpdate, .vlanIPRangeCreate,
        .vlanIPRangeDelete, .vmAGUpdate, .vmCreate,
        .vmDestroy, .vmDynamicScale, .vmExpunge, .vmMigrate, .vmReboot, .vmRecover, .vmResetSSHKey, .vmStart, .vmStop,
        .vmUpdate, .vmUpgrade, .volumeAttach, .volumeCreate, .volumeDelete, .volumeDetach, .volumeResize, .vpcCreate,
        .vpcDelete, .vpcOfferingCreate, .vpcOfferingDelete, .vpcOfferingUpdate, .vpcRestart, .vpcUpdate, .zoneCreate,
        .zoneDelete, .zoneEdit,
    ]
}
