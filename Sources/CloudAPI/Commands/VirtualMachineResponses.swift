import CloudCore
import CloudModel

/// The `virtualmachine` response object (UserVmResponse), with its NICs. A page of VMs is rendered from its
/// ``VirtualMachineRelations`` (one query per related table, not one per VM).
enum VirtualMachineResponses {
    static func render(_ vm: VirtualMachine, core: CloudServices, caller: Caller) async throws -> APIValue {
        try await Self.render([vm], core: core, caller: caller)[0]
    }

    static func render(_ vms: [VirtualMachine], core: CloudServices, caller: Caller) async throws -> [APIValue] {
        Self.render(vms, try await core.userVMs.relations(of: vms, showHost: caller.isAdmin), caller: caller)
    }

    static func render(_ vms: [VirtualMachine], _ relations: VirtualMachineRelations, caller: Caller) -> [APIValue] {
        let groups = VMGroups(
            securityGroups: relations.securityGroups,
            affinityGroups: relations.affinityGroups,
            instanceGroups: relations.instanceGroups
        )
        let projects = ProjectOwners(byAccount: relations.projects)
        return vms.map { vm in
            let details = relations.details[vm.id] ?? [:]
            var object = Self.object(
                vm,
                zone: relations.zones[vm.zoneId],
                template: relations.templates[vm.templateId],
                iso: details[VMDetailNames.iso].flatMap { relations.templates[$0] },
                offering: relations.offerings[vm.serviceOfferingId],
                account: relations.accounts[vm.accountId],
                domain: relations.accounts[vm.accountId].flatMap { relations.domains[$0.domainId] },
                host: vm.hostId.flatMap { relations.hosts[$0] },
                nics: relations.nics[vm.id] ?? [],
                showHost: caller.isAdmin,
                tags: relations.tags[vm.id] ?? [],
                details: details,
                stats: relations.stats[vm.id],
                hypervisor: relations.isoHypervisors[vm.id]
            )
            groups.decorate(&object, vmId: vm.id, keyPairs: details[VMDetailNames.keyPairNames])
            projects.decorate(&object, accountId: vm.accountId)
            return object
        }
    }

    static func object(
        _ vm: VirtualMachine,
        zone: Zone?,
        template: Template?,
        iso: Template? = nil,
        offering: ServiceOffering?,
        account: Account?,
        domain: Domain? = nil,
        host: Host?,
        nics: [Nic],
        showHost: Bool,
        tags: [ResourceTag] = [],
        details: [String: String] = [:],
        stats: VirtualMachineStats? = nil,
        hypervisor: String? = nil
    ) -> APIValue {
        var fields: [(String, APIValue)] = [
            ("id", .string(vm.id)), ("name", .string(vm.name)), ("displayname", .string(vm.displayName)),
            ("account", .string(account?.name ?? "")), ("domainid", .string(account?.domainId ?? "")),
            ("domain", .string(domain?.name ?? "ROOT")), ("domainpath", .string(domain?.displayPath ?? "ROOT")),
            ("created", .string(DateFormat.string(vm.created))),
            ("state", .string(vm.state.rawValue)),
            ("haenable", .bool(details[VMDetailNames.haEnable].map { $0 == "true" } ?? offering?.offerHa ?? false)),
            ("zoneid", .string(vm.zoneId)), ("zonename", .string(zone?.name ?? "")),
            ("templateid", .string(vm.templateId)), ("templatename", .string(template?.name ?? "")),
            ("templatedisplaytext", .string(template?.displayText ?? "")), ("passwordenabled", .bool(false)),
            ("serviceofferingid", .string(vm.serviceOfferingId)),
            ("serviceofferingname", .string(offering?.name ?? "")), ("cpunumber", .int(vm.cpuNumber)),
            ("cpuspeed", .int(vm.cpuSpeed)), ("memory", .int(vm.memory)), ("guestosid", .string("")),
            ("rootdeviceid", .int(0)), ("rootdevicetype", .string("ROOT")),
            (
                "hypervisor",
                .string(hypervisor ?? template.map(\.hypervisor).flatMap { $0.isEmpty ? nil : $0 } ?? "Simulator")
            ),
        ]
        if let stats {
            // CloudStack's VM stats (`VmStatsEntry`), measured by a real host's agent.
            fields += [
                ("cpuused", .string("\((stats.cpuUsedPercent * 100).rounded() / 100)%")),
                ("memorykbs", .int(stats.memoryKbs)), ("memoryintfreekbs", .int(stats.memoryIntFreeKbs)),
                ("networkkbsread", .int(stats.networkKbsRead)), ("networkkbswrite", .int(stats.networkKbsWrite)),
                ("diskkbsread", .int(stats.diskKbsRead)), ("diskkbswrite", .int(stats.diskKbsWrite)),
                ("diskioread", .int(stats.diskIoRead)), ("diskiowrite", .int(stats.diskIoWrite)),
            ]
        }
        if let iso {
            fields += [
                ("isoid", .string(iso.id)), ("isoname", .string(iso.name)),
                ("isodisplaytext", .string(iso.displayText)),
            ]
        }
        if showHost, let hostId = vm.hostId {
            fields += [("hostid", .string(hostId)), ("hostname", .string(host?.name ?? ""))]
        }
        let nicValues: [APIValue] = nics.map { nic in
            .object([
                ("id", .string(nic.id)), ("networkid", .string(nic.networkId)),
                ("ipaddress", .string(nic.ipAddress)), ("netmask", .string(nic.netmask)),
                ("gateway", .string(nic.gateway)), ("macaddress", .string(nic.macAddress)),
                ("isdefault", .bool(nic.isDefault)), ("traffictype", .string("Guest")),
                ("type", .string("Isolated")),
            ])
        }
        fields.append(("nic", .array(nicValues)))
        if let group = details[VMDetailNames.group] { fields.append(("group", .string(group))) }
        for (key, detail) in UserDataCommands.vmDetails {
            if let value = details[detail] { fields.append((key, .string(value))) }
        }
        let shown = details.filter {
            !VMDetailNames.reserved.contains($0.key) || VMDetailNames.customSizing.contains($0.key)
        }
        if !shown.isEmpty {
            fields.append(("details", .object(shown.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        fields += [
            ("securitygroup", .array([])), ("affinitygroup", .array([])),
            ("tags", .array(tags.map { TagCommands.render($0, account: account) })),
        ]
        return .object(fields)
    }
}
