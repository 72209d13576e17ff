#!/usr/bin/env python3
"""Drives a running `zoostack serve` with the Python `cs` client (the one Ansible uses).

Usage: cs-workflow.py <admin-credentials.json>

Prints `PASS <check>` for every check; on the first failure prints `FAIL <check>: <reason>` and exits 1.
"""

import json
import os
import shutil
import subprocess
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


def expect_error(name, status, call):
    """Runs `call`, which must raise CloudStackApiException with HTTP `status`."""
    try:
        result = call()
    except CloudStackApiException as error:
        got = error.response.status_code if error.response is not None else None
        check(name, got == status, f"HTTP {got}, wanted {status}: {error}")
        return error
    fail(name, f"no error, wanted HTTP {status}; got {result!r}")


def wait_until(name, predicate, limit=30.0):
    """Polls `predicate` (a client polling a server, as Ansible does) until it returns a truthy value."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    fail(name, f"not reached within {limit} s")


def items(response, key):
    return response.get(key, [])


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        profile = json.load(file)
    endpoint, key, secret = profile["endpoint"], profile["apikey"], profile["secretkey"]
    api = CloudStack(endpoint=endpoint, key=key, secret=secret, fetch_result=True, poll_interval=0.05)
    post = CloudStack(
        endpoint=endpoint, key=key, secret=secret, fetch_result=True, poll_interval=0.05, method="post"
    )

    # --- Catalogue ---------------------------------------------------------------------------------------------
    zones = items(api.listZones(), "zone")
    check("listZones", len(zones) >= 1 and zones[0]["id"] and zones[0]["name"], zones)
    zone = zones[0]
    featured = items(api.listTemplates(templatefilter="featured"), "template")
    check("listTemplates featured", len(featured) >= 1 and "ostypename" in featured[0], featured)
    offerings = items(api.listServiceOfferings(), "serviceoffering")
    check("listServiceOfferings", len(offerings) >= 1 and "cpunumber" in offerings[0], offerings)

    registered = api.registerTemplate(
        name="cs-tpl",
        displaytext="registered by cs",
        format="QCOW2",
        hypervisor="Simulator",
        url="http://example.com/cs-tpl.qcow2",
        zoneid=zone["id"],
        ostypeid="00000000-0000-0000-0000-000000000001",
    )
    template = items(registered, "template")
    check("registerTemplate", registered.get("count") == 1 and template[0]["name"] == "cs-tpl", registered)
    template_id = template[0]["id"]

    def template_ready():
        found = items(api.listTemplates(templatefilter="self", id=template_id), "template")
        return found and found[0]["isready"] and found[0]

    ready = wait_until("registered template ready", template_ready)
    check("registered template ready", ready["status"] == "Download Complete", ready)

    offering = post.createServiceOffering(name="cs-offering", displaytext="cs offering", cpunumber=1,
                                          cpuspeed=500, memory=256)["serviceoffering"]
    check("createServiceOffering (POST)", offering["memory"] == 256 and offering["cpunumber"] == 1, offering)

    # --- Metadata (what Ansible's modules read first) ----------------------------------------------------------
    capability = api.listCapabilities()["capability"]
    check("listCapabilities", capability["cloudstackversion"] and "customdiskofferingmaxsize" in capability, capability)
    ostypes = items(api.listOsTypes(description="ubuntu 22.04"), "ostype")
    check("listOsTypes description", [t["description"] for t in ostypes] == ["Ubuntu 22.04 LTS"], ostypes)
    categories = items(api.listOsCategories(id=ostypes[0]["oscategoryid"]), "oscategory")
    check("listOsCategories id", [c["name"] for c in categories] == ["Ubuntu"], categories)
    hypervisors = items(api.listHypervisors(zoneid=zone["id"]), "hypervisor")
    check("listHypervisors zoneid", [h["name"] for h in hypervisors] == ["Simulator"], hypervisors)
    regions = items(api.listRegions(), "region")
    check("listRegions (this server's endpoint)", [(r["id"], r["name"], r["endpoint"]) for r in regions] ==
          [(1, "Local", endpoint.removesuffix("api"))], regions)
    providers = items(api.listStorageProviders(type="image"), "dataStoreProvider")
    check("listStorageProviders type=image", [p["name"] for p in providers] == ["NFS"], providers)
    check("getUser userapikey", api.getUser(userapikey=key)["user"]["apikey"] == key)
    group = api.createInstanceGroup(name="cs-group")["instancegroup"]
    listed_groups = items(api.listInstanceGroups(name="CS-GROUP"), "instancegroup")
    check("createInstanceGroup, listInstanceGroups name (any case)", [g["id"] for g in listed_groups] == [group["id"]])
    check("deleteInstanceGroup", api.deleteInstanceGroup(id=group["id"]).get("success") in (True, "true"))

    # --- Lifecycle ---------------------------------------------------------------------------------------------
    def deploy(name):
        return api.deployVirtualMachine(zoneid=zone["id"], templateid=template_id,
                                        serviceofferingid=offering["id"], name=name)["virtualmachine"]

    vm = deploy("cs-vm-1")
    check("deployVirtualMachine", vm["state"] == "Running" and vm["name"] == "cs-vm-1" and
          vm["templateid"] == template_id and isinstance(vm["nic"], list) and vm["nic"][0]["ipaddress"], vm)
    vm_id = vm["id"]

    def state_after(command, **extra):
        return getattr(api, command)(id=vm_id, **extra)["virtualmachine"]["state"]

    check("stopVirtualMachine", state_after("stopVirtualMachine") == "Stopped")
    check("startVirtualMachine", state_after("startVirtualMachine") == "Running")
    check("rebootVirtualMachine", state_after("rebootVirtualMachine") == "Running")
    check("destroyVirtualMachine", state_after("destroyVirtualMachine") == "Destroyed")
    recovered = api.recoverVirtualMachine(id=vm_id)
    check("recoverVirtualMachine (sync)", recovered["virtualmachine"]["state"] == "Stopped", recovered)
    check("start after recover", state_after("startVirtualMachine") == "Running")

    # --- Migrate, scale, update (vm_id is Running) -------------------------------------------------------------
    def current():
        return items(api.listVirtualMachines(id=vm_id, listall=True), "virtualmachine")[0]

    source = current()["hostid"]
    moved = api.migrateVirtualMachine(virtualmachineid=vm_id)["virtualmachine"]
    check("migrateVirtualMachine (planner's choice)", moved["state"] == "Running" and moved["hostid"] != source, moved)
    back = api.migrateVirtualMachine(virtualmachineid=vm_id, hostid=source)["virtualmachine"]
    check("migrateVirtualMachine (named host)", back["hostid"] == source and back["state"] == "Running", back)
    hosts = items(api.listHosts(id=source), "host")
    check("source host accounts for the VM", hosts and hosts[0]["memoryallocated"] >= 256 * 1024 * 1024, hosts)

    bigger = post.createServiceOffering(name="cs-offering-big", displaytext="bigger", cpunumber=1,
                                        cpuspeed=500, memory=512)["serviceoffering"]
    scaled = api.scaleVirtualMachine(id=vm_id, serviceofferingid=bigger["id"])
    check("scaleVirtualMachine", scaled.get("success") in (True, "true"), scaled)
    after = current()
    check("scaled VM has the new offering", after["serviceofferingid"] == bigger["id"] and after["memory"] == 512,
          after)
    renamed = api.updateVirtualMachine(id=vm_id, displayname="cs renamed")["virtualmachine"]
    check("updateVirtualMachine", renamed["displayname"] == "cs renamed", renamed)
    settings = items(api.listConfigurations(name="vm.allocation.algorithm"), "configuration")
    check("listConfigurations", settings and settings[0]["value"] == "random", settings)
    failed = expect_error("deploy without serviceofferingid", 431,
                          lambda: api.deployVirtualMachine(zoneid=zone["id"], templateid=template_id))
    check("431 names the parameter", "serviceofferingid" in failed.error.get("errortext", ""), failed.error)

    expunged = api.destroyVirtualMachine(id=vm_id, expunge=True)["virtualmachine"]
    check("destroyVirtualMachine expunge", expunged["id"] == vm_id, expunged)
    gone = api.listVirtualMachines(id=vm_id, listall=True)
    check("expunged VM no longer listed", items(gone, "virtualmachine") == [], gone)

    # --- List filters and paging -------------------------------------------------------------------------------
    names = ["cs-list-alpha", "cs-list-beta", "cs-list-gamma"]
    fleet = [deploy(name) for name in names]
    api.stopVirtualMachine(id=fleet[2]["id"])

    by_id = api.listVirtualMachines(id=fleet[0]["id"])
    check("list by id", by_id.get("count") == 1 and by_id["virtualmachine"][0]["name"] == names[0], by_id)
    by_name = api.listVirtualMachines(name=names[1])
    check("list by name", [v["id"] for v in items(by_name, "virtualmachine")] == [fleet[1]["id"]], by_name)
    by_keyword = api.listVirtualMachines(keyword="cs-list")
    check("list by keyword", by_keyword.get("count") == 3, by_keyword)
    stopped = api.listVirtualMachines(keyword="cs-list", state="Stopped")
    check("list by state", [v["id"] for v in items(stopped, "virtualmachine")] == [fleet[2]["id"]], stopped)
    nothing = api.listVirtualMachines(name="no-such-vm")
    check("empty list is {}", nothing == {}, nothing)

    pages = [api.listVirtualMachines(keyword="cs-list", page=page, pagesize=2) for page in (1, 2, 3)]
    check("page 1 of 2", pages[0].get("count") == 3 and len(items(pages[0], "virtualmachine")) == 2, pages[0])
    check("page 2 of 2", pages[1].get("count") == 3 and len(items(pages[1], "virtualmachine")) == 1, pages[1])
    seen = [v["id"] for page in pages[:2] for v in items(page, "virtualmachine")]
    check("pages are disjoint and complete", sorted(seen) == sorted(v["id"] for v in fleet), seen)
    check("page past the end", pages[2] == {"count": 3}, pages[2])
    every = api.listVirtualMachines(keyword="cs-list", fetch_list=True)
    check("fetch_list pages everything", len(every) == 3, every)
    expect_error("pagesize without page refused", 431, lambda: api.listVirtualMachines(pagesize=2))

    for vm in fleet:
        api.destroyVirtualMachine(id=vm["id"], expunge=True)
    check("fleet expunged", api.listVirtualMachines(keyword="cs-list") == {})

    # --- Volumes, snapshots and templates from them ------------------------------------------------------------
    def pool_allocated():
        return sum(p["disksizeallocated"] for p in items(api.listStoragePools(zoneid=zone["id"]), "storagepool"))

    allocated_before = pool_allocated()
    host_vm = deploy("cs-vol-vm")
    disk = [d for d in items(api.listDiskOfferings(), "diskoffering") if d["disksize"] > 0][0]
    volume = api.createVolume(name="cs-data", zoneid=zone["id"], diskofferingid=disk["id"])["volume"]
    gib = 1024 ** 3
    check("createVolume", volume["state"] == "Allocated" and volume["type"] == "DATADISK" and
          volume["size"] == disk["disksize"] * gib, volume)
    attached = api.attachVolume(id=volume["id"], virtualmachineid=host_vm["id"])["volume"]
    check("attachVolume", attached["virtualmachineid"] == host_vm["id"] and attached["deviceid"] == 1 and
          attached["state"] == "Ready", attached)
    disks = items(api.listVolumes(virtualmachineid=host_vm["id"]), "volume")
    check("listVolumes by VM", sorted(d["type"] for d in disks) == ["DATADISK", "ROOT"], disks)
    resized = api.resizeVolume(id=volume["id"], size=disk["disksize"] + 3)["volume"]
    check("resizeVolume", resized["size"] == (disk["disksize"] + 3) * gib, resized)
    expect_error("deleteVolume while attached refused", 431, lambda: api.deleteVolume(id=volume["id"]))
    snapshot = api.createSnapshot(volumeid=volume["id"])["snapshot"]
    check("createSnapshot", snapshot["state"] == "BackedUp" and snapshot["volumeid"] == volume["id"], snapshot)
    listed = items(api.listSnapshots(volumeid=volume["id"]), "snapshot")
    check("listSnapshots", [s["id"] for s in listed] == [snapshot["id"]], listed)
    detached = api.detachVolume(id=volume["id"])["volume"]
    check("detachVolume", "virtualmachineid" not in detached, detached)
    made = api.createTemplate(snapshotid=snapshot["id"], name="cs-from-snapshot", displaytext="from a snapshot",
                              ostypeid="00000000-0000-0000-0000-000000000001")["template"]
    check("createTemplate from snapshot", made["isready"] and made["size"] == resized["size"], made)
    from_snapshot = api.deployVirtualMachine(zoneid=zone["id"], templateid=made["id"],
                                             serviceofferingid=offering["id"], name="cs-from-snap")["virtualmachine"]
    check("deploy from the snapshot's template", from_snapshot["state"] == "Running" and
          from_snapshot["templateid"] == made["id"], from_snapshot)
    deleted_snapshot = api.deleteSnapshot(id=snapshot["id"])
    check("deleteSnapshot", deleted_snapshot.get("success") is True, deleted_snapshot)
    deleted_volume = api.deleteVolume(id=volume["id"])
    check("deleteVolume", deleted_volume.get("success") == "true" and api.listVolumes(id=volume["id"]) == {},
          deleted_volume)
    for done in (host_vm, from_snapshot):
        api.destroyVirtualMachine(id=done["id"], expunge=True)
    check("primary storage released", pool_allocated() == allocated_before, (pool_allocated(), allocated_before))

    # --- Domains, accounts and users ---------------------------------------------------------------------------
    child = api.createDomain(name="cs-child")["domain"]
    grandchild = api.createDomain(name="cs-grandchild", parentdomainid=child["id"])["domain"]
    check("createDomain path", grandchild["path"] == "ROOT/cs-child/cs-grandchild" and grandchild["level"] == 2,
          grandchild)
    children = api.listDomainChildren(id=child["id"])
    check("listDomainChildren", [d["id"] for d in items(children, "domain")] == [grandchild["id"]], children)
    roles = {r["type"]: r["id"] for r in items(api.listRoles(), "role")}
    check("listRoles", set(roles) == {"Admin", "DomainAdmin", "User"}, roles)
    account = post.createAccount(username="cs-user", password="cs-pass", email="cs@example.com", firstname="C",
                                 lastname="S", domainid=grandchild["id"], roleid=roles["User"])["account"]
    check("createAccount (POST)", account["domainid"] == grandchild["id"] and account["roletype"] == "User",
          account)
    user_id = account["user"][0]["id"]
    keys = api.registerUserKeys(id=user_id)["userkeys"]
    owned = api.deployVirtualMachine(zoneid=zone["id"], templateid=template_id, serviceofferingid=offering["id"],
                                     name="cs-for-user", account="cs-user", domainid=grandchild["id"])
    owned = owned["virtualmachine"]
    check("deploy for an account", owned["account"] == "cs-user" and owned["domainid"] == grandchild["id"], owned)
    scoped = api.listVirtualMachines(domainid=child["id"], isrecursive=True)
    check("list by domain subtree", [v["id"] for v in items(scoped, "virtualmachine")] == [owned["id"]], scoped)
    as_user = CloudStack(endpoint=endpoint, key=keys["apikey"], secret=keys["secretkey"], fetch_result=True,
                         poll_interval=0.05)
    mine = as_user.listVirtualMachines()
    check("user sees its VM", [v["id"] for v in items(mine, "virtualmachine")] == [owned["id"]], mine)
    disabled = api.disableUser(id=user_id)["user"]
    check("disableUser", disabled["state"] == "disabled", disabled)
    expect_error("disabled user's keys refused", 401, lambda: as_user.listZones())
    api.enableUser(id=user_id)
    check("enableUser", len(items(as_user.listZones(), "zone")) == len(zones))
    expect_error("deleteDomain without cleanup refused", 536, lambda: api.deleteDomain(id=child["id"]))
    deleted = api.deleteDomain(id=child["id"], cleanup=True)
    check("deleteDomain cleanup", deleted.get("success") is True, deleted)
    check("cleanup expunged the VM", api.listVirtualMachines(id=owned["id"], listall=True) == {})
    expect_error("deleted user's keys refused", 401, lambda: as_user.listZones())

    # --- Errors and authentication -----------------------------------------------------------------------------
    failed = expect_error("expunged VM refused", 431, lambda: api.startVirtualMachine(id=vm_id))
    check("error envelope", failed.error.get("errorcode") == 431 and "errortext" in failed.error, failed.error)

    wrong = CloudStack(endpoint=endpoint, key=key, secret=secret + "x")
    refused = expect_error("wrong signature refused", 401, lambda: wrong.listZones())
    check("401 errortext", "unable to verify" in refused.error.get("errortext", ""), refused.error)
    expect_error(
        "expired request refused",
        401,
        lambda: api.listZones(signatureVersion="3", expires="2020-01-01T00:00:00+0000"),
    )
    fresh = api.listZones(signatureVersion="3", expires="2099-01-01T00:00:00+0000")
    check("future expiry accepted", len(items(fresh, "zone")) == len(zones), fresh)

    # --- Networking (network helper: networks, public IPs and rules, key pairs, security groups) --------------
    def expect_job_error(name, code, call):
        """Runs an async `call` whose job must fail with errorcode `code` (or be refused at once with it)."""
        try:
            result = call()
        except CloudStackApiException as error:
            got = (error.error or {}).get("errorcode")
            check(name, got == code, f"errorcode {got}, wanted {code}: {error.error}")
            return error
        fail(name, f"no error, wanted {code}; got {result!r}")

    net_offerings = {o["name"]: o for o in items(api.listNetworkOfferings(), "networkoffering")}
    check("listNetworkOfferings", "DefaultIsolatedNetworkOfferingWithSourceNatService" in net_offerings,
          sorted(net_offerings))
    net = api.createNetwork(zoneid=zone["id"], name="cs-net", displaytext="cs network", gateway="10.60.0.1",
                            netmask="255.255.255.0",
                            networkofferingid=net_offerings["DefaultIsolatedNetworkOfferingWithSourceNatService"]["id"])
    net = net["network"]
    check("createNetwork", net["cidr"] == "10.60.0.0/24" and net["type"] == "Isolated", net)
    net_vms = [api.deployVirtualMachine(zoneid=zone["id"], templateid=template_id, serviceofferingid=offering["id"],
                                        name=f"cs-net-{index}", networkids=net["id"])["virtualmachine"]
               for index in (1, 2)]
    net_addresses = [v["nic"][0]["ipaddress"] for v in net_vms]
    check("network with two VMs, distinct addresses",
          len(set(net_addresses)) == 2 and all(a.startswith("10.60.0.") for a in net_addresses), net_addresses)
    check("listNetworks", any(n["id"] == net["id"] for n in items(api.listNetworks(), "network")))
    expect_job_error("deleteNetwork with VMs refused", 536, lambda: api.deleteNetwork(id=net["id"]))

    public_ip = api.associateIpAddress(networkid=net["id"])["ipaddress"]
    check("associateIpAddress", public_ip["associatednetworkid"] == net["id"] and not public_ip["issourcenat"],
          public_ip)
    forward = api.createPortForwardingRule(ipaddressid=public_ip["id"], protocol="tcp", publicport=2222,
                                           privateport=22, virtualmachineid=net_vms[0]["id"])["portforwardingrule"]
    check("createPortForwardingRule", forward["virtualmachineid"] == net_vms[0]["id"] and
          forward["vmguestip"] == net_addresses[0], forward)
    expect_error("conflicting port forwarding refused", 537,
                 lambda: api.createPortForwardingRule(ipaddressid=public_ip["id"], protocol="tcp", publicport=2222,
                                                      privateport=23, virtualmachineid=net_vms[1]["id"]))
    balancer = api.createLoadBalancerRule(publicipid=public_ip["id"], name="cs-lb", algorithm="roundrobin",
                                          publicport=80, privateport=8080)["loadbalancer"]
    check("createLoadBalancerRule", balancer["publicip"] == public_ip["ipaddress"], balancer)
    assigned = api.assignToLoadBalancerRule(id=balancer["id"], virtualmachineids=",".join(v["id"] for v in net_vms))
    check("assignToLoadBalancerRule", assigned.get("success") in (True, "true"), assigned)
    members = items(api.listLoadBalancerRuleInstances(id=balancer["id"]), "loadbalancerruleinstance")
    check("listLoadBalancerRuleInstances", sorted(m["id"] for m in members) == sorted(v["id"] for v in net_vms),
          members)
    released = api.disassociateIpAddress(id=public_ip["id"])
    check("disassociateIpAddress releases its rules", released.get("success") in (True, "true") and
          api.listPortForwardingRules(ipaddressid=public_ip["id"]) == {} and
          api.listLoadBalancerRules(id=balancer["id"]) == {}, released)
    for net_vm in net_vms:
        api.destroyVirtualMachine(id=net_vm["id"], expunge=True)
    deleted_net = api.deleteNetwork(id=net["id"])
    check("deleteNetwork", deleted_net.get("success") in (True, "true"), deleted_net)

    created_pair = api.createSSHKeyPair(name="cs-key")["keypair"]
    check("createSSHKeyPair", "PRIVATE KEY" in created_pair["privatekey"] and
          len(created_pair["fingerprint"].split(":")) == 16, created_pair)
    listed_pairs = items(api.listSSHKeyPairs(name="cs-key"), "sshkeypair")
    check("listSSHKeyPairs", [p["fingerprint"] for p in listed_pairs] == [created_pair["fingerprint"]], listed_pairs)
    expect_error("registerSSHKeyPair garbage refused", 431,
                 lambda: api.registerSSHKeyPair(name="cs-bad", publickey="ssh-rsa not-a-key"))
    keyed = api.deployVirtualMachine(zoneid=zone["id"], templateid=template_id, serviceofferingid=offering["id"],
                                     name="cs-keyed", keypair="cs-key")["virtualmachine"]
    check("deploy with keypair", keyed.get("keypairs") == "cs-key", keyed)

    group = api.createSecurityGroup(name="cs-sg", description="cs group")["securitygroup"]
    authorized = api.authorizeSecurityGroupIngress(securitygroupid=group["id"], protocol="tcp", startport=22,
                                                   endport=22, cidrlist="0.0.0.0/0")["securitygroup"]
    check("authorizeSecurityGroupIngress", [r["startport"] for r in authorized["ingressrule"]] == [22], authorized)
    grouped = api.deployVirtualMachine(zoneid=zone["id"], templateid=template_id, serviceofferingid=offering["id"],
                                       name="cs-grouped", securitygroupids=group["id"])["virtualmachine"]
    check("deploy with security group", [g["name"] for g in grouped["securitygroup"]] == ["cs-sg"], grouped)
    expect_error("deleteSecurityGroup in use refused", 536, lambda: api.deleteSecurityGroup(id=group["id"]))
    for done in (keyed, grouped):
        api.destroyVirtualMachine(id=done["id"], expunge=True)
    check("deleteSecurityGroup", api.deleteSecurityGroup(id=group["id"]).get("success") in (True, "true"))
    check("deleteSSHKeyPair", api.deleteSSHKeyPair(name="cs-key").get("success") in (True, "true"))
    # --- End of networking -------------------------------------------------------------------------------------

    # --- Resource limits and projects (limits helper) ----------------------------------------------------------
    limited = post.createAccount(username="cs-limited", password="cs-pass", email="limited@example.com",
                                 firstname="L", lastname="M")["account"]
    limited_keys = api.registerUserKeys(id=limited["user"][0]["id"])["userkeys"]
    as_limited = CloudStack(endpoint=endpoint, key=limited_keys["apikey"], secret=limited_keys["secretkey"],
                            fetch_result=True, poll_interval=0.05)
    set_limit = api.updateResourceLimit(resourcetype=0, max=2, account="cs-limited",
                                        domainid=limited["domainid"])["resourcelimit"]
    check("updateResourceLimit user_vm", set_limit["max"] == 2 and set_limit["resourcetypename"] == "user_vm" and
          set_limit["account"] == "cs-limited", set_limit)
    shown = items(as_limited.listResourceLimits(resourcetype=0), "resourcelimit")
    check("listResourceLimits shows the limit", [(l["resourcetype"], l["max"]) for l in shown] == [("0", 2)], shown)

    def deploy_limited(name, **extra):
        return as_limited.deployVirtualMachine(zoneid=zone["id"], templateid=featured[0]["id"],
                                               serviceofferingid=offering["id"], name=name, **extra)

    limited_vms = [deploy_limited(f"cs-limited-{index}")["virtualmachine"] for index in (1, 2)]
    check("deploy up to the limit", [v["state"] for v in limited_vms] == ["Running", "Running"], limited_vms)
    over = expect_error("deploy past the limit refused", 535, lambda: deploy_limited("cs-limited-3"))
    check("limit errortext",
          "Maximum amount of resources of Type = 'user_vm' for Account Name = cs-limited" in
          over.error.get("errortext", ""), over.error)

    project = as_limited.createProject(name="cs-project", displaytext="cs project")["project"]
    check("createProject", project["name"] == "cs-project" and project["state"] == "Active", project)
    check("listProjects", [p["id"] for p in items(as_limited.listProjects(), "project")] == [project["id"]])
    in_project = deploy_limited("cs-in-project", projectid=project["id"])["virtualmachine"]
    check("deploy in a project (its own limits)", in_project.get("projectid") == project["id"] and
          in_project.get("project") == "cs-project", in_project)
    listed_in = items(as_limited.listVirtualMachines(projectid=project["id"]), "virtualmachine")
    check("listVirtualMachines projectid", [v["id"] for v in listed_in] == [in_project["id"]], listed_in)
    own = [v["id"] for v in items(as_limited.listVirtualMachines(), "virtualmachine")]
    check("project VM not listed as the account's own", in_project["id"] not in own and len(own) == 2, own)
    expect_error("deleteProject with resources refused", 536, lambda: as_limited.deleteProject(id=project["id"]))
    dropped = as_limited.deleteProject(id=project["id"], cleanup=True)
    check("deleteProject cleanup", dropped.get("success") in (True, "true"), dropped)
    check("project gone", as_limited.listProjects() == {})
    for limited_vm in limited_vms:
        api.destroyVirtualMachine(id=limited_vm["id"], expunge=True)

    # --- Events and alerts -------------------------------------------------------------------------------------
    creates = items(api.listEvents(type="VM.CREATE", listall=True), "event")
    check("listEvents type=VM.CREATE", {"Scheduled", "Started", "Completed"} <= {e["state"] for e in creates}, creates)
    scheduled_ids = {e["id"] for e in creates if e["state"] == "Scheduled"}
    # Deployments that ran (a deploy refused before its job, e.g. past a resource limit, has no Scheduled event).
    completed = [e for e in creates if e["state"] == "Completed" and e["level"] == "INFO"]
    check("Completed events name their Scheduled event",
          completed and all(e.get("parentid") in scheduled_ids for e in completed), completed)
    archived = api.archiveEvents(ids=completed[0]["id"])
    check("archiveEvents", archived.get("success") in (True, "true"), archived)
    remaining = items(api.listEvents(type="VM.CREATE", listall=True), "event")
    check("an archived event leaves listEvents", completed[0]["id"] not in [e["id"] for e in remaining], remaining)
    shown = items(api.listEvents(type="VM.CREATE", listall=True, archived=True), "event")
    check("listEvents archived=true", [e["id"] for e in shown] == [completed[0]["id"]], shown)
    api.generateAlert(type=14, name="ALERT.MANAGEMENT", description="raised by cs")
    alerts = items(api.listAlerts(keyword="raised by cs"), "alert")
    check("listAlerts", [(a["type"], a["name"]) for a in alerts] == [(14, "ALERT.MANAGEMENT")], alerts)
    check("archiveAlerts", api.archiveAlerts(ids=alerts[0]["id"]).get("success") in (True, "true"))
    check("an archived alert leaves listAlerts", items(api.listAlerts(keyword="raised by cs"), "alert") == [])
    # --- End of events and alerts ------------------------------------------------------------------------------

    # --- The `cs` command-line tool ----------------------------------------------------------------------------
    tool = shutil.which("cs")
    command = [tool] if tool else [sys.executable, "-m", "cs"]
    env = dict(os.environ, CLOUDSTACK_ENDPOINT=endpoint, CLOUDSTACK_KEY=key, CLOUDSTACK_SECRET=secret)
    env.pop("CLOUDSTACK_CONFIG", None)
    env.pop("CLOUDSTACK_OVERRIDES", None)
    run = subprocess.run(command + ["listZones", "name=" + zone["name"]], env=env, capture_output=True,
                         text=True, timeout=60)
    check("cs listZones exits 0", run.returncode == 0, run.stderr or run.stdout)
    printed = json.loads(run.stdout)
    check("cs listZones prints the zone", [z["id"] for z in printed.get("zone", [])] == [zone["id"]], printed)

    print("SUMMARY ok", flush=True)


if __name__ == "__main__":
    main()
