import CloudModel
import CloudStore
import Foundation

/// A VM's NICs: addNicToVirtualMachine, removeNicFromVirtualMachine, updateDefaultNicForVirtualMachine, listNics.
extension UserVMService {
    /// The checks of addNicToVirtualMachine before its job: the VM and the network the caller may use, in the VM's
    /// zone, a Running or Stopped VM, and the requested address (`ipaddress`) within the network's range. Run it
    /// with ``addNic(to:network:macAddress:ipAddress:)``.
    /// - Throws: 431/531.
    public func prepareAddNic(
        _ access: Access,
        vmId: String,
        networkId: String,
        ipAddress: String? = nil
    ) async throws -> (vm: VirtualMachine, network: Network) {
        let vm = try await access.virtualMachine(id: vmId, parameter: "virtualmachineid")
        guard let network = try await self.store.get(Network.self, id: networkId) else {
            throw access.unknown("networkid", networkId)
        }
        try await self.services.networks.checkAccess(access, network)
        guard network.zoneId == vm.zoneId else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Network \(network.name) is not in the zone of virtual machine \(vm.name)"
            )
        }
        guard [.running, .stopped].contains(vm.state) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "The virtual machine \(vm.name) is in state \(vm.state.rawValue); it must be Running or Stopped"
            )
        }
        if let ipAddress {
            guard let address = IPv4Subnet.address(ipAddress) else {
                throw CloudError.invalidParameter(access.command, "ipaddress", ipAddress)
            }
            guard let start = IPv4Subnet.address(network.startIp), let end = IPv4Subnet.address(network.endIp),
                (start...end).contains(address)
            else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Requested ip address (parameter ipaddress) \(ipAddress) is not in the range "
                        + "\(network.startIp)-\(network.endIp) of network \(network.name)"
                )
            }
        }
        return (vm, network)
    }

    /// Adds a NIC on `network` to a VM (the job of addNicToVirtualMachine); the VM's first NIC is its default.
    /// - Parameters:
    ///   - vm: the VM.
    ///   - network: the network.
    ///   - macAddress: the NIC's MAC; nil for a random locally administered one.
    ///   - ipAddress: the address asked for (checked by ``prepareAddNic(_:vmId:networkId:ipAddress:)``); nil for
    ///     a free one.
    /// - Throws: 431 when the VM is on the network already, 533 when the network has no free address or the one
    ///   asked for is in use.
    public func addNic(
        to vm: VirtualMachine,
        network: Network,
        macAddress: String?,
        ipAddress: String? = nil
    ) async throws {
        let nics = try await self.store.nics(of: vm.id)
        if nics.contains(where: { $0.networkId == network.id }) {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "A NIC already exists for VM \(vm.name) in network \(network.name)"
            )
        }
        if let ipAddress {
            let nic = Nic(
                id: UUID().uuidString.lowercased(),
                vmId: vm.id,
                networkId: network.id,
                ipAddress: ipAddress,
                netmask: network.netmask,
                gateway: network.gateway,
                macAddress: macAddress ?? Self.macAddress(),
                isDefault: nics.isEmpty
            )
            do {
                try await self.store.insert(nic)
            } catch {
                guard error.kind == .duplicate else { throw error }
                throw CloudError(
                    .insufficientCapacity,
                    csErrorCode: 4325,
                    "The IP address \(ipAddress) is already in use in network \(network.name)"
                )
            }
            return
        }
        do {
            _ = try await self.store.allocateNic(
                vmId: vm.id,
                network: network,
                isDefault: nics.isEmpty,
                nicId: UUID().uuidString.lowercased(),
                macAddress: macAddress ?? Self.macAddress()
            )
        } catch {
            guard error.kind == .notFound else { throw error }
            throw CloudError(
                .insufficientCapacity,
                csErrorCode: 4325,
                "Insufficient address capacity: no free IP address in network \(network.name)"
            )
        }
    }

    /// The checks of removeNicFromVirtualMachine before its job: the VM's NIC, not its default one. Run it with
    /// ``removeNic(_:)``.
    /// - Throws: 431/531.
    public func prepareRemoveNic(
        _ access: Access,
        vmId: String,
        nicId: String
    ) async throws -> (vm: VirtualMachine, nic: Nic) {
        let vm = try await access.virtualMachine(id: vmId, parameter: "virtualmachineid")
        guard let nic = try await self.store.nics(of: vm.id).first(where: { $0.id == nicId }) else {
            throw access.unknown("nicid", nicId)
        }
        guard !nic.isDefault else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Unable to remove nic from \(vm.name) in network \(nic.networkId); the nic is the default nic"
            )
        }
        return (vm, nic)
    }

    /// Removes a NIC (the job of removeNicFromVirtualMachine).
    /// - Throws: ``StoreError``.
    public func removeNic(_ nic: Nic) async throws {
        try await self.store.removeNic(nic)
    }

    /// The checks of updateDefaultNicForVirtualMachine before its job: the VM has the NIC. Run it with
    /// ``setDefaultNic(vmId:nicId:)``.
    /// - Throws: 431/531.
    public func prepareDefaultNic(_ access: Access, vmId: String, nicId: String) async throws -> VirtualMachine {
        let vm = try await access.virtualMachine(id: vmId, parameter: "virtualmachineid")
        guard try await self.store.nics(of: vm.id).contains(where: { $0.id == nicId }) else {
            throw access.unknown("nicid", nicId)
        }
        return vm
    }

    /// Makes a NIC its VM's default (the job of updateDefaultNicForVirtualMachine).
    /// - Throws: ``StoreError``.
    public func setDefaultNic(vmId: String, nicId: String) async throws {
        try await self.store.setDefaultNic(vmId: vmId, nicId: nicId)
    }

    /// The NICs of a VM the caller may reach, optionally one NIC or those on one network, with their networks.
    /// - Throws: 431/531.
    public func nics(
        _ access: Access,
        vmId: String,
        nicId: String?,
        networkId: String?
    ) async throws -> (nics: [Nic], networks: [String: Network]) {
        let vm = try await access.virtualMachine(id: vmId, parameter: "virtualmachineid")
        var nics = try await self.store.nics(of: vm.id)
        if let nicId { nics = nics.filter { $0.id == nicId } }
        if let networkId { nics = nics.filter { $0.networkId == networkId } }
        let networks = Dictionary(
            try await self.store.list(Network.self, ListQuery(idIn: Array(Set(nics.map(\.networkId))))).items.map {
                ($0.id, $0)
            }
        ) { first, _ in first }
        return (nics, networks)
    }

    /// A random locally administered MAC address (02:00:xx:xx:xx:xx).
    static func macAddress() -> String {
        "02:00:" + (0..<4).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined(separator: ":")
    }
}
