#!/usr/bin/env python3
"""Drives `zoostack serve --hypervisor qemu` with the Python `cs` client: a guest installed from an ISO.

Usage: cs-qemu-iso-workflow.py <admin-credentials.json> <tiny.iso>

Registers the ISO `zoostack image tiny --format iso` built (served by a loopback HTTP server, with its checksum),
deploys it with a disk offering onto a blank root disk of the offering's size (the guest boots from the ISO and reads
its root disk), detaches and attaches the ISO as CloudStack does, then, with the VM stopped, replaces its user data
(updateVirtualMachine) and its key pair (resetSSHKeyForVirtualMachine): at the next start the guest runs the new user
data and its config drive carries the new key, neither the old ones. Prints `PASS <check>` for every check and
`RESIDUE ...` for the taps and bridges of the guest; on the first failure prints `FAIL <check>: <reason>` and exits 1.
"""

import base64
import hashlib
import os
import sys

from cs import CloudStackApiException
from csqemu import check, connect, console, fail, last_disks, report_residue, serve_directory, state, wait_until

GIB = 1 << 30


def refusal(call, **arguments):
    """The (HTTP status, errortext) of a call that must fail."""
    try:
        call(**arguments)
    except CloudStackApiException as error:
        return error.response.status_code, error.error.get("errortext", "")
    return None, "no error"


def fingerprints(output):
    """The MD5 fingerprints (CloudStack's form) of the keys the guest read from its config drive."""
    found = set()
    for line in output.splitlines():
        words = line.split("zoostack-guest public-key ", 1)[-1].split()
        if "zoostack-guest public-key " in line and len(words) >= 2:
            digest = hashlib.md5(base64.b64decode(words[1])).hexdigest()
            found.add(":".join(digest[i:i + 2] for i in range(0, len(digest), 2)))
    return found


def user_data(marker):
    """A `#!/bin/sh` script printing `marker`, and the root disk's size and non-zero bytes as the guest sees them."""
    script = (
        "#!/bin/sh\n"
        f"echo {marker}-$(hostname)\n"
        "echo root-disk-sectors=$(cat /sys/block/vda/size)\n"
        "echo root-disk-nonzero=$(head -c 1048576 /dev/vda | tr -d '\\000' | wc -c)\n"
    )
    return base64.b64encode(script.encode()).decode()


def boot(api, vm_id, name):
    """The console once the guest printed its ready line and a first line of its disks after it."""
    def booted():
        output = console(api, vm_id)
        ready = output.rfind(f"zoostack-guest ready {name}")
        return ready >= 0 and "zoostack-guest uptime=" in output[ready:] and output
    return wait_until(f"{name} prints its ready line and its disks", booted)


def main():
    api = connect(sys.argv[1])
    iso_path = sys.argv[2]
    zone = api.listZones()["zone"][0]
    with open(iso_path, "rb") as file:
        digest = hashlib.sha256(file.read()).hexdigest()
    server, base = serve_directory(os.path.dirname(iso_path))
    registered = api.registerIso(
        name="tiny-iso", displaytext="tiny ISO", url=f"{base}/{os.path.basename(iso_path)}", zoneid=zone["id"],
        bootable=True, ispublic=True, checksum="{SHA-256}" + digest,
    )["iso"][0]
    check("registerIso by URL", registered["isready"] is False, registered)
    iso = wait_until(
        "the ISO downloads",
        lambda: next((i for i in api.listIsos(isofilter="self", id=registered["id"]).get("iso", []) if i["isready"]),
                     None),
    )
    check("registered ISO is ready", iso["status"] == "Download Complete" and iso["size"] > 0, iso)
    server.shutdown()

    offering = api.createServiceOffering(name="iso-tiny", displaytext="iso tiny", cpunumber=1, cpuspeed=500,
                                         memory=192)["serviceoffering"]
    disks = [o for o in api.listDiskOfferings().get("diskoffering", []) if o.get("disksize", 0) > 0]
    disk = min(disks, key=lambda o: o["disksize"])
    key_a = api.createSSHKeyPair(name="iso-key-a")["keypair"]
    key_b = api.createSSHKeyPair(name="iso-key-b")["keypair"]
    deploy = dict(zoneid=zone["id"], templateid=iso["id"], serviceofferingid=offering["id"], name="iso-guest")
    status, text = refusal(api.deployVirtualMachine, **deploy)
    check("ISO deploy without a disk offering refused",
          status == 431 and text == "Installing from ISO requires a disk offering to be specified for the root disk.",
          (status, text))

    vm = api.deployVirtualMachine(**deploy, diskofferingid=disk["id"], keypair="iso-key-a",
                                  userdata=user_data("marker-one"))["virtualmachine"]
    check("deployVirtualMachine from the ISO", vm["state"] == "Running" and vm["templateid"] == iso["id"], vm)
    check("the deployed VM has the ISO attached", vm.get("isoid") == iso["id"], vm)
    check("the ISO's VM runs on KVM", vm["hypervisor"] == "KVM", vm)
    report_residue(vm["id"])
    output = boot(api, vm["id"], "iso-guest")
    # Its root disk blank, the guest can only have booted from the ISO's CD-ROM (which the tiny kernel, loaded by the
    # firmware from it, does not list: it has no ATA driver; vdb is the config drive).
    check("the guest booted from the ISO", "root-disk-nonzero=0" in output and last_disks(output) == "vda,vdb",
          output[-1500:])
    check("the first user data ran", "marker-one-iso-guest" in output, output[-1500:])
    check("the first key reached the guest", fingerprints(output) == {key_a["fingerprint"]}, output[-1500:])
    size = disk["disksize"] * GIB
    check("the guest sees a root disk of the offering's size", f"root-disk-sectors={size // 512}" in output,
          output[-1500:])
    check("the root disk is blank", "root-disk-nonzero=0" in output, output[-1500:])
    volumes = api.listVolumes(virtualmachineid=vm["id"], listall=True).get("volume", [])
    check("listVolumes: one ROOT volume of the offering's size",
          len(volumes) == 1 and volumes[0]["type"] == "ROOT" and volumes[0]["size"] == size
          and volumes[0].get("diskofferingid") == disk["id"], volumes)
    check("listVolumes hypervisor is KVM", volumes[0]["hypervisor"] == "KVM", volumes)

    detached = api.detachIso(virtualmachineid=vm["id"])["virtualmachine"]
    check("detachIso from the running guest", "isoid" not in detached and detached["state"] == "Running", detached)
    status, text = refusal(api.detachIso, virtualmachineid=vm["id"])
    check("detachIso without an ISO refused", status == 431 and text == "The specified VM has no ISO attached to it.",
          (status, text))
    attached = api.attachIso(id=iso["id"], virtualmachineid=vm["id"])["virtualmachine"]
    check("attachIso to the running guest", attached.get("isoid") == iso["id"], attached)
    status, text = refusal(api.attachIso, id=iso["id"], virtualmachineid=vm["id"])
    check("a second attachIso refused", status == 431 and text.startswith("An ISO is already attached to the VM"),
          (status, text))
    status, _ = refusal(api.deleteIso, id=iso["id"])
    check("deleteIso of an attached ISO refused", status == 536, status)

    stopped = api.stopVirtualMachine(id=vm["id"])["virtualmachine"]
    check("stopVirtualMachine", stopped["state"] == "Stopped", stopped)
    stopped_volumes = api.listVolumes(virtualmachineid=vm["id"], listall=True).get("volume", [])
    check("a stopped VM's volume is still KVM", [v["hypervisor"] for v in stopped_volumes] == ["KVM"], stopped_volumes)
    updated = api.updateVirtualMachine(id=vm["id"], userdata=user_data("marker-two"))["virtualmachine"]
    check("updateVirtualMachine userdata on the stopped VM", updated["state"] == "Stopped", updated)
    reset = api.resetSSHKeyForVirtualMachine(id=vm["id"], keypair="iso-key-b")["virtualmachine"]
    check("resetSSHKeyForVirtualMachine on the stopped VM", reset["state"] == "Stopped", reset)
    started = api.startVirtualMachine(id=vm["id"])["virtualmachine"]
    check("startVirtualMachine", started["state"] == "Running" and started.get("isoid") == iso["id"], started)
    output = boot(api, vm["id"], "iso-guest")
    check("the re-attached ISO boots the guest again", "root-disk-nonzero=0" in output, output[-1500:])
    check("the new user data ran at the next start", "marker-two-iso-guest" in output, output[-1500:])
    check("the old user data did not run", "marker-one" not in output, output[-1500:])
    check("the config drive carries the new key, not the old",
          fingerprints(output) == {key_b["fingerprint"]}, (fingerprints(output), key_a["fingerprint"],
                                                          key_b["fingerprint"]))

    api.destroyVirtualMachine(id=vm["id"], expunge=True)
    check("expunged", state(api, vm["id"]) is None)
    api.deleteIso(id=iso["id"])
    check("deleteIso", not api.listIsos(isofilter="self", id=iso["id"]).get("iso", []))
    print("SUMMARY ok", flush=True)


if __name__ == "__main__":
    try:
        main()
    except CloudStackApiException as error:
        fail("API call", f"{error} {getattr(error, 'error', '')}")
