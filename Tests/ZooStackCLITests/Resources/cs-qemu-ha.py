#!/usr/bin/env python3
"""HA with fencing for real guests: a `zoostack agent --hypervisor qemu` host and `zoostack serve --hypervisor qemu`'s
own host share primary storage; an HA guest (offering `offerha=true`) runs on the agent's host.

Usage: cs-qemu-ha.py <admin-credentials.json> <agent host id> <agent data dir> <agent pid> <agent command line...>

0. The agent is cut off (SIGSTOP: ZooKeeper expires its session, its QEMU runs on): the host goes to Alert with the
   guest Running on it; resumed, the agent registers again and the host is Up with the guest, the same QEMU.
1. Only the agent is killed (SIGKILL), its QEMU runs on: fencing (`CheckOnHostCommand` from the server's host: the
   guest's disk is held open) leaves the host in Alert and the guest Running on it; the agent restarts, re-adopts
   the guest and the host is Up with the guest Running on it, the same QEMU, its uptime never reset.
2. The host crashes (the agent and its QEMU killed): the guest restarts on the server's host from the same disk.

All along, a sampler reads `/proc/*/fd` of every qemu-system process and records any moment when two of them have
one file of primary storage open for writing: there must be none. Prints `PASS <check>` for every check, `RESIDUE`
lines for the guest's taps and `AGENT <pid>` for the agent it starts; the first failure prints `FAIL <check>:
<reason>` and exits 1. Every wait is bounded.
"""

import os
import signal
import subprocess
import sys
import threading
import time

from csqemu import both_hosts_up, check, connect, console, fail, qemus, report_residue, state, uptimes, wait_until


class Sampler(threading.Thread):
    """Every 50 ms, the files of primary storage each qemu-system process has open for writing."""

    def __init__(self, primary):
        super().__init__(daemon=True)
        self.primary = os.path.realpath(primary) + "/"
        self.samples = 0
        self.most_writers = 0
        self.doubles = []
        self.running = True

    def writers(self):
        found = {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/comm", encoding="utf-8") as comm:
                    if not comm.read().startswith("qemu-system"):
                        continue
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                    if not target.startswith(self.primary):
                        continue
                    with open(f"/proc/{pid}/fdinfo/{fd}", encoding="utf-8") as info:
                        flags = next(int(line.split()[1], 8) for line in info if line.startswith("flags:"))
                    if flags & os.O_ACCMODE != os.O_RDONLY:
                        found.setdefault(target, set()).add(int(pid))
            except (OSError, StopIteration, ValueError):
                continue
        return found

    def run(self):
        while self.running:
            found = self.writers()
            self.samples += 1
            self.most_writers = max([self.most_writers] + [len(pids) for pids in found.values()])
            self.doubles += [(disk, sorted(pids)) for disk, pids in found.items() if len(pids) > 1]
            time.sleep(0.05)


def main():
    api = connect(sys.argv[1])
    agent_host, agent_dir, agent_pid, agent_command = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
    primary = agent_command[agent_command.index("--primary-storage") + 1]

    def on_agent(vm_id):
        return [line for line in qemus(vm_id) if f"{agent_dir}/vms/{vm_id}/" in line]

    def host_state():
        return api.listHosts(id=agent_host)["host"][0]["state"]

    hosts = wait_until("both QEMU hosts are Up", lambda: both_hosts_up(api, agent_host), limit=120)
    server_host = next(h["id"] for h in hosts if h["id"] != agent_host)
    check("both QEMU hosts are Up", server_host != agent_host, hosts)
    # A silent host is declared Down after ping.interval x ping.timeout = 3 s (CloudStack's default is 150 s).
    api.updateConfiguration(name="ping.interval", value="2")
    api.updateConfiguration(name="ping.timeout", value="1.5")
    zone = api.listZones()["zone"][0]
    template = api.listTemplates(templatefilter="featured", name="ZooStack tiny Linux (KVM)")["template"][0]
    offering = api.createServiceOffering(
        name="ha", displaytext="ha", cpunumber=1, cpuspeed=100, memory=128, offerha="true"
    )["serviceoffering"]
    vm = api.deployVirtualMachine(
        zoneid=zone["id"], templateid=template["id"], serviceofferingid=offering["id"], name="guest-ha",
        hostid=agent_host,
    )["virtualmachine"]
    vm_id = vm["id"]
    check("an HA guest runs on the agent's host", vm["state"] == "Running" and vm["hostid"] == agent_host, vm)
    report_residue(vm_id)
    wait_until("the guest prints its ready line", lambda: "zoostack-guest ready guest-ha" in console(api, vm_id))
    before = wait_until("the guest's heartbeat", lambda: uptimes(console(api, vm_id)), limit=60)[-1]
    sampler = Sampler(primary)
    sampler.start()
    check("the sampler sees the guest's disk open for writing", wait_until(
        "a writer sampled", lambda: sampler.most_writers >= 1 or None, 30))
    qemu_pid = on_agent(vm_id)[0].split()[0]

    def fencing_alerts():
        return [a["description"] for a in api.listAlerts().get("alert", [])
                if "not declared Down" in a["description"] and "held open" in a["description"]]

    # 0. The agent is cut off from ZooKeeper and the management server (SIGSTOP: its session expires, it writes no
    #    heartbeat, its QEMU runs on); then it comes back and registers again with a new session.
    os.kill(agent_pid, signal.SIGSTOP)
    try:
        wait_until("the cut-off host goes to Alert", lambda: host_state() == "Alert" or None, 90)
        listed = api.listVirtualMachines(id=vm_id)["virtualmachine"][0]
        check("a cut-off host goes to Alert, its guest Running on it",
              listed["state"] == "Running" and listed["hostid"] == agent_host and len(qemus(vm_id)) == 1, listed)
    finally:
        os.kill(agent_pid, signal.SIGCONT)
    wait_until("the host is Up once its agent is back", lambda: host_state() == "Up" or None, 90)
    listed = api.listVirtualMachines(id=vm_id)["virtualmachine"][0]
    check("back, the host is Up with the guest Running on it, the same QEMU",
          listed["state"] == "Running" and listed["hostid"] == agent_host
          and [line.split()[0] for line in qemus(vm_id)] == [qemu_pid], (listed, qemus(vm_id)))
    cut_alerts = len(fencing_alerts())

    # 1. The agent dies, its QEMU runs on.
    os.kill(agent_pid, signal.SIGKILL)
    check("the agent is killed, its QEMU runs on", bool(on_agent(vm_id)), qemus(vm_id))
    wait_until("the host goes to Alert", lambda: host_state() == "Alert" or None, 90)
    check("fencing leaves the host in Alert, not Down", host_state() == "Alert")
    check("an alert says why it was not declared Down", len(fencing_alerts()) > cut_alerts >= 1, fencing_alerts())
    # Several fencing rounds (one every 3 s) while the agent stays away.
    time.sleep(10)
    listed = api.listVirtualMachines(id=vm_id)["virtualmachine"][0]
    check("the guest stays Running on its host", listed["state"] == "Running" and listed["hostid"] == agent_host,
          listed)
    check("one QEMU runs it, the agent's", len(qemus(vm_id)) == 1 and on_agent(vm_id), qemus(vm_id))

    log = open(os.path.join(agent_dir, "restarted.log"), "w", encoding="utf-8")
    restarted = subprocess.Popen(agent_command, stdout=log, stderr=subprocess.STDOUT)
    print(f"AGENT {restarted.pid}", flush=True)
    try:
        wait_until("the restarted agent's host is Up", lambda: host_state() == "Up" or None, 120)
        check("the restarted agent's host is Up", True)
        listed = api.listVirtualMachines(id=vm_id)["virtualmachine"][0]
        check("the guest is Running on its original host",
              listed["state"] == "Running" and listed["hostid"] == agent_host, listed)
        check("the same QEMU runs it", [line.split()[0] for line in qemus(vm_id)] == [qemu_pid], qemus(vm_id))
        wait_until("the heartbeat goes on", lambda: [u for u in uptimes(console(api, vm_id)) if u > before], 60)
        output = console(api, vm_id)
        check("the guest's uptime never reset", min(uptimes(output)) >= before, output[-1500:])

        # 2. The host crashes: the agent and its QEMU die.
        killed = time.monotonic()
        restarted.kill()
        restarted.wait(timeout=30)
        os.kill(int(qemu_pid), signal.SIGKILL)
    finally:
        if restarted.poll() is None:
            restarted.kill()
            restarted.wait(timeout=30)
        log.close()

    def moved():
        listed = api.listVirtualMachines(id=vm_id)["virtualmachine"][0]
        return listed if listed["state"] == "Running" and listed["hostid"] == server_host else None

    listed, deadline = None, time.monotonic() + 120
    while not listed and time.monotonic() < deadline:
        time.sleep(0.5)
        listed = moved()
    if not listed:
        now = api.listVirtualMachines(id=vm_id)["virtualmachine"][0]
        alerts = [a["description"] for a in api.listAlerts().get("alert", [])]
        events = [f'{e["type"]}: {e["description"]}' for e in api.listEvents(page=1, pagesize=50).get("event", [])]
        fail("the HA guest restarts on the server's host",
             f"host {host_state()}, VM {now['state']} on {now.get('hostid')}; alerts {alerts}; events {events[:15]}")
    print(f"INFO restarted {time.monotonic() - killed:.1f} s after the crash", flush=True)
    check("the HA guest restarts on the server's host", listed["hostid"] == server_host, listed)
    check("the crashed host is Down", host_state() == "Down", host_state())
    events = api.listEvents(type="HA.VM.RESTART").get("event", [])
    check("an HA.VM.RESTART event tells it", any(vm_id == e.get("resourceid") or "guest-ha" in e["description"]
                                                  for e in events), events)
    check("one QEMU runs it, the server's", len(qemus(vm_id)) == 1 and not on_agent(vm_id), qemus(vm_id))
    report_residue(vm_id)
    wait_until("the guest boots from its disk again",
               lambda: "zoostack-guest ready guest-ha" in console(api, vm_id), limit=120)
    check("the guest boots from its disk again", True)
    sampler.running = False
    sampler.join(timeout=10)
    check("at no moment did two QEMUs have one disk open for writing",
          not sampler.doubles and sampler.samples > 100, f"{sampler.samples} samples, {sampler.doubles[:5]}")

    api.destroyVirtualMachine(id=vm_id, expunge=True)
    check("expunged", state(api, vm_id) is None and wait_until("QEMU gone", lambda: not qemus(vm_id) or None, 30))
    print("SUMMARY ok", flush=True)


if __name__ == "__main__":
    main()
