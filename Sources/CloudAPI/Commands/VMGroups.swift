import CloudModel

/// The security and affinity groups of a page of VMs, for their responses (``VirtualMachineRelations`` loads
/// them).
struct VMGroups {
    var securityGroups: [String: [SecurityGroup]] = [:]
    var affinityGroups: [String: [AffinityGroup]] = [:]
    var instanceGroups: [String: InstanceGroup] = [:]

    /// Replaces the VM object's `securitygroup` and `affinitygroup` arrays, sets `group` and `groupid` to its
    /// instance group's, and adds `keypairs`.
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
        if let group = self.instanceGroups[vmId] {
            fields.removeAll { $0.0 == "group" }
            fields += [("group", .string(group.name)), ("groupid", .string(group.id))]
        }
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
