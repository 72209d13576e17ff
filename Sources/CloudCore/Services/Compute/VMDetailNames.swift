import Orchestrator

/// The `vm_detail` names that hold a VM's settings (updateVirtualMachine, deployVirtualMachine, attachIso, the
/// key pairs), which the free-form `details` map neither shows nor overwrites.
public enum VMDetailNames {
    /// The VM's group (`group`).
    public static let group = "group"
    /// Whether HA is enabled (`haenable`), overriding the offering's.
    public static let haEnable = "haenable"
    /// The base64 user data.
    public static let userData = "userdata"
    /// The OS type's UUID.
    public static let osTypeId = "ostypeid"
    /// Whether the VM is shown to its owner.
    public static let displayVm = "displayvm"
    /// The attached ISO's UUID (attachIso).
    public static let iso = "isoid"
    /// The names of the VM's SSH key pairs.
    public static let keyPairNames = SSHKeyPairService.keyPairNamesDetail
    /// The VM's SSH public keys.
    public static let publicKeys = SSHKeyPairService.publicKeysDetail
    /// The custom offering's CPU count, CPU speed and memory of a VM of a customized offering.
    public static let customSizing: Set<String> = ["cpuNumber", "cpuSpeed", "memory"]
    /// Names the free-form `details` map may not overwrite.
    public static let reserved: Set<String> = [
        group, haEnable, userData, osTypeId, displayVm, "cpuNumber", "cpuSpeed", "memory",
        VirtualMachineService.migrationTargetDetail, VirtualMachineService.hotplugLayoutDetail, iso, keyPairNames,
        publicKeys, UserDataService.idDetail, UserDataService.nameDetail, UserDataService.policyDetail,
    ]
}
