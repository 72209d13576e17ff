import CloudModel
import CloudStore

/// The security and affinity groups of a page of VMs, for their responses (two queries a page, two more only
/// when some VM belongs to a group).
struct VMGroups {
    var securityGroups: [String: [SecurityGroup]] = [:]
    var affinityGroups: [String: [AffinityGroup]] = [:]

    static func load(_ vmIds: [String], store: CloudStore) async throws -> VMGroups {
        guard !vmIds.isEmpty else { return VMGroups() }
        var result = VMGroups()
        let security = try await store.members(.securityGroup, vmIds: vmIds)
        if !security.isEmpty {
            let groups = Dictionary(
                try await store.list(SecurityGroup.self, ListQuery(idIn: Array(Set(security.map(\.groupId))))).items.map
                {
                    ($0.id, $0)
                }
            ) { first, _ in first }
            for (groupId, vmId) in security {
                if let group = groups[groupId] { result.securityGroups[vmId, default: []].append(group) }
            }
        }
        let affinity = try await store.members(.affinityGroup, vmIds: vmIds)
        if !affinity.isEmpty {
            let groups = Dictionary(
                try await store.list(AffinityGroup.self, ListQuery(idIn: Array(Set(affinity.map(\.groupId))))).items.map
                {
                    ($0.id, $0)
                }
            ) { first, _ in first }
            for (groupId, vmId) in affinity {
                if let group = groups[groupId] { result.affinityGroups[vmId, default: []].append(group) }
            }
        }
        return result
    }

    /// Replaces the VM object's `securitygroup` and `affinitygroup` arrays and adds `keypairs`.
    func decorate(_ object: inout APIValue, vmId: String, keyPairs: String?) {
        guard case .object(var fields) = object else { return }
        let security: APIValue = .array(
            (self.securityGroups[vmId] ?? []).map {
                .object([("id", .string($0.id)), ("name", .string($0.name)), ("description", .string($0.description))])
            }
        )
        let affinity: APIValue = .array(
            (self.affinityGroups[vmId] ?? []).map {
                .object([
                    ("id", .string($0.id)), ("name", .string($0.name)), ("description", .string($0.description)),
                    ("type", .string($0.type)),
                ])
            }
        )
        for index in fields.indices {
            switch fields[index].0 {
            case "securitygroup": fields[index].1 = security
            case "affinitygroup": fields[index].1 = affinity
            default: break
            }
        }
        if let keyPairs, !keyPairs.isEmpty {
            fields.append(("keypairs", .string(keyPairs)))
            fields.append(("keypair", .string(keyPairs)))
        }
        object = .object(fields)
    }
}
