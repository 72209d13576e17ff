#!/usr/bin/env python3
"""Drives a running `zoostack serve` (its simulated zone) with Ansible's CloudStack collection (ngine_io.cloudstack,
as PyPI's `ansible` package bundles it): ansible/build.yml builds a small cloud, a second run must report
`changed=0`, and ansible/teardown.yml removes it all again.

Usage: ansible-workflow.py <admin-credentials.json>

Prints `PASS <check>` for every check; on the first failure prints `FAIL <check>: <reason>` (with the run's output)
and exits 1.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import cs

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ansible")


def fail(check, reason):
    print(f"FAIL {check}: {reason}", flush=True)
    sys.exit(1)


def check(name, condition, detail=""):
    if not condition:
        fail(name, detail or "condition false")
    print(f"PASS {name}", flush=True)


def playbook(name, environment, extra):
    """Runs a playbook; returns its output and the recap's counts for localhost."""
    arguments = [sys.executable, "-m", "ansible", "playbook", "-i", "localhost,", os.path.join(HERE, name)]
    arguments += ["-e", json.dumps(extra)]
    run = subprocess.run(arguments, env=environment, capture_output=True, text=True, timeout=600)
    output = run.stdout + run.stderr
    recap = re.search(r"localhost\s*:\s*(.*)", output.split("PLAY RECAP")[-1]) if "PLAY RECAP" in output else None
    counts = dict((key, int(value)) for key, value in re.findall(r"(\w+)=(\d+)", recap.group(1))) if recap else {}
    return output, counts


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        profile = json.load(file)
    api = cs.CloudStack(endpoint=profile["endpoint"], key=profile["apikey"], secret=profile["secretkey"])
    with tempfile.TemporaryDirectory(prefix="zs-ansible-") as directory:
        key_file = os.path.join(directory, "key")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key_file], check=True)
        environment = dict(
            os.environ,
            CLOUDSTACK_ENDPOINT=profile["endpoint"], CLOUDSTACK_KEY=profile["apikey"],
            CLOUDSTACK_SECRET=profile["secretkey"], ANSIBLE_PYTHON_INTERPRETER=sys.executable,
            ANSIBLE_LOCAL_TEMP=os.path.join(directory, "tmp"), ANSIBLE_REMOTE_TEMP=os.path.join(directory, "remote"),
            ANSIBLE_HOME=os.path.join(directory, "home"),
            ANSIBLE_NOCOLOR="1", ANSIBLE_DEPRECATION_WARNINGS="0",
        )
        template = api.listTemplates(templatefilter="featured")["template"][0]["name"]
        extra = {"public_key_file": key_file + ".pub", "template": template}
        output, counts = playbook("build.yml", environment, extra)
        check("build: no task failed", counts.get("failed") == 0 and counts.get("ok", 0) > 20, output[-6000:])
        check("build: it changed the cloud", counts.get("changed", 0) > 15, counts)
        addresses = re.search(r"ADDRESSES ([0-9.]+) ([0-9.]+)", output)
        check("build: two public addresses", addresses is not None, output[-3000:])
        nat_ip, pf_ip = addresses.group(1), addresses.group(2)
        vms = api.listVirtualMachines(name="ans-vm", listall=True).get("virtualmachine", [])
        check("the VM is Running with its group, tag and key",
              len(vms) == 1 and vms[0]["state"] == "Running" and vms[0].get("group") == "ans-group"
              and vms[0].get("keypair") in ("ans-key", None) and
              [(tag["key"], tag["value"]) for tag in vms[0].get("tags", [])] == [("role", "web")], vms)
        volumes = api.listVolumes(name="ans-data", listall=True).get("volume", [])
        check("the data volume is attached", len(volumes) == 1 and volumes[0].get("virtualmachineid") == vms[0]["id"],
              volumes)
        setting = api.listConfigurations(name="network.loadbalancer.haproxy.stats.visibility")["configuration"][0]
        check("the setting is set", setting["value"] == "all", setting)
        roles = api.listRoles(name="ans-role").get("role", [])
        rules = api.listRolePermissions(roleid=roles[0]["id"]).get("rolepermission", []) if roles else []
        check("the role has its rules in order",
              [(rule["rule"], rule["permission"]) for rule in rules] == [("listZones", "deny"), ("list*", "allow")],
              rules)
        again = dict(extra, nat_ip=nat_ip, pf_ip=pf_ip)
        output, counts = playbook("build.yml", environment, again)
        changed = re.findall(r"TASK \[([^\]]+)\][^\n]*\n(?:[^\n]*\n)*?changed:", output)
        check("second build: changed=0", counts.get("failed") == 0 and counts.get("changed") == 0,
              f"{counts}, changed: {changed}\n{output[-6000:]}")
        output, counts = playbook("teardown.yml", environment, {"nat_ip": nat_ip, "pf_ip": pf_ip})
        check("teardown: no task failed", counts.get("failed") == 0 and counts.get("changed", 0) > 15,
              f"{counts}\n{output[-6000:]}")
        check("teardown: the VM is gone", api.listVirtualMachines(name="ans-vm", listall=True) == {})
        check("teardown: the account is gone", api.listAccounts(name="ans-acct", listall=True) == {})
        check("teardown: the VPC is gone", api.listVPCs(name="ans-vpc", listall=True) == {})
        check("teardown: the role is gone", api.listRoles(name="ans-role") == {})
    print("SUMMARY ok", flush=True)


if __name__ == "__main__":
    main()
