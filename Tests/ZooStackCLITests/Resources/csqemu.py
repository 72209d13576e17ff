"""Shared helpers of the real-VM workflows (cs-qemu-*.py) that drive `zoostack serve --hypervisor qemu`, alone or with
a second QEMU host (an agent), with the Python `cs` client.

Every check prints `PASS <check>`; the first failure prints `FAIL <check>: <reason>` and exits 1. Every wait is
bounded. `RESIDUE <kind> <name>` lines name what the host made for a guest (taps, bridges), for the Swift test to
assert gone once the server has stopped.
"""

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
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


def connect(profile_path):
    """The admin client of the credentials file `zoostack serve` wrote."""
    with open(profile_path, encoding="utf-8") as file:
        profile = json.load(file)
    return CloudStack(
        endpoint=profile["endpoint"], key=profile["apikey"], secret=profile["secretkey"], fetch_result=True,
        poll_interval=0.2,
    )


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


def serve_directory(directory):
    """A loopback HTTP server of `directory` on a free port (a daemon thread): (server, base URL)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def report_residue(vm_id):
    """Prints `RESIDUE tap NAME` and `RESIDUE bridge NAME` for each NIC of the running QEMU of `vm_id`."""
    found = subprocess.run(["pgrep", "-af", f"qemu-system.*{vm_id}"], capture_output=True, text=True)
    for word in found.stdout.replace(",", " ").split():
        if word.startswith("ifname="):
            tap = word.split("=", 1)[1]
            print(f"RESIDUE tap {tap}", flush=True)
            try:
                bridge = os.path.basename(os.readlink(f"/sys/class/net/{tap}/master"))
                print(f"RESIDUE bridge {bridge}", flush=True)
            except OSError:
                pass


def uptimes(output):
    """The uptimes the tiny guest's heartbeat printed (`zoostack-guest uptime=N`), in order."""
    return [int(value) for value in re.findall(r"zoostack-guest uptime=(\d+)", output)]


def qemus(vm_id):
    """The command lines of the QEMU processes that run the VM (`pgrep -af`)."""
    found = subprocess.run(["pgrep", "-af", f"qemu-system.*{vm_id}"], capture_output=True, text=True)
    return [line for line in found.stdout.splitlines() if line.strip()]


def both_hosts_up(api, agent_host):
    """The two QEMU hosts (the server's own and the agent's) once both are Up, else None."""
    hosts = api.listHosts(type="Routing").get("host", [])
    up = [h for h in hosts if h["hypervisor"] == "KVM" and h["state"] == "Up"]
    return up if len(up) == 2 and any(h["id"] == agent_host for h in up) else None
