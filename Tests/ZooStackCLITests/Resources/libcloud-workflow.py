#!/usr/bin/env python3
"""Drives a running `zoostack serve` (its simulated zone) with Apache Libcloud's CloudStack driver: nodes, volumes
of a custom size, key pairs, public IPs with static NAT and IP forwarding rules.

Usage: libcloud-workflow.py <admin-credentials.json>

Prints `PASS <check>` for every check; on the first failure prints `FAIL <check>: <reason>` and exits 1.
"""

import json
import sys
from types import SimpleNamespace

from libcloud.compute.base import KeyPair
from libcloud.compute.providers import get_driver
from libcloud.compute.types import NodeState, Provider


def fail(check, reason):
    print(f"FAIL {check}: {reason}", flush=True)
    sys.exit(1)


def check(name, condition, detail=""):
    if not condition:
        fail(name, detail or "condition false")
    print(f"PASS {name}", flush=True)


def node_named(driver, name):
    return next((node for node in driver.list_nodes() if node.name == name), None)


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        profile = json.load(file)
    # The driver takes the scheme's TLS from `secure`, not from the URL.
    driver = get_driver(Provider.CLOUDSTACK)(key=profile["apikey"], secret=profile["secretkey"],
                                             url=profile["endpoint"], secure=profile["endpoint"].startswith("https"))

    # --- Nodes --------------------------------------------------------------------------------------------------
    check("list_nodes", driver.list_nodes() == [])
    location = driver.list_locations()[0]
    # The driver's ex_list_network_offerings reads serviceofferingid, which CloudStack's default offerings lack:
    # the offering is looked up with the driver's own signed request instead.
    offerings = driver._sync_request("listNetworkOfferings",
                                     params={"name": "DefaultIsolatedNetworkOfferingWithSourceNatService"})
    offering = SimpleNamespace(id=offerings["networkoffering"][0]["id"])
    network = driver.ex_create_network(display_text="libcloud network", name="lc-net", network_offering=offering,
                                       location=location)
    check("ex_create_network", network.name == "lc-net", network)
    image = driver.list_images(location=location)[0]
    size = next(size for size in driver.list_sizes(location=location) if size.name == "Small Instance")
    created = driver.create_node(name="lc-node", size=size, image=image, location=location, networks=[network],
                                 ex_start_vm=True)
    check("create_node", created.state == NodeState.RUNNING, created)
    node = node_named(driver, "lc-node")
    check("list_nodes finds the node", node is not None and node.id == created.id and node.public_ips == [],
          driver.list_nodes())

    # --- Volumes ------------------------------------------------------------------------------------------------
    volume = driver.create_volume(size=10, name="lc-data", location=location)
    check("create_volume(size=10)", volume.size == 10 and volume.name == "lc-data", volume)
    listed = {item.id: item for item in driver.list_volumes()}
    check("list_volumes", volume.id in listed, listed)
    check("attach_volume", driver.attach_volume(node, volume))
    check("list_volumes(node)", volume.id in [item.id for item in driver.list_volumes(node=node)])
    check("detach_volume", driver.detach_volume(volume))
    check("list_volumes(node) after detach", volume.id not in [item.id for item in driver.list_volumes(node=node)])
    check("destroy_volume", driver.destroy_volume(volume))

    # --- Key pairs ----------------------------------------------------------------------------------------------
    pair = driver.create_key_pair(name="lc-key")
    check("create_key_pair", pair.name == "lc-key" and "PRIVATE KEY" in (pair.private_key or ""), pair)
    check("list_key_pairs", "lc-key" in [item.name for item in driver.list_key_pairs()])
    check("delete_key_pair", driver.delete_key_pair(KeyPair("lc-key", None, None, driver)) is True)
    check("key pair gone", "lc-key" not in [item.name for item in driver.list_key_pairs()])

    # --- Static NAT and IP forwarding ---------------------------------------------------------------------------
    address = driver.ex_allocate_public_ip(network_id=network.id, location=location)
    check("ex_allocate_public_ip", address.address.startswith("192.168.100."), address)
    try:
        driver.ex_create_ip_forwarding_rule(node, address, "TCP", 22)
        fail("ip forwarding without static NAT refused", "no error")
    except Exception as error:  # Libcloud raises its own errors with the server's errortext.
        check("ip forwarding without static NAT refused", "static nat" in str(error), error)
    # Libcloud has no static NAT call of its own: its signed request does it, as a script built on it would.
    enabled = driver._sync_request("enableStaticNat", params={"ipaddressid": address.id,
                                                               "virtualmachineid": node.id})
    check("enableStaticNat", enabled == {"success": "true"}, enabled)
    node = node_named(driver, "lc-node")
    check("list_nodes shows the static NAT address", node.public_ips == [address.address], node.public_ips)
    rule = driver.ex_create_ip_forwarding_rule(node, address, "TCP", 22, 23)
    check("ex_create_ip_forwarding_rule", rule.id and rule.start_port == 22, vars(rule))
    node = node_named(driver, "lc-node")
    rules = node.extra["ip_forwarding_rules"]
    check("list_nodes reads the rule", [(item.id, item.protocol, item.start_port, item.end_port) for item in rules]
          == [(rule.id, "TCP", 22, 23)], [vars(item) for item in rules])
    listed_rules = driver.ex_list_ip_forwarding_rules()
    check("ex_list_ip_forwarding_rules", [(item.id, item.address.address, item.node.id) for item in listed_rules]
          == [(rule.id, address.address, node.id)], [vars(item) for item in listed_rules])
    check("ex_delete_ip_forwarding_rule", driver.ex_delete_ip_forwarding_rule(node, rules[0]))
    check("ex_list_ip_forwarding_rules empty", driver.ex_list_ip_forwarding_rules() == [])
    try:
        driver.ex_create_port_forwarding_rule(node, address, 22, 2222, "TCP")
        fail("port forwarding on a static NAT address refused", "no error")
    except Exception as error:
        check("port forwarding on a static NAT address refused", "static NAT" in str(error), error)
    disabled = driver._async_request("disableStaticNat", params={"ipaddressid": address.id})
    check("disableStaticNat", disabled.get("success") is True, disabled)
    node = node_named(driver, "lc-node")
    check("list_nodes after disableStaticNat", node.public_ips == [], node.public_ips)
    check("ex_release_public_ip", driver.ex_release_public_ip(address))
    rules_and_groups(driver, network, location, node)
    check("destroy_node", driver.destroy_node(node))
    print("SUMMARY ok", flush=True)


def rules_and_groups(driver, network, location, node):
    """Port forwarding, firewall and egress rules, security groups and tags, as Libcloud's driver reads them."""
    address = driver.ex_allocate_public_ip(network_id=network.id, location=location)
    forward = driver.ex_create_port_forwarding_rule(node, address, 22, 2222, "TCP")
    check("ex_create_port_forwarding_rule", bool(forward.id), vars(forward))
    forwards = driver.ex_list_port_forwarding_rules()
    check("ex_list_port_forwarding_rules",
          [(str(item.id), str(item.public_port), str(item.private_port), item.node.id) for item in forwards]
          == [(str(forward.id), "2222", "22", node.id)], [vars(item) for item in forwards])
    firewall = driver.ex_create_firewall_rule(address, "198.18.0.0/15", "TCP", start_port=80, end_port=80)
    listed = driver.ex_list_firewall_rules()
    check("ex_create_firewall_rule / ex_list_firewall_rules",
          firewall.id in [item.id for item in listed], [vars(item) for item in listed])
    check("ex_delete_firewall_rule", driver.ex_delete_firewall_rule(firewall))
    check("ex_delete_port_forwarding_rule", driver.ex_delete_port_forwarding_rule(node, forward))
    check("ex_list_port_forwarding_rules empty", driver.ex_list_port_forwarding_rules() == [])
    check("ex_release_public_ip (forwarding)", driver.ex_release_public_ip(address))
    egress = driver.ex_create_egress_firewall_rule(network.id, "0.0.0.0/0", "TCP", start_port=443, end_port=443)
    egress_rules = driver.ex_list_egress_firewall_rules()
    check("ex_create_egress_firewall_rule 0.0.0.0/0", egress.id in [item.id for item in egress_rules],
          [vars(item) for item in egress_rules])
    check("ex_delete_egress_firewall_rule", driver.ex_delete_egress_firewall_rule(egress))
    group = driver.ex_create_security_group("lc-group", description="libcloud group")
    check("ex_create_security_group", group.get("name") == "lc-group", group)
    driver.ex_authorize_security_group_ingress("lc-group", "TCP", "198.18.0.0/15", 22, 22)
    groups = {item["name"]: item for item in driver.ex_list_security_groups()}
    ingress = groups.get("lc-group", {}).get("ingressrule", [])
    check("ex_authorize_security_group_ingress",
          [(rule.get("protocol"), rule.get("startport"), rule.get("cidr")) for rule in ingress]
          == [("tcp", 22, "198.18.0.0/15")], groups.get("lc-group"))
    check("ex_delete_security_group", driver.ex_delete_security_group("lc-group") in (True, "true"))
    check("ex_create_tags", driver.ex_create_tags([node.id], "UserVm", {"role": "web"}))
    tags = driver._sync_request("listTags", params={"resourceid": node.id}).get("tag", [])
    check("listTags after ex_create_tags", [(tag["key"], tag["value"]) for tag in tags] == [("role", "web")], tags)
    check("list_nodes reads the tag", node_named(driver, "lc-node").extra.get("tags") == {"role": "web"},
          node_named(driver, "lc-node").extra.get("tags"))
    check("ex_delete_tags", driver.ex_delete_tags([node.id], "UserVm", ["role"]))
    check("tag gone", driver._sync_request("listTags", params={"resourceid": node.id}) == {})


if __name__ == "__main__":
    main()
