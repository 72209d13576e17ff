import CloudModel
import CloudStore
import Foundation

/// SSH key pairs (CloudStack's `SSHKeyPairManager`): create (generated), register (the caller's public key), list,
/// delete, and recording pairs on a VM.
public struct SSHKeyPairService: Sendable {
    /// The `vm_detail` name of a VM's key pair names.
    public static let keyPairNamesDetail = "keypairnames"
    /// The `vm_detail` name of a VM's public keys.
    public static let publicKeysDetail = "SSH.PublicKey"

    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// Generates a pair for the owner.
    /// - Returns: the stored pair and its private key (PEM), which is not kept.
    /// - Throws: 431 when the owner already has a pair by that name; ``Access`` errors.
    public func create(
        _ access: Access,
        owner: OwnerRequest,
        name: String
    ) async throws -> (pair: SSHKeyPair, privateKey: String) {
        let account = try await access.targetAccount(owner)
        let generated = try SSHKeys.generate(comment: "\(name)@zoostack")
        let pair = SSHKeyPair(
            id: UUID().uuidString.lowercased(),
            name: name,
            accountId: account.id,
            publicKey: generated.publicKey,
            fingerprint: SSHKeys.fingerprint(generated.publicKey) ?? "",
            created: self.store.clock.now
        )
        try await self.insert(pair)
        return (pair, generated.privateKeyPEM)
    }

    /// Registers a public key under a name for the owner.
    /// - Throws: 431 when the key is invalid or the name taken; ``Access`` errors.
    public func register(
        _ access: Access,
        owner: OwnerRequest,
        name: String,
        publicKey text: String
    ) async throws -> SSHKeyPair {
        let account = try await access.targetAccount(owner)
        guard let (key, _) = SSHKeys.parse(text), let fingerprint = SSHKeys.fingerprint(text) else {
            throw CloudError(.paramError, csErrorCode: 4350, "Public key is invalid")
        }
        let pair = SSHKeyPair(
            id: UUID().uuidString.lowercased(),
            name: name,
            accountId: account.id,
            publicKey: key,
            fingerprint: fingerprint,
            created: self.store.clock.now
        )
        try await self.insert(pair)
        return pair
    }

    /// The pairs the caller may see, optionally by fingerprint.
    /// - Throws: 431 for bad paging or scope, 531 out of reach.
    public func list(
        _ access: Access,
        _ request: ListRequest,
        fingerprint: String?
    ) async throws -> ListPage<SSHKeyPair> {
        var filters: [(column: String, value: String)] = []
        if let fingerprint { filters.append(("fingerprint", fingerprint)) }
        return try await self.store.list(SSHKeyPair.self, try await access.scopedQuery(request, filters))
    }

    /// Deletes the owner's pair by name.
    /// - Throws: 431 when the owner has no such pair; ``Access`` errors.
    public func delete(_ access: Access, owner: OwnerRequest, name: String) async throws {
        let account = try await access.targetAccount(owner)
        guard let pair = try await self.pair(named: name, accountId: account.id) else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "A key pair with name '\(name)' does not exist for account \(account.name)"
            )
        }
        try await self.store.delete(SSHKeyPair.self, id: pair.id)
    }

    /// The named pairs of `accountId`, 431 naming the first unknown one and the parameter it came in.
    public func named(_ names: [String], accountId: String, parameter: String) async throws -> [SSHKeyPair] {
        var found: [SSHKeyPair] = []
        for name in names {
            guard let pair = try await self.pair(named: name, accountId: accountId) else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "A key pair with name '\(name)' was not found for the account (parameter \(parameter))"
                )
            }
            found.append(pair)
        }
        return found
    }

    /// Replaces the key pairs recorded on a stopped VM (resetSSHKeyForVirtualMachine).
    /// - Parameters:
    ///   - access: the caller's access.
    ///   - vmId: the VM's UUID.
    ///   - names: the pairs' names, of the VM's account.
    /// - Returns: the VM, checked, and the pairs; apply them with ``assign(_:to:)``.
    /// - Throws: 431 for no or unknown pairs or a VM that is not stopped; ``Access`` errors.
    public func prepareReset(
        _ access: Access,
        vmId: String,
        names: [String]
    ) async throws -> (vm: VirtualMachine, pairs: [SSHKeyPair]) {
        let vm = try await access.virtualMachine(id: vmId)
        guard !names.isEmpty else { throw CloudError.missingParameter(access.command, "keypair") }
        let pairs = try await self.named(names, accountId: vm.accountId, parameter: "keypair")
        guard vm.state == .stopped else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "vm \(vm.name) is not in the right state: \(vm.state.rawValue); make sure the VM is stopped"
            )
        }
        return (vm, pairs)
    }

    /// Records `pairs` on a VM (its key pair names and public keys).
    /// - Throws: ``StoreError``.
    public func assign(_ pairs: [SSHKeyPair], to vmId: String) async throws {
        try await self.store.setDetails(of: vmId, Self.details(pairs))
    }

    /// The VM details recording `pairs`.
    public static func details(_ pairs: [SSHKeyPair]) -> [String: String?] {
        [
            Self.keyPairNamesDetail: pairs.map(\.name).joined(separator: ","),
            Self.publicKeysDetail: pairs.map(\.publicKey).joined(separator: "\n"),
        ]
    }

    func pair(named name: String, accountId: String) async throws -> SSHKeyPair? {
        try await self.store.list(
            SSHKeyPair.self,
            ListQuery(equals: [("account_id", accountId), ("name", name)])
        ).items.first
    }

    func insert(_ pair: SSHKeyPair) async throws {
        try await self.services.insert(pair, duplicate: "A key pair with name '\(pair.name)' already exists.")
    }
}

extension CloudServices {
    /// SSH key pairs.
    public var sshKeyPairs: SSHKeyPairService { SSHKeyPairService(services: self) }
}
