// The table of generic screens: (command, columns, filters, create and row actions), each gated by listApis.
// A screen is offered when listApis has every command in `needs` (its list command by default).
import { bytes } from "./dom.js";
import { subList } from "./generic.js";
import { choice, percent, selectField, text } from "./options.js";

const zone = () => selectField("zoneid", "Zone", "listZones");
const del = (command, label = "Delete", when) => ({ command, label, confirm: true, when });
const yes = (value) => (value ? "yes" : "no");

/** Generic screens by group: [group title, screens]. */
export const GROUPS = [
  [
    "Compute",
    [
      {
        id: "volumes",
        title: "Volumes",
        command: "listVolumes",
        params: { listall: true },
        columns: [["name", "Name"], ["state", "State"], ["type", "Type"], ["size", "Size", bytes], ["vmname", "Instance"], ["zonename", "Zone"]],
        create: [{ command: "createVolume", label: "Create volume", fields: async () => [text("name", "Name", { required: true }), await zone(), await selectField("diskofferingid", "Disk offering", "listDiskOfferings"), text("size", "Size (GB, custom offerings)", { type: "number", min: 1 })] }],
        actions: [
          { command: "attachVolume", label: "Attach", when: (v) => !v.virtualmachineid, fields: async () => [await selectField("virtualmachineid", "Instance", "listVirtualMachines", { listall: true })] },
          { command: "detachVolume", label: "Detach", when: (v) => v.virtualmachineid && v.type !== "ROOT", confirm: true },
          { command: "resizeVolume", label: "Resize", fields: [text("size", "New size (GB)", { type: "number", min: 1, required: true })] },
          { command: "createSnapshot", label: "Snapshot", params: (v) => ({ volumeid: v.id }) },
          del("deleteVolume", "Delete", (v) => !v.virtualmachineid),
        ],
      },
      {
        id: "snapshots",
        title: "Snapshots",
        command: "listSnapshots",
        params: { listall: true },
        columns: [["name", "Name"], ["state", "State"], ["volumename", "Volume"], ["created", "Created"]],
        actions: [{ command: "revertSnapshot", label: "Revert", confirm: true }, del("deleteSnapshot")],
      },
      {
        id: "templates",
        title: "Templates",
        command: "listTemplates",
        filters: [{ name: "templatefilter", label: "Filter", options: ["executable", "self", "featured", "community", "all"].map((f) => [f, f]) }],
        params: { templatefilter: "executable" },
        poll: (rows) => rows.some((t) => !t.isready),
        columns: [["name", "Name"], ["status", "Status"], ["isready", "Ready", yes], ["format", "Format"], ["size", "Size", bytes], ["zonename", "Zone"]],
        create: [{ command: "registerTemplate", label: "Register template", fields: async () => [text("name", "Name", { required: true }), text("displaytext", "Description", { required: true }), text("url", "URL", { type: "url", required: true }), await zone(), choice("format", "Format", ["QCOW2", "RAW", "VHD", "OVA"]), choice("hypervisor", "Hypervisor", ["KVM", "Simulator"])] }],
        actions: [del("deleteTemplate")],
      },
      {
        id: "isos",
        title: "ISOs",
        command: "listIsos",
        filters: [{ name: "isofilter", label: "Filter", options: ["executable", "self", "featured", "community", "all"].map((f) => [f, f]) }],
        params: { isofilter: "executable" },
        poll: (rows) => rows.some((t) => !t.isready),
        columns: [["name", "Name"], ["status", "Status"], ["isready", "Ready", yes], ["size", "Size", bytes], ["zonename", "Zone"]],
        create: [{ command: "registerIso", label: "Register ISO", fields: async () => [text("name", "Name", { required: true }), text("displaytext", "Description", { required: true }), text("url", "URL", { type: "url", required: true }), await zone()] }],
        actions: [del("deleteIso")],
      },
      {
        id: "sshkeypairs",
        title: "SSH key pairs",
        command: "listSSHKeyPairs",
        columns: [["name", "Name"], ["fingerprint", "Fingerprint"], ["account", "Account"]],
        create: [
          {
            command: "createSSHKeyPair",
            label: "Create key pair",
            fields: [text("name", "Name", { required: true })],
            show: (answer) => ({ title: "Private key", label: "Save it now: it is shown only once", text: (answer.keypair ?? answer).privatekey ?? "" }),
          },
          { command: "registerSSHKeyPair", label: "Register key pair", fields: [text("name", "Name", { required: true }), { name: "publickey", label: "Public key", type: "textarea", required: true }] },
        ],
        actions: [{ ...del("deleteSSHKeyPair"), params: (k) => ({ name: k.name }) }],
      },
      {
        id: "affinitygroups",
        title: "Affinity groups",
        command: "listAffinityGroups",
        columns: [["name", "Name"], ["type", "Type"], ["description", "Description"], ["virtualmachineIds", "Instances", (v) => (v ?? []).length]],
        create: [{ command: "createAffinityGroup", label: "Create affinity group", fields: async () => [text("name", "Name", { required: true }), await selectField("type", "Type", "listAffinityGroupTypes", {}, { value: "type", text: "type" }), text("description", "Description")] }],
        actions: [del("deleteAffinityGroup")],
      },
    ],
  ],
  [
    "Network",
    [
      {
        id: "networks",
        title: "Networks",
        command: "listNetworks",
        params: { listall: true },
        columns: [["name", "Name"], ["state", "State"], ["type", "Type"], ["cidr", "CIDR"], ["zonename", "Zone"], ["vpcid", "VPC"]],
        create: [{ command: "createNetwork", label: "Create network", fields: async () => [text("name", "Name", { required: true }), text("displaytext", "Description"), await zone(), await selectField("networkofferingid", "Offering", "listNetworkOfferings"), text("gateway", "Gateway"), text("netmask", "Netmask")] }],
        actions: [{ command: "restartNetwork", label: "Restart", confirm: true }, del("deleteNetwork")],
      },
      {
        id: "vpcs",
        title: "VPCs",
        command: "listVPCs",
        params: { listall: true },
        columns: [["name", "Name"], ["state", "State"], ["cidr", "CIDR"], ["zonename", "Zone"]],
        create: [{ command: "createVPC", label: "Create VPC", fields: async () => [text("name", "Name", { required: true }), text("displaytext", "Description"), text("cidr", "CIDR", { required: true, placeholder: "10.1.0.0/16" }), await zone(), await selectField("vpcofferingid", "Offering", "listVPCOfferings")] }],
        actions: [del("deleteVPC")],
      },
      {
        id: "publicips",
        title: "Public IPs",
        command: "listPublicIpAddresses",
        params: { listall: true },
        filters: [{ name: "state", label: "State", options: [["Allocated", "Allocated"], ["", "All"], ["Free", "Free"]] }],
        columns: [["ipaddress", "Address"], ["state", "State"], ["issourcenat", "Source NAT", yes], ["virtualmachinename", "Static NAT to"], ["associatednetworkname", "Network"], ["zonename", "Zone"]],
        create: [{ command: "associateIpAddress", label: "Acquire IP", fields: async () => [await selectField("networkid", "Network", "listNetworks", { listall: true })] }],
        actions: [
          { command: "enableStaticNat", label: "Static NAT", detailOnly: true, when: (ip) => !ip.isstaticnat && !ip.issourcenat, params: (ip) => ({ ipaddressid: ip.id }), fields: async () => [await selectField("virtualmachineid", "Instance", "listVirtualMachines", { listall: true })] },
          { command: "disableStaticNat", label: "No static NAT", when: (ip) => ip.isstaticnat, params: (ip) => ({ ipaddressid: ip.id }) },
          { command: "createFirewallRule", detailOnly: true, label: "Firewall rule", params: (ip) => ({ ipaddressid: ip.id }), fields: [choice("protocol", "Protocol", ["tcp", "udp", "icmp"]), text("startport", "Start port", { type: "number" }), text("endport", "End port", { type: "number" }), text("cidrlist", "Source CIDRs", { value: "0.0.0.0/0" })] },
          { command: "createPortForwardingRule", detailOnly: true, label: "Port forward", params: (ip) => ({ ipaddressid: ip.id }), fields: async () => [choice("protocol", "Protocol", ["tcp", "udp"]), text("publicport", "Public port", { type: "number", required: true }), text("privateport", "Private port", { type: "number", required: true }), await selectField("virtualmachineid", "Instance", "listVirtualMachines", { listall: true })] },
          { command: "createLoadBalancerRule", detailOnly: true, label: "Load balancer", params: (ip) => ({ publicipid: ip.id }), fields: [text("name", "Name", { required: true }), choice("algorithm", "Algorithm", ["roundrobin", "leastconn", "source"]), text("publicport", "Public port", { type: "number", required: true }), text("privateport", "Private port", { type: "number", required: true })] },
          { ...del("disassociateIpAddress", "Release"), when: (ip) => !ip.issourcenat },
        ],
        detail: (ip, panel) => {
          subList(panel, "Firewall rules", "ip-firewall", "listFirewallRules", { ipaddressid: ip.id }, [["protocol", "Protocol"], ["startport", "From"], ["endport", "To"], ["cidrlist", "CIDRs"], ["state", "State"]]);
          subList(panel, "Port forwarding", "ip-portforwarding", "listPortForwardingRules", { ipaddressid: ip.id }, [["protocol", "Protocol"], ["publicport", "Public"], ["privateport", "Private"], ["virtualmachinename", "Instance"], ["state", "State"]]);
          subList(panel, "Load balancers", "ip-loadbalancers", "listLoadBalancerRules", { publicipid: ip.id }, [["name", "Name"], ["algorithm", "Algorithm"], ["publicport", "Public"], ["privateport", "Private"], ["state", "State"]]);
        },
      },
      {
        id: "securitygroups",
        title: "Security groups",
        command: "listSecurityGroups",
        params: { listall: true },
        columns: [["name", "Name"], ["description", "Description"], ["account", "Account"], ["ingressrule", "Ingress rules", (r) => (r ?? []).length], ["egressrule", "Egress rules", (r) => (r ?? []).length]],
        create: [{ command: "createSecurityGroup", label: "Create security group", fields: [text("name", "Name", { required: true }), text("description", "Description")] }],
        actions: [
          { command: "authorizeSecurityGroupIngress", label: "Allow ingress", params: (g) => ({ securitygroupid: g.id }), fields: [choice("protocol", "Protocol", ["tcp", "udp", "icmp"]), text("startport", "Start port", { type: "number" }), text("endport", "End port", { type: "number" }), text("cidrlist", "Source CIDRs", { value: "0.0.0.0/0" })] },
          del("deleteSecurityGroup", "Delete", (g) => g.name !== "default"),
        ],
      },
    ],
  ],
  [
    "Infrastructure",
    [
      {
        id: "zones",
        title: "Zones",
        command: "listZones",
        needs: ["listZones", "listPods"],
        columns: [["name", "Name"], ["networktype", "Network"], ["allocationstate", "Allocation"], ["dns1", "DNS"]],
        create: [{ command: "createZone", label: "Add zone", fields: [text("name", "Name", { required: true }), choice("networktype", "Network type", ["Advanced", "Basic"]), text("dns1", "DNS", { required: true, value: "198.18.0.53" }), text("internaldns1", "Internal DNS", { required: true, value: "198.18.0.53" })] }],
      },
      {
        id: "pods",
        title: "Pods",
        command: "listPods",
        columns: [["name", "Name"], ["zonename", "Zone"], ["gateway", "Gateway"], ["netmask", "Netmask"], ["allocationstate", "Allocation"]],
        create: [{ command: "createPod", label: "Add pod", fields: async () => [text("name", "Name", { required: true }), await zone(), text("gateway", "Gateway", { required: true }), text("netmask", "Netmask", { required: true }), text("startip", "Start IP", { required: true }), text("endip", "End IP")] }],
      },
      {
        id: "clusters",
        title: "Clusters",
        command: "listClusters",
        columns: [["name", "Name"], ["podname", "Pod"], ["zonename", "Zone"], ["hypervisortype", "Hypervisor"], ["allocationstate", "Allocation"]],
        create: [{ command: "addCluster", label: "Add cluster", fields: async () => [text("clustername", "Name", { required: true }), await zone(), await selectField("podid", "Pod", "listPods"), choice("hypervisor", "Hypervisor", ["Simulator", "KVM"]), choice("clustertype", "Type", ["CloudManaged"])] }],
      },
      {
        id: "hosts",
        title: "Hosts",
        command: "listHosts",
        filters: [{ name: "state", label: "State", options: [["", "All states"], ...["Up", "Down", "Disconnected", "Alert", "Connecting"].map((s) => [s, s])] }],
        columns: [["name", "Name"], ["state", "State"], ["resourcestate", "Resource"], ["clustername", "Cluster"], ["cpuallocated", "CPU allocated"], ["memoryallocated", "Memory", (m, host) => percent(m, host.memorytotal)], ["managementserverid", "Owner"]],
        actions: [
          { command: "prepareHostForMaintenance", label: "Maintenance", when: (host) => host.resourcestate === "Enabled", confirm: true },
          { command: "cancelHostMaintenance", label: "End maintenance", when: (host) => /Maintenance/.test(host.resourcestate) },
          { command: "updateHost", id: "disableHost", label: "Disable", when: (host) => host.resourcestate === "Enabled", params: (host) => ({ id: host.id, allocationstate: "Disable" }) },
          { command: "updateHost", id: "enableHost", label: "Enable", when: (host) => host.resourcestate === "Disabled", params: (host) => ({ id: host.id, allocationstate: "Enable" }) },
        ],
      },
      {
        id: "storagepools",
        title: "Primary storage",
        command: "listStoragePools",
        columns: [["name", "Name"], ["state", "State"], ["type", "Type"], ["disksizetotal", "Size", bytes], ["disksizeallocated", "Allocated", bytes], ["zonename", "Zone"]],
      },
      {
        id: "imagestores",
        title: "Secondary storage",
        command: "listImageStores",
        columns: [["name", "Name"], ["url", "URL"], ["protocol", "Protocol"], ["zonename", "Zone"]],
        create: [{ command: "addImageStore", label: "Add image store", fields: async () => [text("name", "Name", { required: true }), text("url", "URL", { required: true, placeholder: "nfs://198.18.0.10/export" }), await zone(), choice("provider", "Provider", ["NFS"])] }],
        actions: [del("deleteImageStore")],
      },
    ],
  ],
  [
    "Identity",
    [
      {
        id: "accounts",
        title: "Accounts",
        command: "listAccounts",
        needs: ["listAccounts", "createAccount"],
        params: { listall: true },
        columns: [["name", "Name"], ["state", "State"], ["roletype", "Role"], ["domain", "Domain"], ["vmtotal", "VMs"]],
        create: [{ command: "createAccount", label: "Add account", fields: async () => [text("username", "Username", { required: true }), text("password", "Password", { type: "password", required: true }), text("email", "Email", { type: "email", required: true }), text("firstname", "First name", { required: true }), text("lastname", "Last name", { required: true }), await selectField("roleid", "Role", "listRoles", {}, { blank: true }), await selectField("domainid", "Domain", "listDomains", { listall: true }, { blank: true })] }],
        actions: [
          { command: "disableAccount", label: "Disable", when: (a) => a.state === "enabled", params: (a) => ({ id: a.id, lock: false }), confirm: true },
          { command: "enableAccount", label: "Enable", when: (a) => a.state !== "enabled" },
          del("deleteAccount"),
        ],
      },
      {
        id: "users",
        title: "Users",
        command: "listUsers",
        needs: ["listUsers", "createUser"],
        params: { listall: true },
        columns: [["username", "Username"], ["state", "State"], ["account", "Account"], ["domain", "Domain"], ["email", "Email"]],
        create: [{ command: "createUser", label: "Add user", fields: async () => [await selectField("account", "Account", "listAccounts", { listall: true }, { value: "name" }), text("username", "Username", { required: true }), text("password", "Password", { type: "password", required: true }), text("email", "Email", { type: "email", required: true }), text("firstname", "First name", { required: true }), text("lastname", "Last name", { required: true })] }],
        actions: [
          { command: "disableUser", label: "Disable", when: (u) => u.state === "enabled", confirm: true },
          { command: "enableUser", label: "Enable", when: (u) => u.state !== "enabled" },
          del("deleteUser"),
        ],
      },
      {
        id: "domains",
        title: "Domains",
        command: "listDomains",
        needs: ["listDomains", "createDomain"],
        params: { listall: true },
        columns: [["name", "Name"], ["path", "Path"], ["level", "Level"], ["haschild", "Children", yes]],
        create: [{ command: "createDomain", label: "Add domain", fields: async () => [text("name", "Name", { required: true }), await selectField("parentdomainid", "Parent", "listDomains", { listall: true }, { text: "path" })] }],
        actions: [del("deleteDomain", "Delete", (d) => d.level > 0)],
      },
      { id: "roles", title: "Roles", command: "listRoles", needs: ["listRoles", "createAccount"], columns: [["name", "Name"], ["type", "Type"], ["description", "Description"]] },
      {
        id: "projects",
        title: "Projects",
        command: "listProjects",
        params: { listall: true },
        columns: [["name", "Name"], ["state", "State"], ["displaytext", "Description"], ["account", "Owner"]],
        create: [{ command: "createProject", label: "Create project", fields: [text("name", "Name", { required: true }), text("displaytext", "Description", { required: true })] }],
        actions: [
          { command: "suspendProject", label: "Suspend", when: (p) => p.state === "Active", confirm: true },
          { command: "activateProject", label: "Activate", when: (p) => p.state !== "Active" },
          del("deleteProject"),
        ],
      },
      {
        id: "limits",
        title: "Resource limits",
        command: "listResourceLimits",
        columns: [["resourcetypename", "Resource"], ["max", "Limit", (m) => (Number(m) < 0 ? "unlimited" : m)], ["account", "Account"], ["domain", "Domain"]],
        actions: [{ command: "updateResourceLimit", label: "Change", params: (l) => ({ resourcetype: l.resourcetype, account: l.account, domainid: l.domainid }), fields: (l) => [text("max", "Limit (-1: unlimited)", { type: "number", value: l.max, required: true })] }],
      },
    ],
  ],
  [
    "Monitoring",
    [
      {
        id: "events",
        title: "Events",
        command: "listEvents",
        params: { listall: true },
        filters: [{ name: "level", label: "Level", options: [["", "All levels"], ["INFO", "INFO"], ["WARN", "WARN"], ["ERROR", "ERROR"]] }],
        columns: [["created", "Time"], ["type", "Type"], ["level", "Level"], ["state", "State"], ["username", "User"], ["description", "Description"]],
      },
      { id: "alerts", title: "Alerts", command: "listAlerts", columns: [["sent", "Time"], ["name", "Name"], ["type", "Type"], ["description", "Description"]] },
      {
        id: "settings",
        title: "Global settings",
        command: "listConfigurations",
        intro: "A new value is written to ZooKeeper and applies on every management server.",
        columns: [["name", "Name"], ["value", "Value"], ["category", "Category"], ["description", "Description"]],
        actions: [
          { command: "updateConfiguration", label: "Edit", params: (s) => ({ name: s.name }), fields: (s) => [text("value", s.name, { value: s.value ?? "" })] },
          { command: "resetConfiguration", label: "Reset", params: (s) => ({ name: s.name }), confirm: true },
        ],
      },
    ],
  ],
];
