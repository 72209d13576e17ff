import CloudModel

/// Response objects for the infrastructure and catalogue entities (CloudStack's `*Response` classes).
enum EntityResponses {
    static func zone(_ zone: Zone) -> APIValue {
        var fields: [(String, APIValue)] = [
            ("id", .string(zone.id)), ("name", .string(zone.name)), ("networktype", .string(zone.networkType)),
            ("allocationstate", .string(zone.allocationState)), ("securitygroupsenabled", .bool(false)),
            ("localstorageenabled", .bool(false)), ("zonetoken", .string(zone.id)),
        ]
        for (key, value) in [
            ("dns1", zone.dns1), ("dns2", zone.dns2), ("internaldns1", zone.internalDns1),
            ("internaldns2", zone.internalDns2), ("domain", zone.domain),
        ] {
            if let value { fields.append((key, .string(value))) }
        }
        return .object(fields)
    }

    static func pod(_ pod: Pod, zone: Zone?) -> APIValue {
        .object([
            ("id", .string(pod.id)), ("name", .string(pod.name)), ("zoneid", .string(pod.zoneId)),
            ("zonename", .string(zone?.name ?? "")), ("gateway", .string(pod.gateway)),
            ("netmask", .string(pod.netmask)), ("allocationstate", .string("Enabled")),
        ])
    }

    static func cluster(_ cluster: Cluster) -> APIValue {
        .object([
            ("id", .string(cluster.id)), ("name", .string(cluster.name)), ("podid", .string(cluster.podId)),
            ("zoneid", .string(cluster.zoneId)), ("hypervisortype", .string(cluster.hypervisor)),
            ("clustertype", .string("CloudManaged")), ("allocationstate", .string("Enabled")),
            ("managedstate", .string("Managed")),
        ])
    }

    static func template(_ template: Template, zoneName: String) -> APIValue {
        .object([
            ("id", .string(template.id)), ("name", .string(template.name)),
            ("displaytext", .string(template.displayText)), ("ispublic", .bool(template.isPublic)),
            ("isfeatured", .bool(template.isFeatured)), ("isready", .bool(template.isReady)),
            ("status", .string(template.status)), ("format", .string(template.format)),
            ("hypervisor", .string(template.hypervisor)), ("ostypename", .string(template.osTypeName)),
            ("ostypeid", .string(GuestOSCatalogue.type(described: template.osTypeName)?.id ?? "")),
            ("zoneid", .string(template.zoneId)), ("zonename", .string(zoneName)), ("size", .int(template.size)),
            ("templatetype", .string("USER")), ("passwordenabled", .bool(false)),
            ("created", .string(DateFormat.string(template.created))),
        ])
    }

    static func serviceOffering(_ offering: ServiceOffering) -> APIValue {
        var fields: [(String, APIValue)] = [
            ("id", .string(offering.id)), ("name", .string(offering.name)),
            ("displaytext", .string(offering.displayText)),
        ]
        // CloudStack leaves out the values a customized offering lets the deployer choose.
        if offering.cpuNumber > 0 { fields.append(("cpunumber", .int(offering.cpuNumber))) }
        if offering.cpuSpeed > 0 { fields.append(("cpuspeed", .int(offering.cpuSpeed))) }
        if offering.memory > 0 { fields.append(("memory", .int(offering.memory))) }
        fields += [
            ("offerha", .bool(offering.offerHa)), ("limitcpuuse", .bool(offering.limitCpuUse)),
            ("storagetype", .string("shared")), ("iscustomized", .bool(offering.isCustomized)),
            ("issystem", .bool(false)), ("defaultuse", .bool(false)),
            ("created", .string(DateFormat.string(offering.created))),
        ]
        if !offering.hostTags.isEmpty { fields.append(("hosttags", .string(offering.hostTags))) }
        var details: [(String, APIValue)] = []
        if let value = offering.minCpuNumber { details.append(("mincpunumber", .string(String(value)))) }
        if let value = offering.maxCpuNumber { details.append(("maxcpunumber", .string(String(value)))) }
        if let value = offering.minMemory { details.append(("minmemory", .string(String(value)))) }
        if let value = offering.maxMemory { details.append(("maxmemory", .string(String(value)))) }
        if !details.isEmpty { fields.append(("serviceofferingdetails", .object(details))) }
        return .object(fields)
    }

    static func diskOffering(_ offering: DiskOffering) -> APIValue {
        .object([
            ("id", .string(offering.id)), ("name", .string(offering.name)),
            ("displaytext", .string(offering.displayText)), ("disksize", .int(offering.diskSize)),
            ("iscustomized", .bool(offering.diskSize == 0)), ("storagetype", .string("shared")),
            ("created", .string(DateFormat.string(offering.created))),
        ])
    }

    static func percent(_ used: Double, of total: Double) -> String {
        guard total > 0 else { return "0%" }
        let value = (used / total * 10000).rounded() / 100
        return "\(value)%"
    }
}
