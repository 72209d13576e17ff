#!/usr/bin/env python3
"""Live migration of a real guest between the two QEMU hosts of one machine: `zoostack serve --hypervisor qemu`'s
own host and a `zoostack agent --hypervisor qemu` sharing its primary storage directory.

Usage: cs-qemu-migration.py <admin-credentials.json> <agent host id> <agent data dir>

Deploys the built-in tiny Linux guest (128 MiB) on the server's host, waits for its serial heartbeat
(`zoostack-guest uptime=N`), migrates it to the agent's host and checks that the VM's host changed, that exactly one
QEMU of it runs (the agent's), and that the heartbeat goes on with an uptime that never went back. Then a migration
back whose destination QEMU is killed after the destination was prepared (configureSimulator holds the MigrateCommand
for a while): the job fails with the reason, the VM runs on the agent's host still, no QEMU of it is left on the
server's host, and the heartbeat goes on. A last migration back succeeds, and the guest is expunged. Prints
`PASS <check>` for every check and `RESIDUE` lines for the guest's taps; the first failure prints
`FAIL <check>: <reason>` and exits 1. Every wait is bounded.
"""

import os
import signal
import sys
import time

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
    offering = api.createServiceOffering(name="mig", displaytext="mig", cpunumber=1, cpuspeed=100, memory=128)[
        "serviceoffering"
    ]
    vm = api.deployVirtualMachine(
        zoneid=zone["id"], templateid=template["id"], serviceofferingid=offering["id"], name="guest-mig",
        hostid=server_host,
    )["virtualmachine"]
    vm_id = vm["id"]
    check("deployVirtualMachine on the server's host", vm["state"] == "Running" and vm["hostid"] == server_host, vm)
    report_residue(vm_id)
    wait_until("the guest prints its ready line", lambda: "zoostack-guest ready guest-mig" in console(api, vm_id))
    before = wait_until("the guest's heartbeat", lambda: uptimes(console(api, vm_id)), limit=60)[-1]

    # 1. Live migration to the agent's host.
    migrated = api.migrateVirtualMachine(virtualmachineid=vm_id, hostid=agent_host)["virtualmachine"]
    check("migrateVirtualMachine to the agent's host", migrated["hostid"] == agent_host and migrated["state"] == "Running", migrated)
    check(
        "the job result carries total time and downtime",
        migrated.get("migrationtotaltime", 0) > 0 and migrated.get("migrationdowntime", -1) >= 0, migrated,
    )
    events = api.listEvents(type="VM.MIGRATE", listall=True).get("event", [])
    described = [e["description"] for e in events if "downtime" in e["description"] and "total time" in e["description"]]
    check("a VM.MIGRATE event tells total time and downtime", len(described) == 1, events)
    listed = api.listVirtualMachines(id=vm_id)["virtualmachine"][0]
    check("listVirtualMachines shows the new host", listed["hostid"] == agent_host and listed["state"] == "Running", listed)
    check("the source QEMU is gone", wait_until("the source QEMU exits", lambda: not on_server(vm_id) or None, 30), qemus(vm_id))
    check("the destination QEMU runs", len(on_agent(vm_id)) == 1 and len(qemus(vm_id)) == 1, qemus(vm_id))
    report_residue(vm_id)
    after = wait_until("the heartbeat goes on", lambda: [u for u in uptimes(console(api, vm_id)) if u > before], 60)
    output = console(api, vm_id)
    check(
        "the guest's uptime never reset", min(uptimes(output)) >= before and "zoostack-guest ready" not in output,
        f"before {before}, after {after}: {output[-1500:]}",
    )

    # 2. A migration back whose destination QEMU dies once prepared: the VM stays where it is.
    api.configureSimulator(name="MigrateCommand", value="wait:20000", count=1)
    job = api.migrateVirtualMachine(virtualmachineid=vm_id, hostid=server_host, fetch_result=False)["jobid"]
    victim = wait_until("the destination is prepared", lambda: on_server(vm_id), limit=20)
    check("the destination QEMU waits for the guest", "-incoming defer" in victim[0], victim)
    os.kill(int(victim[0].split()[0]), signal.SIGKILL)

    def job_done():
        result = api.queryAsyncJobResult(jobid=job, fetch_result=False)
        return result if result["jobstatus"] != 0 else None

    result = wait_until("the failed migration's job ends", job_done, limit=120)
    reason = result.get("jobresult", {}).get("errortext", "")
    check("the migration job failed with the reason", result["jobstatus"] == 2 and "Unable to migrate" in reason, result)
    listed = api.listVirtualMachines(id=vm_id)["virtualmachine"][0]
    check("the VM still runs on the source", listed["hostid"] == agent_host and listed["state"] == "Running", listed)
    check("no QEMU is left on the destination", not on_server(vm_id) and len(on_agent(vm_id)) == 1, qemus(vm_id))
    last = max(uptimes(console(api, vm_id)))
    wait_until("the heartbeat goes on after the failure", lambda: max(uptimes(console(api, vm_id)) or [0]) > last, 60)
    check("the guest ran through the failed migration", "zoostack-guest ready" not in console(api, vm_id))

    # 3. Back to the server's host.
    back = api.migrateVirtualMachine(virtualmachineid=vm_id, hostid=server_host)["virtualmachine"]
    check("migrateVirtualMachine back to the server's host", back["hostid"] == server_host, back)
    time.sleep(0.5)
    check("one QEMU runs it, the server's", len(on_server(vm_id)) == 1 and not on_agent(vm_id), qemus(vm_id))
    report_residue(vm_id)
    wait_until("the heartbeat goes on after coming back", lambda: [u for u in uptimes(console(api, vm_id)) if u > last], 60)

    api.destroyVirtualMachine(id=vm_id, expunge=True)
    check("expunged", state(api, vm_id) is None and wait_until("QEMU gone", lambda: not qemus(vm_id) or None, 30))
    print("SUMMARY ok", flush=True)


if __name__ == "__main__":
    main()
