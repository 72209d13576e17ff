#!/usr/bin/env python3
"""Drives `zoostack serve --hypervisor qemu` with the Python `cs` client: real guests booted by QEMU.

Usage: cs-qemu-workflow.py <admin-credentials.json>

Deploys ZooStack's built-in tiny Linux template with user data and a key pair, reads the guest's serial console
through getVirtualMachineConsoleOutput, stops and starts it, lets a guest power itself off and sees it Stopped with
an event, hot-plugs a data volume into a running guest and unplugs it, snapshots volumes (stopped, live, detached)
into the image store, reverts them, makes templates of a snapshot and of a stopped VM's volume and boots the
first, and expunges. Prints `PASS <check>` for every check; on the first failure prints `FAIL <check>: <reason>`
and exits 1. Every wait is bounded.
"""

import base64
import hashlib
import os
import urllib.parse
import signal
import socket
import subprocess
import sys

from cs import CloudStackApiException
from csqemu import check, connect, console, fail, last_disks, serve_directory, state, wait_until


def websocket_first_message(url):
    """Opens the console proxy's websocket (RFC 6455 by hand) and returns (HTTP status, first binary payload)."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=15) as sock:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            (f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
             f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
             "Sec-WebSocket-Version: 13\r\n\r\n").encode()
        )
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        head, _, data = data.partition(b"\r\n\r\n")
        status = int(head.split()[1]) if head else 0
        if status != 101:
            return status, b""
        while len(data) < 2:
            data += sock.recv(4096)
        length, offset = data[1] & 0x7F, 2
        if length == 126:
            while len(data) < 4:
                data += sock.recv(4096)
            length, offset = int.from_bytes(data[2:4], "big"), 4
        while len(data) < offset + length:
            data += sock.recv(4096)
        return status, data[offset:offset + length]


def run(*command):
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def snapshot_file(data_dir, snapshot):
    """The snapshot's qcow2 in the image store: CloudStack's snapshots/ACCOUNT/VOLUME/ID layout."""
    base = os.path.join(data_dir, "images", "snapshots")
    for account in os.listdir(base) if os.path.isdir(base) else []:
        path = os.path.join(base, account, snapshot["volumeid"], f"{snapshot['id']}.qcow2")
        if os.path.exists(path):
            return path
    return None


def main():
    api = connect(sys.argv[1])
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
    # The stopped guest's root disk: a snapshot (qemu-img convert into the image store), a template of it and one
    # of the volume itself, and a revert.
    data_dir = os.path.dirname(os.path.abspath(sys.argv[1]))
    root = api.listVolumes(virtualmachineid=vm["id"], type="ROOT", listall=True)["volume"][0]
    snap = api.createSnapshot(volumeid=root["id"])["snapshot"]
    snap_path = snapshot_file(data_dir, snap)
    check(
        "createSnapshot of a stopped VM's root disk",
        snap["state"] == "BackedUp" and snap["physicalsize"] > 0 and snap["virtualsize"] >= root["size"]
        and snap_path is not None and run("qemu-img", "check", snap_path).returncode == 0, snap,
    )
    made = {}
    for source, arguments in (("snapshot", {"snapshotid": snap["id"]}), ("volume", {"volumeid": root["id"]})):
        made[source] = api.createTemplate(
            name=f"tiny-from-{source}", displaytext=f"tiny from a {source}",
            ostypeid="00000000-0000-0000-0000-000000000001", **arguments,
        )["template"]
        file = os.path.join(data_dir, "images", "template", f"{made[source]['id']}.qcow2")
        check(
            f"createTemplate from a {source} is a ready KVM qcow2",
            made[source]["isready"] and made[source]["hypervisor"] == "KVM" and made[source]["size"] > 0
            and run("qemu-img", "check", file).returncode == 0, made[source],
        )
    reverted = api.revertSnapshot(id=snap["id"])
    check("revertSnapshot with the VM stopped", reverted.get("snapshot", {}).get("id") == snap["id"], reverted)

    started = api.startVirtualMachine(id=vm["id"])["virtualmachine"]
    check("startVirtualMachine", started["state"] == "Running", started)
    wait_until("guest boots again", lambda: "zoostack-guest ready guest-one" in console(api, vm["id"]))
    live = api.createSnapshot(volumeid=root["id"])["snapshot"]
    live_path = snapshot_file(data_dir, live)
    check(
        "createSnapshot of a running guest (live) passes qemu-img check",
        live["state"] == "BackedUp" and live_path and run("qemu-img", "check", live_path).returncode == 0, live,
    )
    try:
        api.revertSnapshot(id=live["id"])
        fail("revertSnapshot of a running VM refused", "no error")
    except CloudStackApiException as error:
        check("revertSnapshot of a running VM refused", "not in the shutdown state" in str(error), error)
    api.deleteSnapshot(id=live["id"])
    check("deleteSnapshot removes the file", not os.path.exists(live_path), live_path)
    endpoint = api.createConsoleEndpoint(virtualmachineid=vm["id"])["consoleendpoint"]
    check("createConsoleEndpoint", endpoint["success"] and endpoint["websocket"]["token"] in endpoint["url"], endpoint)
    status, banner = websocket_first_message(endpoint["url"])
    check("console websocket carries the VNC handshake", status == 101 and banner.startswith(b"RFB 003."), (status, banner))
    status, _ = websocket_first_message(endpoint["url"])
    check("a used console token is refused", status == 403, status)
    status, _ = websocket_first_message(endpoint["url"].split("?")[0] + "?token=not-a-token")
    check("a wrong console token is refused", status == 403, status)
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
    # A detached volume: a pattern written with qemu-io survives snapshot, overwrite and revert.
    listed = api.listVolumes(id=volume["id"], listall=True)["volume"][0]
    data_file = os.path.join(data_dir, "primary", listed.get("path", ""))
    written = run("qemu-io", "-c", "write -P 0xab 0 64k", data_file)
    check("qemu-io writes a pattern into the detached volume", written.returncode == 0, written)
    data_snap = api.createSnapshot(volumeid=volume["id"])["snapshot"]
    run("qemu-io", "-c", "write -P 0xcd 0 64k", data_file)
    api.revertSnapshot(id=data_snap["id"])
    read = run("qemu-io", "-c", "read -P 0xab 0 64k", data_file)
    check("revertSnapshot restores the volume's data", read.returncode == 0, read)
    api.deleteSnapshot(id=data_snap["id"])
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

    # registerTemplate by URL from a local HTTP server (the built-in image's file), with its checksum: downloaded into
    # the image store, checked with qemu-img, then a guest boots from it.
    images = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "images", "template")
    name = f"{template['id']}.qcow2"
    with open(os.path.join(images, name), "rb") as file:
        digest = hashlib.sha256(file.read()).hexdigest()
    server, base = serve_directory(images)
    url = f"{base}/{name}"
    registered = api.registerTemplate(
        name="tiny-by-url", displaytext="tiny by URL", format="QCOW2", hypervisor="KVM", url=url,
        zoneid=zone["id"], ostypeid="00000000-0000-0000-0000-000000000001",
        checksum="{SHA-256}" + digest, ispublic=True,
    )["template"][0]
    ready = wait_until(
        "registered template downloaded",
        lambda: next(
            (t for t in api.listTemplates(templatefilter="self", id=registered["id"]).get("template", [])
             if t["isready"]), None),
    )
    check("registerTemplate by URL is ready", ready["status"] == "Download Complete", ready)
    bad = api.registerTemplate(
        name="tiny-bad-sum", displaytext="bad checksum", format="QCOW2", hypervisor="KVM", url=url,
        zoneid=zone["id"], ostypeid="00000000-0000-0000-0000-000000000001", checksum="{SHA-256}" + "0" * 64,
    )["template"][0]
    failed = wait_until(
        "a checksum mismatch fails the download",
        lambda: next(
            (t for t in api.listTemplates(templatefilter="self", id=bad["id"]).get("template", [])
             if "failed" in t["status"].lower()), None),
    )
    check("checksum mismatch leaves the template not ready", not failed["isready"], failed)
    from_url = api.deployVirtualMachine(
        zoneid=zone["id"], templateid=registered["id"], serviceofferingid=offering["id"], name="guest-url",
    )["virtualmachine"]
    wait_until("guest from the downloaded template boots", lambda: "zoostack-guest ready guest-url" in console(api, from_url["id"]))
    check("deploy from the downloaded template", True)
    server.shutdown()

    # A QEMU killed from outside: the VM turns Stopped and, HA-enabled, is restarted (a new QEMU, booted again).
    ha_offering = api.createServiceOffering(
        name="tiny-ha", displaytext="tiny HA", cpunumber=1, cpuspeed=500, memory=192, offerha=True
    )["serviceoffering"]
    # The HA guest boots from the template made of guest-one's snapshot.
    ha = api.deployVirtualMachine(
        zoneid=zone["id"], templateid=made["snapshot"]["id"], serviceofferingid=ha_offering["id"], name="guest-ha",
    )["virtualmachine"]
    wait_until("HA guest ready", lambda: "zoostack-guest ready guest-ha" in console(api, ha["id"]))
    check("deploy from a template made from a snapshot", True)
    found = subprocess.run(["pgrep", "-f", f"qemu-system.*{ha['id']}"], capture_output=True, text=True)
    pids = [int(p) for p in found.stdout.split()]
    check("the HA guest's QEMU found", len(pids) == 1, found)
    os.kill(pids[0], signal.SIGKILL)
    restarted = wait_until(
        "HA restart after QEMU SIGKILL",
        lambda: [e for e in api.listEvents(type="HA.VM.RESTART", listall=True).get("event", [])
                 if "guest-ha" in e["description"]],
    )
    check("HA.VM.RESTART event", len(restarted) >= 1, restarted)
    wait_until("restarted HA guest boots", lambda: "zoostack-guest ready guest-ha" in console(api, ha["id"]))
    again = subprocess.run(["pgrep", "-f", f"qemu-system.*{ha['id']}"], capture_output=True, text=True)
    check("a new QEMU runs the HA guest", again.stdout.split() not in ([], [str(pids[0])]), again)

    for victim in (vm, short, ha, from_url):
        api.destroyVirtualMachine(id=victim["id"], expunge=True)
    check("expunged", all(state(api, v["id"]) is None for v in (vm, short, ha, from_url)))
    print("SUMMARY ok", flush=True)


if __name__ == "__main__":
    main()
