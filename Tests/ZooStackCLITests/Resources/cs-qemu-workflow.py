#!/usr/bin/env python3
"""Drives `zoostack serve --hypervisor qemu` with the Python `cs` client: real guests booted by QEMU.

Usage: cs-qemu-workflow.py <admin-credentials.json>

Deploys ZooStack's built-in tiny Linux template with user data and a key pair, reads the guest's serial console
through getVirtualMachineConsoleOutput, stops and starts it, lets a guest power itself off and sees it Stopped with
an event, hot-plugs a data volume into a running guest and unplugs it, and expunges. Prints `PASS <check>` for every check; on the first failure prints `FAIL <check>: <reason>`
and exits 1. Every wait is bounded.
"""

import base64
import json
import sys
import time

from cs import CloudStack, CloudStackApiException


def fail(check, reason):
    print(f"FAIL {check}: {reason}", flush=True)
    sys.exit(1)


def check(name, condition, detail=""):
    if not condition:
        fail(name, detail or "condition false")
    print(f"PASS {name}", flush=True)


def wait_until(name, predicate, limit=90.0):
    deadline = time.monotonic() + limit
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.5)
    fail(name, f"not reached within {limit} s (last: {last!r})")


def console(api, vm_id):
    try:
        return api.getVirtualMachineConsoleOutput(id=vm_id, lines=200)["consoleoutput"]["output"]
    except CloudStackApiException:
        return ""


def last_disks(output):
    lines = [line for line in output.splitlines() if "zoostack-guest uptime=" in line]
    return lines[-1].split("disks=")[-1].strip() if lines else None


def state(api, vm_id):
    vms = api.listVirtualMachines(id=vm_id).get("virtualmachine", [])
    return vms[0]["state"] if vms else None


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        profile = json.load(file)
    api = CloudStack(
        endpoint=profile["endpoint"], key=profile["apikey"], secret=profile["secretkey"], fetch_result=True,
        poll_interval=0.2,
    )
    zone = api.listZones()["zone"][0]
    hosts = api.listHosts(type="Routing").get("host", [])
    check("listHosts shows the real host", any(h["hypervisor"] == "KVM" and h.get("accelerator") for h in hosts), hosts)
    templates = api.listTemplates(templatefilter="featured", name="ZooStack tiny Linux (KVM)").get("template", [])
    check("built-in tiny template ready", len(templates) == 1 and templates[0]["isready"], templates)
    template = templates[0]
    offering = api.createServiceOffering(name="tiny", displaytext="tiny", cpunumber=1, cpuspeed=500, memory=192)[
        "serviceoffering"
    ]
    check("createServiceOffering tiny", offering["memory"] == 192, offering)
    key = api.createSSHKeyPair(name="qemu-key")["keypair"]
    check("createSSHKeyPair", key["privatekey"].startswith("-----BEGIN"), key)

    script = "#!/bin/sh\necho userdata-ran-$(hostname)\n"
    vm = api.deployVirtualMachine(
        zoneid=zone["id"], templateid=template["id"], serviceofferingid=offering["id"], name="guest-one",
        keypair="qemu-key", userdata=base64.b64encode(script.encode()).decode(),
    )["virtualmachine"]
    check("deployVirtualMachine (real guest)", vm["state"] == "Running", vm)
    output = wait_until("guest prints its ready line", lambda: "zoostack-guest ready guest-one" in console(api, vm["id"]) and console(api, vm["id"]))
    check("user data ran in the guest", "userdata-ran-guest-one" in output, output[-2000:])
    check("key pair reached the guest", "zoostack-guest public-key ssh-" in output, output[-2000:])

    stopped = api.stopVirtualMachine(id=vm["id"])["virtualmachine"]
    check("stopVirtualMachine", stopped["state"] == "Stopped", stopped)
    try:
        api.getVirtualMachineConsoleOutput(id=vm["id"])
        fail("console of a stopped VM refused", "no error")
    except CloudStackApiException as error:
        check("console of a stopped VM refused", error.response.status_code == 431, error)
    started = api.startVirtualMachine(id=vm["id"])["virtualmachine"]
    check("startVirtualMachine", started["state"] == "Running", started)
    wait_until("guest boots again", lambda: "zoostack-guest ready guest-one" in console(api, vm["id"]))
    stats = wait_until(
        "stats collected",
        lambda: next(iter(api.listVirtualMachines(id=vm["id"]).get("virtualmachine", [])), {}).get("memorykbs"),
        limit=60.0,
    )
    check("listVirtualMachines memorykbs", stats == 192 * 1024, stats)

    offerings = [o for o in api.listDiskOfferings().get("diskoffering", []) if o.get("disksize", 0) > 0]
    volume = api.createVolume(
        name="data-one", zoneid=zone["id"], diskofferingid=min(offerings, key=lambda o: o["disksize"])["id"]
    )["volume"]
    wait_until("guest lists its disks", lambda: last_disks(console(api, vm["id"])) == "vda,vdb")
    attached = api.attachVolume(id=volume["id"], virtualmachineid=vm["id"])["volume"]
    check("attachVolume on a running guest", attached.get("virtualmachineid") == vm["id"], attached)
    wait_until("guest sees the hot-plugged disk", lambda: last_disks(console(api, vm["id"])) == "vda,vdb,vdc")
    print("PASS guest sees the hot-plugged disk", flush=True)
    def measured():
        volumes = api.listVolumes(virtualmachineid=vm["id"], listall=True).get("volume", [])
        return len(volumes) == 2 and all(v.get("physicalsize") for v in volumes) and volumes
    sized = wait_until("listVolumes reports measured sizes", measured, limit=60.0)
    check(
        "listVolumes real virtual and physical sizes",
        all(v["virtualsize"] >= v["size"] > 0 and v["physicalsize"] > 0 for v in sized), sized,
    )
    detached = api.detachVolume(id=volume["id"])["volume"]
    check("detachVolume from a running guest", not detached.get("virtualmachineid"), detached)
    wait_until("guest loses the unplugged disk", lambda: last_disks(console(api, vm["id"])) == "vda,vdb")
    print("PASS guest loses the unplugged disk", flush=True)
    api.deleteVolume(id=volume["id"])

    poweroff = "#!/bin/sh\n(sleep 2; poweroff -f) &\n"
    short = api.deployVirtualMachine(
        zoneid=zone["id"], templateid=template["id"], serviceofferingid=offering["id"], name="guest-two",
        userdata=base64.b64encode(poweroff.encode()).decode(),
    )["virtualmachine"]
    check("deploy a guest that powers itself off", short["state"] == "Running", short)
    wait_until("guest poweroff -> Stopped", lambda: state(api, short["id"]) == "Stopped")
    events = api.listEvents(type="VM.STOP", listall=True).get("event", [])
    check("out-of-band stop has its event", any("guest-two" in e["description"] for e in events), events)

    for victim in (vm, short):
        api.destroyVirtualMachine(id=victim["id"], expunge=True)
    check("expunged", state(api, vm["id"]) is None and state(api, short["id"]) is None)
    print("SUMMARY ok", flush=True)


if __name__ == "__main__":
    main()
