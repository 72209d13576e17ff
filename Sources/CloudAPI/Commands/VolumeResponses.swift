import CloudCore
import CloudModel
import Foundation

/// The `volume` response object (VolumeResponse); a page is rendered with one query per related table.
enum VolumeResponses {
    static func render(_ volume: Volume, _ context: CommandContext) async throws -> APIValue {
        try await Self.render([volume], context)[0]
    }

    static func render(_ volumes: [Volume], _ context: CommandContext) async throws -> [APIValue] {
        let related = try await context.core.volumeOperations.relations(of: volumes)
        let vms = related.virtualMachines
        let zones = related.zones
        let accounts = related.owners.accounts
        let domains = related.owners.domains
        let projects = ProjectOwners(byAccount: related.owners.projects)
        let offerings = related.diskOfferings
        let serviceOfferings = related.serviceOfferings
        let pools = related.pools
        let tags = related.tags
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
                ("hypervisor", .string(related.hypervisors[volume.id] ?? "None")),
                ("destroyed", .bool(false)), ("isextractable", .bool(false)), ("displayvolume", .bool(true)),
            ]
            if let stats = related.stats[volume.id] {
                fields += [
                    ("virtualsize", .int(stats.virtualSize)), ("physicalsize", .int(stats.physicalSize)),
                    ("utilization", .string(Self.utilization(stats))),
                ]
            }
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

    /// CloudStack's `utilization`: physical over virtual size, as a percentage with two decimals.
    static func utilization(_ stats: VolumeStats) -> String {
        guard stats.virtualSize > 0 else { return "0.00%" }
        let percent = Double(stats.physicalSize) * 100 / Double(stats.virtualSize)
        return String(format: "%.2f%%", percent)
    }
}
