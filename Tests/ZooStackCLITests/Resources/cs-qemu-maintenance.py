#!/usr/bin/env python3
"""Host maintenance with real guests: `prepareHostForMaintenance` on a `zoostack agent --hypervisor qemu` host empties
it by live migration to `zoostack serve --hypervisor qemu`'s own host (the two share primary storage).

Usage: cs-qemu-maintenance.py <admin-credentials.json> <agent host id> <agent data dir>

Deploys the built-in tiny Linux guest (128 MiB) on the agent's host, waits for its serial heartbeat
(`zoostack-guest uptime=N`), prepares the agent's host for maintenance and checks that the host is in Maintenance,
that the VM runs on the server's host in one QEMU (the server's), and that its heartbeat goes on with an uptime that
never went back; then `cancelHostMaintenance` enables the host again and the guest is expunged. Prints
`PASS <check>` for every check and `RESIDUE` lines for the guest's taps; the first failure prints
`FAIL <check>: <reason>` and exits 1. Every wait is bounded.
"""

import sys

from csqemu import both_hosts_up, check, connect, console, qemus, report_residue, state, uptimes, wait_until


def main():
    api = connect(sys.argv[1])
    agent_host, agent_dir = sys.argv[2], sys.argv[3]

    def on_agent(vm_id):
        return [line for line in qemus(vm_id) if f"{agent_dir}/vms/{vm_id}/" in line]

    def on_server(vm_id):
        return [line for line in qemus(vm_id) if f"{agent_dir}/" not in line]

    hosts = wait_until("both QEMU hosts are Up", lambda: both_hosts_up(api, agent_host), limit=120)
    server_host = next(h["id"] for h in hosts if h["id"] != agent_host)
    check("both QEMU hosts are Up", server_host != agent_host, hosts)
    zone = api.listZones()["zone"][0]
    template = api.listTemplates(templatefilter="featured", name="ZooStack tiny Linux (KVM)")["template"][0]
    offering = api.createServiceOffering(name="maint", displaytext="maint", cpunumber=1, cpuspeed=100, memory=128)[
        "serviceoffering"
    ]
    vm = api.deployVirtualMachine(
        zoneid=zone["id"], templateid=template["id"], serviceofferingid=offering["id"], name="guest-maint",
        hostid=agent_host,
    )["virtualmachine"]
    vm_id = vm["id"]
    check("deployVirtualMachine on the agent's host", vm["state"] == "Running" and vm["hostid"] == agent_host, vm)
    report_residue(vm_id)
    wait_until("the guest prints its ready line", lambda: "zoostack-guest ready guest-maint" in console(api, vm_id))
    before = wait_until("the guest's heartbeat", lambda: uptimes(console(api, vm_id)), limit=60)[-1]

    prepared = api.prepareHostForMaintenance(id=agent_host)["host"]
    check("prepareHostForMaintenance puts the host in Maintenance", prepared["resourcestate"] == "Maintenance", prepared)
    listed = api.listVirtualMachines(id=vm_id)["virtualmachine"][0]
    check("the VM runs on the server's host", listed["hostid"] == server_host and listed["state"] == "Running", listed)
    check("the agent's QEMU is gone", wait_until("the source QEMU exits", lambda: not on_agent(vm_id) or None, 30))
    check("one QEMU runs it, the server's", len(on_server(vm_id)) == 1 and len(qemus(vm_id)) == 1, qemus(vm_id))
    report_residue(vm_id)
    after = wait_until("the heartbeat goes on", lambda: [u for u in uptimes(console(api, vm_id)) if u > before], 60)
    output = console(api, vm_id)
    check(
        "the guest's uptime never reset", min(uptimes(output)) >= before and "zoostack-guest ready" not in output,
        f"before {before}, after {after}: {output[-1500:]}",
    )

    enabled = api.cancelHostMaintenance(id=agent_host)["host"]
    check("cancelHostMaintenance enables the host", enabled["resourcestate"] == "Enabled", enabled)
    listed = api.listVirtualMachines(id=vm_id)["virtualmachine"][0]
    check("the VM stays where it went", listed["hostid"] == server_host and listed["state"] == "Running", listed)

    api.destroyVirtualMachine(id=vm_id, expunge=True)
    check("expunged", state(api, vm_id) is None and wait_until("QEMU gone", lambda: not qemus(vm_id) or None, 30))
    print("SUMMARY ok", flush=True)


if __name__ == "__main__":
    main()
