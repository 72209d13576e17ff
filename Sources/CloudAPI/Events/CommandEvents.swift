/// The one table of state-changing commands and the events they record (CloudStack's `EventTypes`). The API
/// dispatcher records sync commands' events and ``CommandContext/submitJob(instanceType:instanceId:returnsId:work:)``
/// async jobs'; a command missing here records nothing.
enum CommandEvents {
    typealias R = CommandEvent.Resource

    /// Command name → event.
    static let byCommand: [String: CommandEvent] = {
        var table: [String: CommandEvent] = [:]
        for (command, event) in Self.entries { table[command] = event }
        return table
    }()

    /// Every event type a command can record, plus those the services record themselves.
    static var types: [String] {
        let services = [
            "CLUSTER.DRS", "HA.VM.RESTART", "HOST.DISCONNECTED", "HOST.DOWN", "HOST.RECONNECTED", "USER.LOGIN",
        ]
        return Array(Set(Self.entries.map(\.1.type) + services)).sorted()
    }

    static let entries: [(String, CommandEvent)] =
        Self.virtualMachines + Self.storage + Self.networking + Self.identity + Self.infrastructure

    static let virtualMachines: [(String, CommandEvent)] = [
        ("deployVirtualMachine", CommandEvent("VM.CREATE", "deploying Vm", R.vm)),
        ("startVirtualMachine", CommandEvent("VM.START", "starting Vm", R.vm)),
        ("stopVirtualMachine", CommandEvent("VM.STOP", "stopping Vm", R.vm)),
        ("rebootVirtualMachine", CommandEvent("VM.REBOOT", "rebooting Vm", R.vm)),
        ("destroyVirtualMachine", CommandEvent("VM.DESTROY", "destroying Vm", R.vm)),
        ("expungeVirtualMachine", CommandEvent("VM.EXPUNGE", "expunging Vm", R.vm)),
        ("recoverVirtualMachine", CommandEvent("VM.RECOVER", "recovering Vm", R.vm)),
        ("migrateVirtualMachine", CommandEvent("VM.MIGRATE", "migrating Vm", R.vm)),
        ("changeServiceForVirtualMachine", CommandEvent("VM.UPGRADE", "upgrading Vm", R.vm)),
        ("scaleVirtualMachine", CommandEvent("VM.DYNAMIC.SCALE", "scaling Vm", R.vm)),
        ("updateVirtualMachine", CommandEvent("VM.UPDATE", "updating Vm", R.vm)),
        ("resetSSHKeyForVirtualMachine", CommandEvent("VM.RESETSSHKEY", "resetting SSHKey for Vm", R.vm)),
        ("addNicToVirtualMachine", CommandEvent("NIC.CREATE", "adding network to Vm", R.vmOfNic)),
        ("removeNicFromVirtualMachine", CommandEvent("NIC.DELETE", "removing nic from Vm", R.vmOfNic)),
        ("updateDefaultNicForVirtualMachine", CommandEvent("NIC.UPDATE", "updating default nic of Vm", R.vmOfNic)),
        ("updateVMAffinityGroup", CommandEvent("VM.AG.UPDATE", "updating affinity groups of Vm", R.vm)),
        ("createAffinityGroup", CommandEvent("AG.CREATE", "creating affinity group", R.affinityGroup)),
        ("deleteAffinityGroup", CommandEvent("AG.DELETE", "deleting affinity group", R.affinityGroup)),
        ("createTags", CommandEvent("CREATE_TAGS", "creating tags")),
        ("deleteTags", CommandEvent("DELETE_TAGS", "deleting tags")),
    ]

    static let storage: [(String, CommandEvent)] = [
        ("createVolume", CommandEvent("VOLUME.CREATE", "creating volume", R.volume)),
        ("attachVolume", CommandEvent("VOLUME.ATTACH", "attaching volume", R.volume)),
        ("detachVolume", CommandEvent("VOLUME.DETACH", "detaching volume", R.volume)),
        ("deleteVolume", CommandEvent("VOLUME.DELETE", "deleting volume", R.volume)),
        ("resizeVolume", CommandEvent("VOLUME.RESIZE", "resizing volume", R.volume)),
        ("createSnapshot", CommandEvent("SNAPSHOT.CREATE", "creating snapshot", R.snapshot)),
        ("deleteSnapshot", CommandEvent("SNAPSHOT.DELETE", "deleting snapshot", R.snapshot)),
        ("revertSnapshot", CommandEvent("SNAPSHOT.REVERT", "reverting snapshot", R.snapshot)),
        ("createSnapshotPolicy", CommandEvent("SNAPSHOTPOLICY.CREATE", "creating snapshot policy", R.snapshotPolicy)),
        ("deleteSnapshotPolicies", CommandEvent("SNAPSHOTPOLICY.DELETE", "deleting snapshot policies")),
        ("createTemplate", CommandEvent("TEMPLATE.CREATE", "creating template", R.template)),
        ("registerTemplate", CommandEvent("TEMPLATE.CREATE", "registering template", R.template)),
        ("updateTemplate", CommandEvent("TEMPLATE.UPDATE", "updating template", R.template)),
        ("deleteTemplate", CommandEvent("TEMPLATE.DELETE", "deleting template", R.template)),
        ("registerIso", CommandEvent("ISO.CREATE", "registering iso", R.iso)),
        ("updateIso", CommandEvent("ISO.UPDATE", "updating iso", R.iso)),
        ("deleteIso", CommandEvent("ISO.DELETE", "deleting iso", R.iso)),
        ("attachIso", CommandEvent("ISO.ATTACH", "attaching iso", R.iso)),
        ("detachIso", CommandEvent("ISO.DETACH", "detaching iso from Vm", R.vmOfNic)),
    ]

    static let networking: [(String, CommandEvent)] = [
        ("createNetwork", CommandEvent("NETWORK.CREATE", "creating network", R.network)),
        ("updateNetwork", CommandEvent("NETWORK.UPDATE", "updating network", R.network)),
        ("deleteNetwork", CommandEvent("NETWORK.DELETE", "deleting network", R.network)),
        ("restartNetwork", CommandEvent("NETWORK.RESTART", "restarting network", R.network)),
        ("createVPC", CommandEvent("VPC.CREATE", "creating VPC", R.vpc)),
        ("updateVPC", CommandEvent("VPC.UPDATE", "updating VPC", R.vpc)),
        ("deleteVPC", CommandEvent("VPC.DELETE", "deleting VPC", R.vpc)),
        ("restartVPC", CommandEvent("VPC.RESTART", "restarting VPC", R.vpc)),
        ("createNetworkACLList", CommandEvent("NETWORK.ACL.CREATE", "creating network ACL list", R.acl)),
        ("deleteNetworkACLList", CommandEvent("NETWORK.ACL.DELETE", "deleting network ACL list", R.acl)),
        ("replaceNetworkACLList", CommandEvent("NETWORK.ACL.REPLACE", "replacing network ACL list", R.acl)),
        ("createNetworkACL", CommandEvent("NETWORK.ACL.ITEM.CREATE", "creating network ACL item", R.aclItem)),
        ("updateNetworkACLItem", CommandEvent("NETWORK.ACL.ITEM.UPDATE", "updating network ACL item", R.aclItem)),
        ("deleteNetworkACL", CommandEvent("NETWORK.ACL.ITEM.DELETE", "deleting network ACL item", R.aclItem)),
        ("associateIpAddress", CommandEvent("NET.IPASSIGN", "associating ip address", R.ip)),
        ("disassociateIpAddress", CommandEvent("NET.IPRELEASE", "disassociating ip address", R.ip)),
        ("enableStaticNat", CommandEvent("STATICNAT.ENABLE", "enabling static nat", R.ip)),
        ("disableStaticNat", CommandEvent("STATICNAT.DISABLE", "disabling static nat", R.ip)),
        ("createPortForwardingRule", CommandEvent("NET.RULEADD", "creating port forwarding rule", R.rule)),
        ("deletePortForwardingRule", CommandEvent("NET.RULEDELETE", "deleting port forwarding rule", R.rule)),
        ("createFirewallRule", CommandEvent("FIREWALL.OPEN", "creating firewall rule", R.rule)),
        ("deleteFirewallRule", CommandEvent("FIREWALL.CLOSE", "deleting firewall rule", R.rule)),
        ("createEgressFirewallRule", CommandEvent("FIREWALL.EGRESS.OPEN", "creating egress firewall rule", R.rule)),
        ("deleteEgressFirewallRule", CommandEvent("FIREWALL.EGRESS.CLOSE", "deleting egress firewall rule", R.rule)),
        ("createLoadBalancerRule", CommandEvent("LB.CREATE", "creating load balancer", R.loadBalancer)),
        ("updateLoadBalancerRule", CommandEvent("LB.UPDATE", "updating load balancer", R.loadBalancer)),
        ("deleteLoadBalancerRule", CommandEvent("LB.DELETE", "deleting load balancer", R.loadBalancer)),
        (
            "assignToLoadBalancerRule",
            CommandEvent("LB.ASSIGN.TO.RULE", "assigning to load balancer", R.loadBalancer)
        ),
        (
            "removeFromLoadBalancerRule",
            CommandEvent("LB.REMOVE.FROM.RULE", "removing from load balancer", R.loadBalancer)
        ),
        ("createSecurityGroup", CommandEvent("SG.CREATE", "creating security group", R.securityGroup)),
        ("deleteSecurityGroup", CommandEvent("SG.DELETE", "deleting security group", R.securityGroup)),
        (
            "authorizeSecurityGroupIngress",
            CommandEvent("SG.AUTH.INGRESS", "authorizing ingress to security group", R.securityGroup)
        ),
        (
            "authorizeSecurityGroupEgress",
            CommandEvent("SG.AUTH.EGRESS", "authorizing egress to security group", R.securityGroup)
        ),
        ("revokeSecurityGroupIngress", CommandEvent("SG.REVOKE.INGRESS", "revoking ingress rule", R.rule)),
        ("revokeSecurityGroupEgress", CommandEvent("SG.REVOKE.EGRESS", "revoking egress rule", R.rule)),
    ]

    static let identity: [(String, CommandEvent)] = [
        ("createAccount", CommandEvent("ACCOUNT.CREATE", "creating Account", R.account)),
        ("updateAccount", CommandEvent("ACCOUNT.UPDATE", "updating Account", R.account)),
        ("deleteAccount", CommandEvent("ACCOUNT.DELETE", "deleting Account", R.account)),
        ("disableAccount", CommandEvent("ACCOUNT.DISABLE", "disabling Account", R.account)),
        ("enableAccount", CommandEvent("ACCOUNT.ENABLE", "enabling Account", R.account)),
        ("createUser", CommandEvent("USER.CREATE", "creating User", R.user)),
        ("updateUser", CommandEvent("USER.UPDATE", "updating User", R.user)),
        ("deleteUser", CommandEvent("USER.DELETE", "deleting User", R.user)),
        ("disableUser", CommandEvent("USER.DISABLE", "disabling User", R.user)),
        ("enableUser", CommandEvent("USER.ENABLE", "enabling User", R.user)),
        ("registerUserKeys", CommandEvent("REGISTER.USER.KEY", "registering user keys", R.user)),
        ("createDomain", CommandEvent("DOMAIN.CREATE", "creating Domain", R.domain)),
        ("updateDomain", CommandEvent("DOMAIN.UPDATE", "updating Domain", R.domain)),
        ("deleteDomain", CommandEvent("DOMAIN.DELETE", "deleting Domain", R.domain)),
    ]

    static let infrastructure: [(String, CommandEvent)] = [
        ("prepareHostForMaintenance", CommandEvent("MAINT.PREPARE", "preparing host for maintenance", R.host)),
        ("cancelHostMaintenance", CommandEvent("MAINT.CANCEL", "canceling maintenance for host", R.host)),
        ("updateHost", CommandEvent("HOST.UPDATE", "updating host", R.host)),
        ("updateConfiguration", CommandEvent("CONFIGURATION.VALUE.EDIT", "updating configuration")),
        ("updateResourceLimit", CommandEvent("RESOURCE.LIMIT.UPDATE", "updating resource limit")),
        ("createProject", CommandEvent("PROJECT.CREATE", "creating project", R.project)),
        ("updateProject", CommandEvent("PROJECT.UPDATE", "updating project", R.project)),
        ("deleteProject", CommandEvent("PROJECT.DELETE", "deleting project", R.project)),
        ("suspendProject", CommandEvent("PROJECT.SUSPEND", "suspending project", R.project)),
        ("activateProject", CommandEvent("PROJECT.ACTIVATE", "activating project", R.project)),
        ("addAccountToProject", CommandEvent("PROJECT.ACCOUNT.ADD", "adding account to project", R.project)),
        ("resetConfiguration", CommandEvent("CONFIGURATION.VALUE.EDIT", "resetting configuration")),
        (
            "createServiceOffering",
            CommandEvent("SERVICE.OFFERING.CREATE", "creating service offering", R.serviceOffering)
        ),
        (
            "updateServiceOffering",
            CommandEvent("SERVICE.OFFERING.EDIT", "updating service offering", R.serviceOffering)
        ),
        (
            "deleteServiceOffering",
            CommandEvent("SERVICE.OFFERING.DELETE", "deleting service offering", R.serviceOffering)
        ),
        ("createDiskOffering", CommandEvent("DISK.OFFERING.CREATE", "creating disk offering", R.diskOffering)),
        ("updateDiskOffering", CommandEvent("DISK.OFFERING.EDIT", "updating disk offering", R.diskOffering)),
        ("deleteDiskOffering", CommandEvent("DISK.OFFERING.DELETE", "deleting disk offering", R.diskOffering)),
        ("createZone", CommandEvent("ZONE.CREATE", "creating zone", R.zone)),
        ("createPod", CommandEvent("POD.CREATE", "creating pod", R.pod)),
        ("generateClusterDrsPlan", CommandEvent("CLUSTER.DRS.GENERATE", "generating DRS plan for cluster", R.cluster)),
    ]
}
