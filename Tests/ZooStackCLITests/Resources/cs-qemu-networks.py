"""Guest networks and security groups on real guests, driven with the Python `cs` client against
`zoostack serve --hypervisor qemu` running inside a network namespace of the test's (ServeQEMUNetworkTests).

Every address is in 198.18.0.0/15. Two isolated networks share one CIDR (198.18.1.0/24) with disjoint ranges, so a
guest of one would reach a guest of the other if their bridges were joined: A and B share a network, C is on the
other. B's user data pings A and C once a second and prints `zoostack-reach N a=ok|fail c=ok|fail`. Then, on a
shared network with security groups (198.18.3.0/24), D is in group `sg-server` and E in group `sg-client`; E pings
D once a second (`zoostack-sg N d=ok|fail`): refused at first (no ingress rule), allowed once `sg-server`
authorizes ICMP from group `sg-client`, refused while `sg-client` has an egress rule for TCP only, allowed once
that is revoked, and refused again once the ingress rule is revoked. At most three guests run at once.
"""

import base64
import re
import sys

from csqemu import check, connect, console, fail, report_residue, wait_until


def loop_script(tag, targets, rounds):
    """A user-data script whose background loop pings `targets` (name -> address) once a second."""
    pings = " ".join(
        f'{name}=$(ping -c 1 -W 1 {address} >/dev/null 2>&1 && echo ok || echo fail)' for name, address in targets
    )
    fields = " ".join(f"{name}=${name}" for name, _ in targets)
    return (
        "#!/bin/sh\n"
        f"( i=0; while [ $i -lt {rounds} ]; do i=$((i+1)); {pings}; echo \"{tag} $i {fields}\"; sleep 1; done ) &\n"
    )


def results(api, vm_id, tag):
    """The loop's lines so far: [(round, {name: ok|fail})]."""
    found = []
    for line in console(api, vm_id).splitlines():
        match = re.search(rf"{tag} (\d+) (.*)$", line.strip())
        if match:
            fields = dict(pair.split("=", 1) for pair in match.group(2).split())
            found.append((int(match.group(1)), fields))
    return found


def deploy(api, name, zone, template, offering, network, userdata=None, groups=None):
    arguments = dict(
        zoneid=zone["id"], templateid=template["id"], serviceofferingid=offering["id"], name=name,
        networkids=network["id"],
    )
    if userdata:
        arguments["userdata"] = base64.b64encode(userdata.encode()).decode()
    if groups:
        arguments["securitygroupids"] = ",".join(group["id"] for group in groups)
    vm = api.deployVirtualMachine(**arguments)["virtualmachine"]
    check(f"deploy {name}", vm["state"] == "Running", vm)
    report_residue(vm["id"])
    return vm, vm["nic"][0]["ipaddress"]


def expunge(api, vm):
    api.destroyVirtualMachine(id=vm["id"], expunge=True)


def main():
    api = connect(sys.argv[1])
    zone = api.listZones()["zone"][0]
    template = api.listTemplates(templatefilter="featured", name="ZooStack tiny Linux (KVM)")["template"][0]
    offering = api.createServiceOffering(name="net128", displaytext="net128", cpunumber=1, cpuspeed=500, memory=128)[
        "serviceoffering"
    ]
    offerings = {o["name"]: o for o in api.listNetworkOfferings()["networkoffering"]}

    def network(name, offering_name, gateway, start, end):
        return api.createNetwork(
            name=name, displaytext=name, zoneid=zone["id"], networkofferingid=offerings[offering_name]["id"],
            gateway=gateway, netmask="255.255.255.0", startip=start, endip=end,
        )["network"]

    one = network("net-one", "DefaultIsolatedNetworkOffering", "198.18.1.1", "198.18.1.10", "198.18.1.49")
    two = network("net-two", "DefaultIsolatedNetworkOffering", "198.18.1.1", "198.18.1.100", "198.18.1.149")
    check("two isolated networks share 198.18.1.0/24", one["cidr"] == two["cidr"] == "198.18.1.0/24", [one, two])

    a, a_ip = deploy(api, "guest-a", zone, template, offering, one)
    c, c_ip = deploy(api, "guest-c", zone, template, offering, two)
    check("addresses from the networks' ranges", a_ip.startswith("198.18.1.") and c_ip.startswith("198.18.1.1"),
          [a_ip, c_ip])
    b, _ = deploy(api, "guest-b", zone, template, offering, one,
                  userdata=loop_script("zoostack-reach", [("a", a_ip), ("c", c_ip)], 120))
    seen = wait_until("B reaches A", lambda: [r for r in results(api, b["id"], "zoostack-reach")
                                              if r[1].get("a") == "ok"][2:], limit=120)
    lines = results(api, b["id"], "zoostack-reach")
    check("a guest reaches a guest of its network", len(seen) >= 1, lines)
    check("a guest never reaches a guest of another isolated network",
          lines and all(fields.get("c") == "fail" for _, fields in lines), lines)
    for vm in (a, b, c):
        expunge(api, vm)
    check("expunged the isolation guests", True)

    shared = network("net-sg", "DefaultSharedNetworkOfferingWithSGService", "198.18.3.1", "198.18.3.10",
                     "198.18.3.49")
    server_group = api.createSecurityGroup(name="sg-server")["securitygroup"]
    client_group = api.createSecurityGroup(name="sg-client")["securitygroup"]
    d, d_ip = deploy(api, "guest-d", zone, template, offering, shared, groups=[server_group])
    e, _ = deploy(api, "guest-e", zone, template, offering, shared, groups=[client_group],
                  userdata=loop_script("zoostack-sg", [("d", d_ip)], 240))
    wait_until("E pings D", lambda: len(results(api, e["id"], "zoostack-sg")) >= 4, limit=120)
    lines = results(api, e["id"], "zoostack-sg")
    check("no ingress rule: D refuses E's ping", all(fields["d"] == "fail" for _, fields in lines), lines)

    def settled(name, expected):
        """Waits for three rounds that began after now, expects `expected` of them (every one when refusing)."""
        since = max([number for number, _ in results(api, e["id"], "zoostack-sg")] or [0]) + 1
        rounds = wait_until(name, lambda: [r for r in results(api, e["id"], "zoostack-sg") if r[0] > since][2:] and
                            [r for r in results(api, e["id"], "zoostack-sg") if r[0] > since], limit=45)
        outcomes = [fields["d"] for _, fields in rounds]
        allowed = outcomes[-2:] == ["ok", "ok"] if expected == "ok" else all(o == "fail" for o in outcomes)
        check(name, allowed, rounds)

    peers = [{"account": server_group["account"], "group": "sg-client"}]
    rule = api.authorizeSecurityGroupIngress(
        securitygroupid=server_group["id"], protocol="icmp", icmptype=-1, icmpcode=-1, usersecuritygrouplist=peers,
    )["securitygroup"]["ingressrule"][0]
    check("authorizeSecurityGroupIngress icmp from a group", rule.get("securitygroupname") == "sg-client", rule)
    settled("the ingress rule took effect on the running guests", "ok")

    egress = api.authorizeSecurityGroupEgress(
        securitygroupid=client_group["id"], protocol="tcp", startport=22, endport=22, cidrlist="198.18.0.0/15",
    )["securitygroup"]["egressrule"][0]
    settled("an egress rule for TCP only: E's ping no longer leaves", "fail")
    api.revokeSecurityGroupEgress(id=egress["ruleid"])
    settled("no egress rule left: E sends anything again", "ok")

    api.revokeSecurityGroupIngress(id=rule["ruleid"])
    settled("revoked: D refuses E's ping again", "fail")
    for vm in (d, e):
        expunge(api, vm)
    check("expunged", True)
    print("SUMMARY ok", flush=True)


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as error:  # the first unexpected failure is reported as such
        fail("unexpected error", f"{error!r} {getattr(error, 'error', '')}")
