/// CloudStack commands ZooStack refuses on purpose: each needs a part ZooStack has not built (another hypervisor,
/// a vendor plugin, a system-VM appliance, a VPN data plane, ...). They answer 432 naming that part instead of
/// being unknown, and docs/API-COVERAGE.md lists them. Generated from CloudStack's command table
/// (docs/api/cloudstack-apispec.json.gz) by name; `APICoverageTests` checks that each is a CloudStack command.
enum RefusedCommands {
    /// Each missing part, with the commands that need it.
    static let table: [(part: String, commands: [String])] = [
        (
            "a backup provider (Veeam, NAS backup)",
            [
                "addBackupRepository", "assignVirtualMachineToBackupOffering", "createBackup", "createBackupSchedule",
                "createVMFromBackup", "deleteBackup", "deleteBackupOffering", "deleteBackupRepository",
                "deleteBackupSchedule", "importBackupOffering", "listBackupOfferings", "listBackupProviderOfferings",
                "listBackupProviders", "listBackupRepositories", "listBackupSchedule", "listBackups",
                "removeVirtualMachineFromBackupOffering", "restoreBackup", "restoreVolumeFromBackupAndAttachToVM",
                "updateBackupOffering", "updateBackupRepository", "updateBackupSchedule",
            ]
        ),
        (
            "bare-metal provisioning",
            [
                "addBaremetalDhcp", "addBaremetalHost", "addBaremetalPxeKickStartServer", "addBaremetalPxePingServer",
                "addBaremetalRct", "deleteBaremetalRct", "listBaremetalDhcp", "listBaremetalPxeServers",
                "listBaremetalRct", "notifyBaremetalProvisionDone",
            ]
        ),
        (
            "the Big Switch BCF plugin",
            [
                "addBigSwitchBcfDevice", "deleteBigSwitchBcfDevice", "listBigSwitchBcfDevices",
            ]
        ),
        (
            "the Brocade VCS plugin",
            [
                "addBrocadeVcsDevice", "deleteBrocadeVcsDevice", "listBrocadeVcsDeviceNetworks",
                "listBrocadeVcsDevices",
            ]
        ),
        (
            "the Cisco network plugins (ASA 1000v, VNMC, Nexus 1000v)",
            [
                "addCiscoAsa1000vResource", "addCiscoVnmcResource", "deleteCiscoAsa1000vResource",
                "deleteCiscoNexusVSM", "deleteCiscoVnmcResource", "disableCiscoNexusVSM", "enableCiscoNexusVSM",
                "listCiscoAsa1000vResources", "listCiscoNexusVSMs", "listCiscoVnmcResources",
            ]
        ),
        (
            "the extensions framework",
            [
                "addCustomAction", "createExtension", "deleteCustomAction", "deleteExtension", "listCustomActions",
                "listExtensions", "registerExtension", "runCustomAction", "unregisterExtension", "updateCustomAction",
                "updateExtension",
            ]
        ),
        (
            "the GloboDNS plugin",
            [
                "addGloboDnsHost"
            ]
        ),
        (
            "OpenStack Swift and S3 secondary storage",
            [
                "addImageStoreS3", "addSwift", "createSecondaryStagingStore", "deleteSecondaryStagingStore",
                "listSecondaryStagingStores", "listSwifts",
            ]
        ),
        (
            "the CloudStack Kubernetes Service",
            [
                "addKubernetesSupportedVersion", "addNodesToKubernetesCluster", "addVirtualMachinesToKubernetesCluster",
                "createKubernetesCluster", "deleteCniConfiguration", "deleteKubernetesCluster",
                "deleteKubernetesSupportedVersion", "getKubernetesClusterConfig",
                "getUploadParamsForKubernetesSupportedVersion", "listCniConfiguration", "listKubernetesClusters",
                "listKubernetesSupportedVersions", "registerCniConfiguration", "removeNodesFromKubernetesCluster",
                "removeVirtualMachinesFromKubernetesCluster", "scaleKubernetesCluster", "startKubernetesCluster",
                "stopKubernetesCluster", "updateKubernetesSupportedVersion", "upgradeKubernetesCluster",
            ]
        ),
        (
            "an LDAP directory",
            [
                "addLdapConfiguration", "deleteLdapConfiguration", "importLdapUsers", "ldapConfig", "ldapCreateAccount",
                "ldapRemove", "linkAccountToLdap", "linkDomainToLdap", "listLdapConfigurations", "listLdapUsers",
                "searchLdap",
            ]
        ),
        (
            "the Netris plugin",
            [
                "addNetrisProvider", "deleteNetrisProvider", "listNetrisProviders",
            ]
        ),
        (
            "the NetScaler plugin",
            [
                "addNetscalerLoadBalancer", "assignToGlobalLoadBalancerRule", "configureNetscalerLoadBalancer",
                "createGlobalLoadBalancerRule", "deleteGlobalLoadBalancerRule", "deleteNetscalerControlCenter",
                "deleteNetscalerLoadBalancer", "deployNetscalerVpx", "listGlobalLoadBalancerRules",
                "listNetscalerControlCenter", "listNetscalerLoadBalancerNetworks", "listNetscalerLoadBalancers",
                "registerNetscalerControlCenter", "registerNetscalerServicePackage", "removeFromGlobalLoadBalancerRule",
                "stopNetScalerVpx", "updateGlobalLoadBalancerRule",
            ]
        ),
        (
            "external network devices and traffic monitors",
            [
                "addNetworkDevice", "addTrafficMonitor", "createServiceInstance", "deleteNetworkDevice",
                "deleteServicePackageOffering", "deleteTrafficMonitor", "listNetworkDevice",
                "listRegisteredServicePackages", "listTrafficMonitors",
            ]
        ),
        (
            "the Nicira NVP plugin",
            [
                "addNiciraNvpDevice", "deleteNiciraNvpDevice", "listNiciraNvpDeviceNetworks", "listNiciraNvpDevices",
            ]
        ),
        (
            "the VMware NSX plugin",
            [
                "addNsxController", "deleteNsxController", "listNsxControllers",
            ]
        ),
        (
            "object storage (buckets)",
            [
                "addObjectStoragePool", "createBucket", "deleteBucket", "deleteObjectStoragePool", "listBuckets",
                "listObjectStoragePools", "updateBucket", "updateCloudToUseObjectStore", "updateObjectStoragePool",
            ]
        ),
        (
            "the OpenDaylight plugin",
            [
                "addOpenDaylightController", "deleteOpenDaylightController", "listOpenDaylightControllers",
            ]
        ),
        (
            "the Palo Alto firewall plugin",
            [
                "addPaloAltoFirewall", "configurePaloAltoFirewall", "deletePaloAltoFirewall",
                "listPaloAltoFirewallNetworks", "listPaloAltoFirewalls",
            ]
        ),
        (
            "the Stratosphere SSP plugin",
            [
                "addStratosphereSsp", "deleteStratosphereSsp",
            ]
        ),
        (
            "the Tungsten Fabric plugin",
            [
                "addTungstenFabricNetworkGatewayToLogicalRouter", "addTungstenFabricPolicyRule",
                "applyTungstenFabricPolicy", "applyTungstenFabricTag", "configTungstenFabricService",
                "createTungstenFabricAddressGroup", "createTungstenFabricApplicationPolicySet",
                "createTungstenFabricFirewallPolicy", "createTungstenFabricFirewallRule",
                "createTungstenFabricLogicalRouter", "createTungstenFabricManagementNetwork",
                "createTungstenFabricPolicy", "createTungstenFabricProvider", "createTungstenFabricPublicNetwork",
                "createTungstenFabricServiceGroup", "createTungstenFabricTag", "createTungstenFabricTagType",
                "deleteTungstenFabricAddressGroup", "deleteTungstenFabricApplicationPolicySet",
                "deleteTungstenFabricFirewallPolicy", "deleteTungstenFabricFirewallRule",
                "deleteTungstenFabricLogicalRouter", "deleteTungstenFabricPolicy", "deleteTungstenFabricServiceGroup",
                "deleteTungstenFabricTag", "deleteTungstenFabricTagType", "listTungstenFabricAddressGroup",
                "listTungstenFabricApplicationPolicySet", "listTungstenFabricFirewallPolicy",
                "listTungstenFabricFirewallRule", "listTungstenFabricLBHealthMonitor",
                "listTungstenFabricLogicalRouter", "listTungstenFabricNetwork", "listTungstenFabricNic",
                "listTungstenFabricPolicy", "listTungstenFabricPolicyRule", "listTungstenFabricProviders",
                "listTungstenFabricServiceGroup", "listTungstenFabricTag", "listTungstenFabricTagType",
                "listTungstenFabricVm", "removeTungstenFabricNetworkGatewayFromLogicalRouter",
                "removeTungstenFabricPolicy", "removeTungstenFabricPolicyRule", "removeTungstenFabricTag",
                "synchronizeTungstenFabricData", "updateTungstenFabricLBHealthMonitor",
            ]
        ),
        (
            "Cisco UCS blade management",
            [
                "addUcsManager", "associateUcsProfileToBlade", "deleteUcsManager", "listUcsBlades", "listUcsManagers",
                "listUcsProfiles",
            ]
        ),
        (
            "VMware vSphere, a hypervisor ZooStack does not drive",
            [
                "addVmwareDc", "importVsphereStoragePolicies", "listVmwareDcVms", "listVmwareDcs",
                "listVsphereStoragePolicies", "listVsphereStoragePolicyCompatiblePools", "removeVmwareDc",
                "updateSiocInfo", "updateVmwareDc",
            ]
        ),
        (
            "VPN data planes",
            [
                "addVpnUser", "createRemoteAccessVpn", "createVpnConnection", "createVpnCustomerGateway",
                "createVpnGateway", "deleteRemoteAccessVpn", "deleteVpnConnection", "deleteVpnCustomerGateway",
                "deleteVpnGateway", "listRemoteAccessVpns", "listVpnConnections", "listVpnCustomerGateways",
                "listVpnGateways", "listVpnUsers", "removeVpnUser", "resetVpnConnection", "updateRemoteAccessVpn",
                "updateVpnConnection", "updateVpnCustomerGateway", "updateVpnGateway",
            ]
        ),
        (
            "SSL offload on load-balancer appliances",
            [
                "assignCertToLoadBalancer", "deleteSslCert", "getLoadBalancerSslCertificate", "listSslCerts",
                "removeCertFromLoadBalancer", "uploadSslCert",
            ]
        ),
        (
            "SAML single sign-on",
            [
                "authorizeSamlSso", "getSPMetadata", "listAndSwitchSamlAccount", "listIdps", "listSamlAuthorization",
                "samlSlo", "samlSso",
            ]
        ),
        (
            "out-of-band management (IPMI) and host HA",
            [
                "cancelHostAsDegraded", "changeOutOfBandManagementPassword", "configureHAForHost",
                "configureOutOfBandManagement", "declareHostAsDegraded", "disableHAForCluster", "disableHAForHost",
                "disableHAForZone", "disableOutOfBandManagementForCluster", "disableOutOfBandManagementForHost",
                "disableOutOfBandManagementForZone", "enableHAForCluster", "enableHAForHost", "enableHAForZone",
                "enableOutOfBandManagementForCluster", "enableOutOfBandManagementForHost",
                "enableOutOfBandManagementForZone", "issueOutOfBandManagementPowerAction", "listHostHAProviders",
                "listHostHAResources",
            ]
        ),
        (
            "dynamic routing (AS numbers, BGP peers, routed IPv4 subnets)",
            [
                "changeBgpPeersForNetwork", "changeBgpPeersForVpc", "createASNRange", "createBgpPeer",
                "createIpv4SubnetForGuestNetwork", "createIpv4SubnetForZone", "createRoutingFirewallRule",
                "dedicateBgpPeer", "dedicateIpv4SubnetForZone", "deleteASNRange", "deleteBgpPeer",
                "deleteIpv4SubnetForGuestNetwork", "deleteIpv4SubnetForZone", "deleteRoutingFirewallRule",
                "listASNRanges", "listASNumbers", "listBgpPeers", "listIpv4SubnetsForGuestNetwork",
                "listIpv4SubnetsForZone", "listRoutingFirewallRules", "releaseASNumber", "releaseBgpPeer",
                "releaseIpv4SubnetForZone", "updateBgpPeer", "updateIpv4SubnetForZone", "updateRoutingFirewallRule",
            ]
        ),
        (
            "virtual router appliances",
            [
                "changeServiceForRouter", "configureVirtualRouterElement", "createVirtualRouterElement",
                "destroyRouter", "getRouterHealthCheckResults", "listVirtualRouterElements", "rebootRouter",
                "startRouter", "stopRouter", "upgradeRouterTemplate",
            ]
        ),
        (
            "system VM appliances",
            [
                "changeServiceForSystemVm", "destroySystemVm", "getDiagnosticsData", "listSystemVmsUsageHistory",
                "migrateSystemVm", "patchSystemVm", "rebootSystemVm", "runDiagnostics", "scaleSystemVm",
                "startSystemVm", "stopSystemVm",
            ]
        ),
        (
            "shared file system service VMs",
            [
                "changeSharedFileSystemDiskOffering", "changeSharedFileSystemServiceOffering", "createSharedFileSystem",
                "destroySharedFileSystem", "expungeSharedFileSystem", "listSharedFileSystemProviders",
                "listSharedFileSystems", "recoverSharedFileSystem", "restartSharedFileSystem", "startSharedFileSystem",
                "stopSharedFileSystem", "updateSharedFileSystem",
            ]
        ),
        (
            "CloudStack's simulator mocks (ZooStack's simulator is set up with configureSimulator)",
            [
                "cleanupSimulatorMock", "configureSimulatorHAProviderState", "listSimulatorHAStateTransitions",
                "querySimulatorMock",
            ]
        ),
        (
            "the Cloudian plugin",
            [
                "cloudianIsEnabled", "cloudianSsoLogin",
            ]
        ),
        (
            "internal load balancer appliances",
            [
                "configureInternalLoadBalancerElement", "createInternalLoadBalancerElement",
                "listInternalLoadBalancerElements", "listInternalLoadBalancerVMs", "startInternalLoadBalancerVM",
                "stopInternalLoadBalancerVM",
            ]
        ),
        (
            "the Open vSwitch element",
            [
                "configureOvsElement", "listOvsElements",
            ]
        ),
        (
            "GPU passthrough and vGPU",
            [
                "createGpuCard", "createGpuDevice", "createVgpuProfile", "deleteGpuCard", "deleteGpuDevice",
                "deleteVgpuProfile", "discoverGpuDevices", "listGpuCards", "listGpuDevices", "listVgpuProfiles",
                "manageGpuDevice", "unmanageGpuDevice", "updateGpuCard", "updateGpuDevice", "updateVgpuProfile",
            ]
        ),
        (
            "OAuth sign-on",
            [
                "deleteOauthProvider", "listOauthProvider", "oauthlogin", "registerOauthProvider",
                "updateOauthProvider", "verifyOAuthCodeAndGetUser",
            ]
        ),
        (
            "the usage server (usage records and quota)",
            [
                "generateUsageRecords", "listUsageRecords", "listUsageServerMetrics", "listUsageTypes", "quotaBalance",
                "quotaConfigureEmail", "quotaCredits", "quotaCreditsList", "quotaEmailTemplateList",
                "quotaEmailTemplateUpdate", "quotaIsEnabled", "quotaListEmailConfiguration", "quotaPresetVariablesList",
                "quotaStatement", "quotaSummary", "quotaTariffCreate", "quotaTariffDelete", "quotaTariffList",
                "quotaTariffUpdate", "quotaUpdate", "quotaValidateActivationRule", "removeRawUsageRecords",
            ]
        ),
        (
            "the SolidFire plugin",
            [
                "getSolidFireAccountId", "getSolidFireVolumeAccessGroupIds", "getSolidFireVolumeSize",
            ]
        ),
        (
            "managed (iSCSI) storage",
            [
                "getVolumeiScsiName"
            ]
        ),
        (
            "CloudStack's certificate authority for agents",
            [
                "issueCertificate", "listCAProviders", "listCaCertificate", "listTemplateDirectDownloadCertificates",
                "provisionCertificate", "provisionTemplateDirectDownloadCertificate", "revokeCertificate",
                "revokeTemplateDirectDownloadCertificate", "uploadCustomCertificate",
                "uploadTemplateDirectDownloadCertificate",
            ]
        ),
        (
            "the CloudByte ElastiStor plugin",
            [
                "listElastistorInterface", "listElastistorPool", "listElastistorVolume",
            ]
        ),
        (
            "two-factor authentication",
            [
                "listUserTwoFactorAuthenticatorProviders", "setupUserTwoFactorAuthentication",
                "validateUserTwoFactorAuthenticationCode",
            ]
        ),
    ]

    /// The missing part by command name.
    static let missingPart: [String: String] = Dictionary(
        uniqueKeysWithValues: Self.table.flatMap { entry in entry.commands.map { ($0, entry.part) } }
    )
}
