import CloudModel
import CloudStore

/// The rules for a VM's host name (`name` of deployVirtualMachine and updateVirtualMachine), as CloudStack's
/// UserVmManagerImpl checks them: an RFC 1123 label, unique among the VMs of each network the VM is on.
public enum VirtualMachineNames {
    /// CloudStack's text for a name that is not a valid host name.
    public static let invalidText =
        "Invalid name. Vm name can contain ASCII letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-'), must be between 1 and 63 characters long, and can't start or end with \"-\" and can't start with digit"

    /// RFC 1123 host names, as CloudStack's `NetUtils.verifyDomainNameLabel(name, true)` checks them.
    public static func isValid(_ name: String) -> Bool {
        guard (1...63).contains(name.utf8.count), let first = name.first, let last = name.last else { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" } && first != "-"
            && last != "-" && !first.isNumber
    }

    /// Refuses a name that is not a valid host name (431, CloudStack's `checkNameForRFCCompliance`).
    /// - Throws: 431.
    public static func checkValid(_ name: String) throws(CloudError) {
        guard Self.isValid(name) else { throw CloudError(.paramError, csErrorCode: 4350, Self.invalidText) }
    }

    /// Refuses a name another VM already has on one of `networks` (CloudStack's
    /// `checkIfHostNameUniqueInNtwkDomain`).
    /// - Parameters:
    ///   - name: the host name.
    ///   - networks: the networks the VM is or will be on.
    ///   - store: the store.
    /// - Throws: 431 naming the network.
    static func checkUnique(_ name: String, on networks: [Network], store: CloudStore) async throws {
        guard let taken = try await store.networkUsingHostName(name, networkIds: networks.map(\.id)),
            let network = networks.first(where: { $0.id == taken })
        else { return }
        throw CloudError(
            .paramError,
            csErrorCode: 4350,
            "The vm with hostName \(name) already exists in the network domain: \(network.networkDomain); network=\(network.name)"
        )
    }
}
