import CloudCore
import CloudModel
import CloudStore

/// The `volume` response object (VolumeResponse); a page is rendered with one query per related table.
enum VolumeResponses {
    static func render(_ volume: Volume, _ context: CommandContext) async throws -> APIValue {
        try await Self.render([volume], context)[0]
    }

    static func render(_ volumes: [Volume], _ context: CommandContext) async throws -> [APIValue] {
        let store = context.server.store
        func load<Row: StoreRow>(
            _ type: Row.Type,
            _ ids: [String?],
            _ key: KeyPath<Row, String>
        ) async throws
            -> [String: Row]
        {
            let wanted = Array(Set(ids.compactMap { $0 }))
            guard !wanted.isEmpty else { return [:] }
            let rows = try await store.list(Row.self, ListQuery(idIn: wanted)).items
            return Dictionary(rows.map { ($0[keyPath: key], $0) }) { first, _ in first }
        }
        let vms: [String: VirtualMachine] = try await load(VirtualMachine.self, volumes.map(\.vmId), \.id)
        let zones: [String: Zone] = try await load(Zone.self, volumes.map(\.zoneId), \.id)
        let accounts: [String: Account] = try await load(Account.self, volumes.map(\.accountId), \.id)
        let domains = try await AccountResponses.domains(of: Array(accounts.values), store: store)
        let projects = try await ProjectOwners.load(accounts.values, store: store)
        let offerings: [String: DiskOffering] = try await load(DiskOffering.self, volumes.map(\.diskOfferingId), \.id)
        let serviceOfferings: [String: ServiceOffering] = try await load(
            ServiceOffering.self,
            volumes.filter { $0.type == "ROOT" }.map { $0.vmId.flatMap { vms[$0]?.serviceOfferingId } },
            \.id
        )
        let pools: [String: StoragePool] = try await load(StoragePool.self, volumes.map(\.poolId), \.id)
        let tags = try await store.tags(of: volumes.map(\.id), resourceType: "Volume")
        let admin = context.caller.isAdmin
        return volumes.map { volume in
            let account = volume.accountId.flatMap { accounts[$0] }
            let domain = account.flatMap { domains[$0.domainId] }
            var fields: [(String, APIValue)] = [
                ("id", .string(volume.id)), ("name", .string(volume.name)), ("zoneid", .string(volume.zoneId)),
                ("zonename", .string(zones[volume.zoneId]?.name ?? "")), ("type", .string(volume.type)),
            ]
            if let vmId = volume.vmId, let vm = vms[vmId] {
                fields += [
                    ("deviceid", .int(volume.deviceId ?? 0)), ("virtualmachineid", .string(vm.id)),
                    ("vmname", .string(vm.name)), ("vmdisplayname", .string(vm.displayName)),
                    ("vmstate", .string(vm.state.rawValue)),
                ]
                if volume.type == "ROOT", let offering = serviceOfferings[vm.serviceOfferingId] {
                    fields += [
                        ("serviceofferingid", .string(offering.id)), ("serviceofferingname", .string(offering.name)),
                        ("serviceofferingdisplaytext", .string(offering.displayText)),
                    ]
                }
            }
            fields += [
                ("size", .int(volume.size)), ("created", .string(DateFormat.string(volume.created))),
                ("state", .string(volume.state)), ("account", .string(account?.name ?? "")),
                ("domainid", .string(account?.domainId ?? "")), ("domain", .string(domain?.name ?? "ROOT")),
                ("storagetype", .string("shared")), ("provisioningtype", .string("thin")),
                ("hypervisor", .string(volume.vmId == nil && volume.state == "Allocated" ? "None" : "Simulator")),
                ("destroyed", .bool(false)), ("isextractable", .bool(false)), ("displayvolume", .bool(true)),
            ]
            if let offeringId = volume.diskOfferingId, let offering = offerings[offeringId] {
                fields += [
                    ("diskofferingid", .string(offering.id)), ("diskofferingname", .string(offering.name)),
                    ("diskofferingdisplaytext", .string(offering.displayText)),
                ]
            }
            let pool = volume.poolId.flatMap { pools[$0] }
            fields.append(("storage", .string(pool?.name ?? "none")))
            if admin, let pool {
                fields += [("storageid", .string(pool.id)), ("path", .string(volume.path ?? ""))]
            }
            if let attached = volume.attached, volume.vmId != nil {
                fields.append(("attached", .string(DateFormat.string(attached))))
            }
            fields.append(("tags", .array((tags[volume.id] ?? []).map { TagCommands.render($0, account: account) })))
            var object = APIValue.object(fields)
            projects.decorate(&object, accountId: volume.accountId)
            return object
        }
    }
}
