#!/usr/bin/env python3
"""Live scaling of a real guest on `zoostack serve --hypervisor qemu`'s own host.

Usage: cs-qemu-scaling.py <admin-credentials.json>

Turns dynamic scaling on (`enable.dynamic.scale.vm`, with `vm.serviceoffering.cpu.cores.max` 4 and
`vm.serviceoffering.ram.size.max` 512), deploys the built-in tiny Linux guest with 1 vCPU and 128 MiB and a user-data
script that onlines hot-added CPUs and memory (as a distribution's udev rules do) and prints
`zoostack-guest cpus=N memtotal=KB` each second, checks that QEMU started with room to grow, scales it live to
2 vCPUs and 256 MiB and waits for the guest to see them. A scale beyond the room (8 vCPUs) fails with QEMU's reason
and leaves the VM running with its size, as does a scale down (refused). The guest never reboots. Prints
`PASS <check>` for every check and `RESIDUE` lines for the guest's taps; the first failure prints
`FAIL <check>: <reason>` and exits 1. Every wait is bounded.
"""

import base64
import re
import sys

from cs import CloudStackApiException
from csqemu import check, connect, console, qemus, report_residue, state, wait_until

# Onlines what the host plugged and reports what the guest sees, once a second, in the background.
SIZES = r"""#!/bin/sh
(
while :; do
    for f in /sys/devices/system/cpu/cpu*/online; do
        [ "$(cat $f)" = 0 ] && echo 1 >$f 2>/dev/null
    done
    for f in /sys/devices/system/memory/memory*/state; do
        [ "$(cat $f)" = offline ] && echo online >$f 2>/dev/null
    done
    kb=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)
    echo "zoostack-guest cpus=$(grep -c ^processor /proc/cpuinfo) memtotal=$kb"
    sleep 1
done
) &
"""


def sizes(output):
    return [(int(c), int(m)) for c, m in re.findall(r"zoostack-guest cpus=(\d+) memtotal=(\d+)", output)]


def main():
    api = connect(sys.argv[1])

    def host_up():
        hosts = api.listHosts(type="Routing").get("host", [])
        return [h for h in hosts if h["hypervisor"] == "KVM" and h["state"] == "Up"]

    host = wait_until("the QEMU host is Up", host_up, limit=120)[0]
    for name, value in [
        ("enable.dynamic.scale.vm", "true"),
        ("vm.serviceoffering.cpu.cores.max", "4"),
        ("vm.serviceoffering.ram.size.max", "512"),
    ]:
        api.updateConfiguration(name=name, value=value)
    capability = api.listCapabilities()["capability"]
    check("listCapabilities says dynamic scaling is on", capability.get("dynamicscalingenabled") is True, capability)
    zone = api.listZones()["zone"][0]
    template = api.listTemplates(templatefilter="featured", name="ZooStack tiny Linux (KVM)")["template"][0]

    def offering(name, cpus, memory):
        return api.createServiceOffering(
            name=name, displaytext=name, cpunumber=cpus, cpuspeed=100, memory=memory
        )["serviceoffering"]

    small, big, huge = offering("small", 1, 128), offering("big", 2, 256), offering("huge", 8, 256)
    vm = api.deployVirtualMachine(
        zoneid=zone["id"], templateid=template["id"], serviceofferingid=small["id"], name="guest-scale",
        hostid=host["id"], userdata=base64.b64encode(SIZES.encode()).decode(),
    )["virtualmachine"]
    vm_id = vm["id"]
    check("deployVirtualMachine with 1 vCPU and 128 MiB", vm["state"] == "Running" and vm["cpunumber"] == 1, vm)
    report_residue(vm_id)
    command = qemus(vm_id)
    check(
        "QEMU starts with room to grow",
        len(command) == 1 and "maxcpus=4" in command[0] and "maxmem=512M" in command[0], command,
    )
    before = wait_until("the guest reports its size", lambda: sizes(console(api, vm_id)), limit=90)[-1]
    check("the guest sees 1 vCPU", before[0] == 1, before)
    pid = command[0].split()[0]

    scaled = api.scaleVirtualMachine(id=vm_id, serviceofferingid=big["id"])
    listed = api.listVirtualMachines(id=vm_id)["virtualmachine"][0]
    check(
        "scaleVirtualMachine of the running VM",
        listed["state"] == "Running" and listed["cpunumber"] == 2 and listed["memory"] == 256
        and listed["serviceofferingid"] == big["id"], (scaled, listed),
    )
    check("the same QEMU runs it", [line.split()[0] for line in qemus(vm_id)] == [pid], qemus(vm_id))

    def grown():
        seen = sizes(console(api, vm_id))
        return seen[-1] if seen and seen[-1][0] == 2 and seen[-1][1] >= before[1] + 120 * 1024 else None

    after = wait_until("the guest sees 2 vCPUs and 128 MiB more", grown, limit=90)
    check("the guest sees the new vCPU and memory", after[0] == 2, (before, after))

    # Beyond the room QEMU was started with: refused with the reason, nothing recorded, the guest unharmed.
    job = api.scaleVirtualMachine(id=vm_id, serviceofferingid=huge["id"], fetch_result=False)["jobid"]

    def job_done():
        result = api.queryAsyncJobResult(jobid=job, fetch_result=False)
        return result if result["jobstatus"] != 0 else None

    result = wait_until("the refused scale's job ends", job_done, limit=120)
    reason = result.get("jobresult", {}).get("errortext", "")
    check("a scale beyond the room fails with the reason", result["jobstatus"] == 2 and "at most 4 vCPUs" in reason, result)
    listed = api.listVirtualMachines(id=vm_id)["virtualmachine"][0]
    check(
        "the VM keeps its size",
        listed["state"] == "Running" and listed["cpunumber"] == 2 and listed["serviceofferingid"] == big["id"], listed,
    )
    try:
        api.scaleVirtualMachine(id=vm_id, serviceofferingid=small["id"])
        refused = False
    except CloudStackApiException:
        refused = True
    check("a live scale down is refused", refused)
    last = len(sizes(console(api, vm_id)))
    wait_until("the guest goes on", lambda: len(sizes(console(api, vm_id))) > last or None, limit=60)
    output = console(api, vm_id)
    check("the guest never rebooted", output.count("zoostack-guest ready") <= 1 and sizes(output)[-1][0] == 2, output[-1500:])
    check("one QEMU, the same", [line.split()[0] for line in qemus(vm_id)] == [pid], qemus(vm_id))

    api.destroyVirtualMachine(id=vm_id, expunge=True)
    check("expunged", state(api, vm_id) is None and wait_until("QEMU gone", lambda: not qemus(vm_id) or None, 30))
    print("SUMMARY ok", flush=True)


if __name__ == "__main__":
    main()
