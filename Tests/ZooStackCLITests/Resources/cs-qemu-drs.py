#!/usr/bin/env python3
"""DRS execution with real guests: two tiny guests on a `zoostack agent --hypervisor qemu` host and none on
`zoostack serve --hypervisor qemu`'s own host (the two share primary storage) make the cluster's allocated memory
skewed; `generateClusterDrsPlan` plans one live migration and `executeClusterDrsPlan` carries it out.

Usage: cs-qemu-drs.py <admin-credentials.json> <agent host id> <agent data dir>

Checks that the plan moves one guest to the server's host, that the executed plan is COMPLETED with its migration
SUCCEEDED, that the moved guest runs in one QEMU (the server's) with its serial heartbeat going on and its uptime
never reset, and that the other guest stays on the agent's host. Prints `PASS <check>` for every check and
`RESIDUE` lines for the guests' taps; the first failure prints `FAIL <check>: <reason>` and exits 1. Every wait is
bounded.
"""

import sys

from csqemu import both_hosts_up, check, connect, console, qemus, report_residue, state, uptimes, wait_until


def main():
    api = connect(sys.argv[1])
    agent_host, agent_dir = sys.argv[2], sys.argv[3]

    hosts = wait_until("both QEMU hosts are Up", lambda: both_hosts_up(api, agent_host), limit=120)
    server_host = next(h["id"] for h in hosts if h["id"] != agent_host)
    cluster = next(h["clusterid"] for h in hosts if h["id"] == agent_host)
    check("both QEMU hosts are Up in one cluster", all(h["clusterid"] == cluster for h in hosts), hosts)
    zone = api.listZones()["zone"][0]
    template = api.listTemplates(templatefilter="featured", name="ZooStack tiny Linux (KVM)")["template"][0]
    offering = api.createServiceOffering(name="drs", displaytext="drs", cpunumber=1, cpuspeed=100, memory=128)[
        "serviceoffering"
    ]
    guests = []
    for name in ("guest-drs-a", "guest-drs-b"):
        vm = api.deployVirtualMachine(
            zoneid=zone["id"], templateid=template["id"], serviceofferingid=offering["id"], name=name,
            hostid=agent_host,
        )["virtualmachine"]
        check(f"{name} runs on the agent's host", vm["state"] == "Running" and vm["hostid"] == agent_host, vm)
        report_residue(vm["id"])
        guests.append(vm["id"])
    before = {}
    for vm_id in guests:
        before[vm_id] = wait_until("the guest's heartbeat", lambda: uptimes(console(api, vm_id)), limit=90)[-1]

    plan = api.generateClusterDrsPlan(id=cluster)["drsPlan"]
    planned = plan.get("migrations", [])
    check("generateClusterDrsPlan plans one move to the server's host",
          len(planned) == 1 and planned[0]["destinationhostid"] == server_host
          and planned[0]["virtualmachineid"] in guests, plan)

    executed = api.executeClusterDrsPlan(id=cluster)
    executed = executed.get("drsPlan", executed)
    migrations = executed.get("migrations", [])
    check("executeClusterDrsPlan completes its migration",
          executed.get("status") == "COMPLETED" and len(migrations) == 1
          and migrations[0].get("jobstatus") == "SUCCEEDED", executed)
    moved = migrations[0]["virtualmachineid"]
    stayed = next(vm_id for vm_id in guests if vm_id != moved)
    listed = api.listVirtualMachines(id=moved)["virtualmachine"][0]
    check("the moved guest runs on the server's host",
          listed["state"] == "Running" and listed["hostid"] == server_host, listed)
    check("one QEMU runs it, the server's",
          wait_until("the source QEMU exits", lambda: (len(qemus(moved)) == 1
                     and f"{agent_dir}/" not in qemus(moved)[0]) or None, 30), qemus(moved))
    report_residue(moved)
    wait_until("the heartbeat goes on", lambda: [u for u in uptimes(console(api, moved)) if u > before[moved]], 60)
    output = console(api, moved)
    check("the guest's uptime never reset",
          min(uptimes(output)) >= before[moved] and "zoostack-guest ready" not in output, output[-1500:])
    other = api.listVirtualMachines(id=stayed)["virtualmachine"][0]
    check("the other guest stays on the agent's host",
          other["state"] == "Running" and other["hostid"] == agent_host, other)

    for vm_id in guests:
        api.destroyVirtualMachine(id=vm_id, expunge=True)
    check("expunged", all(state(api, vm_id) is None for vm_id in guests) and wait_until(
        "QEMUs gone", lambda: not any(qemus(vm_id) for vm_id in guests) or None, 30))
    print("SUMMARY ok", flush=True)


if __name__ == "__main__":
    main()
