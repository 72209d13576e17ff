import CloudModel
import CloudStore

/// The `virtualmachine` response object (UserVmResponse), with its NICs.
enum VirtualMachineResponses {
    static func render(_ vm: VirtualMachine, store: CloudStore, caller: Caller) async throws -> APIValue {
        let zone = try await store.get(Zone.self, id: vm.zoneId)
        let template = try await store.get(Template.self, id: vm.templateId)
        let offering = try await store.get(ServiceOffering.self, id: vm.serviceOfferingId)
        let account = try await store.get(Account.self, id: vm.accountId)
        let nics = try await store.nics(of: vm.id)
        var fields: [(String, APIValue)] = [
            ("id", .string(vm.id)), ("name", .string(vm.name)), ("displayname", .string(vm.displayName)),
            ("account", .string(account?.name ?? "")), ("domainid", .string(account?.domainId ?? "")),
            ("domain", .string("ROOT")), ("created", .string(DateFormat.string(vm.created))),
            ("state", .string(vm.state.rawValue)), ("haenable", .bool(offering?.offerHa ?? false)),
            ("zoneid", .string(vm.zoneId)), ("zonename", .string(zone?.name ?? "")),
            ("templateid", .string(vm.templateId)), ("templatename", .string(template?.name ?? "")),
            ("templatedisplaytext", .string(template?.displayText ?? "")), ("passwordenabled", .bool(false)),
            ("serviceofferingid", .string(vm.serviceOfferingId)),
            ("serviceofferingname", .string(offering?.name ?? "")), ("cpunumber", .int(vm.cpuNumber)),
            ("cpuspeed", .int(vm.cpuSpeed)), ("memory", .int(vm.memory)), ("guestosid", .string("")),
            ("rootdeviceid", .int(0)), ("rootdevicetype", .string("ROOT")), ("hypervisor", .string("Simulator")),
        ]
        if caller.isAdmin, let hostId = vm.hostId {
            let host = try await store.get(Host.self, id: hostId)
            fields += [("hostid", .string(hostId)), ("hostname", .string(host?.name ?? ""))]
        }
        fields.append(
            (
                "nic",
                .array(
                    nics.map { nic in
                        .object([
                            ("id", .string(nic.id)), ("networkid", .string(nic.networkId)),
                            ("ipaddress", .string(nic.ipAddress)), ("netmask", .string(nic.netmask)),
                            ("gateway", .string(nic.gateway)), ("macaddress", .string(nic.macAddress)),
                            ("isdefault", .bool(nic.isDefault)), ("traffictype", .string("Guest")),
                            ("type", .string("Isolated")),
                        ])
                    }
                )
            )
        )
        fields += [("securitygroup", .array([])), ("affinitygroup", .array([])), ("tags", .array([]))]
        return .object(fields)
    }
}
