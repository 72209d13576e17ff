import CloudCore
import CloudModel
import CloudStore

/// The `virtualmachine` response object (UserVmResponse), with its NICs. A page of VMs is rendered with one
/// query per related table, not one per VM.
enum VirtualMachineResponses {
    static func render(_ vm: VirtualMachine, store: CloudStore, caller: Caller) async throws -> APIValue {
        try await Self.render([vm], store: store, caller: caller)[0]
    }

    static func render(_ vms: [VirtualMachine], store: CloudStore, caller: Caller) async throws -> [APIValue] {
        func load<Row: StoreRow>(_ type: Row.Type, _ ids: [String?], column: String = "id") async throws -> [Row] {
            let wanted = Array(Set(ids.compactMap { $0 }))
            guard !wanted.isEmpty else { return [] }
            var query = ListQuery(idIn: wanted)
            query.inColumn = column
            return try await store.list(Row.self, query).items
        }
        let zones = Dictionary(try await load(Zone.self, vms.map(\.zoneId)).map { ($0.id, $0) }) { a, _ in a }
        let details = try await store.details(of: vms.map(\.id))
        let isoIds = vms.map { details[$0.id]?[IsoCommands.isoDetail] }
        let templates = Dictionary(
            try await load(Template.self, vms.map(\.templateId) + isoIds).map { ($0.id, $0) }
        ) { a, _ in a }
        let offerings = Dictionary(
            try await load(ServiceOffering.self, vms.map(\.serviceOfferingId)).map { ($0.id, $0) }
        ) { a, _ in a }
        let accounts = Dictionary(try await load(Account.self, vms.map(\.accountId)).map { ($0.id, $0) }) { a, _ in a }
        let domains = try await AccountResponses.domains(of: Array(accounts.values), store: store)
        let projects = try await ProjectOwners.load(accounts.values, store: store)
        let hosts = Dictionary(try await load(Host.self, caller.isAdmin ? vms.map(\.hostId) : []).map { ($0.id, $0) }) {
            a,
            _ in a
        }
        let nics = Dictionary(grouping: try await load(Nic.self, vms.map(\.id), column: "vm_id"), by: \.vmId)
        let tags = try await store.tags(of: vms.map(\.id), resourceType: "UserVm")
        let groups = try await VMGroups.load(vms.map(\.id), store: store)
        return vms.map { vm in
            var object = Self.object(
                vm,
                zone: zones[vm.zoneId],
                template: templates[vm.templateId],
                iso: details[vm.id]?[IsoCommands.isoDetail].flatMap { templates[$0] },
                offering: offerings[vm.serviceOfferingId],
                account: accounts[vm.accountId],
                domain: accounts[vm.accountId].flatMap { domains[$0.domainId] },
                host: vm.hostId.flatMap { hosts[$0] },
                nics: nics[vm.id] ?? [],
                showHost: caller.isAdmin,
                tags: tags[vm.id] ?? [],
                details: details[vm.id] ?? [:]
            )
            groups.decorate(&object, vmId: vm.id, keyPairs: details[vm.id]?[DeployExtras.keyPairNames])
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
        details: [String: String] = [:]
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
            ("rootdeviceid", .int(0)), ("rootdevicetype", .string("ROOT")), ("hypervisor", .string("Simulator")),
        ]
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
        let shown = details.filter {
            !VMDetailNames.reserved.contains($0.key) || ["cpuNumber", "cpuSpeed", "memory"].contains($0.key)
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
