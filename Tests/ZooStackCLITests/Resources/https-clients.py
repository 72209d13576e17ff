#!/usr/bin/env python3
"""Drives `zoostack serve --tls-cert --tls-key` over HTTPS with the `cs` client and Apache Libcloud's CloudStack
driver, both trusting only the test's CA file.

Usage: https-clients.py <admin-credentials.json> <ca.pem>

Prints `PASS <check>` for every check; on the first failure prints `FAIL <check>: <reason>` and exits 1.
"""

import json
import sys

import requests
from cs import CloudStack

import libcloud.security
from libcloud.compute.providers import get_driver
from libcloud.compute.types import NodeState, Provider


def fail(check, reason):
    print(f"FAIL {check}: {reason}", flush=True)
    sys.exit(1)


def check(name, condition, detail=""):
    if not condition:
        fail(name, detail or "condition false")
    print(f"PASS {name}", flush=True)


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        profile = json.load(file)
    ca = sys.argv[2]
    endpoint, key, secret = profile["endpoint"], profile["apikey"], profile["secretkey"]
    check("endpoint is https", endpoint.startswith("https://"), endpoint)

    # --- cs, verifying against the CA --------------------------------------------------------------------------
    untrusting = CloudStack(endpoint=endpoint, key=key, secret=secret, verify=True)
    try:
        untrusting.listZones()
        fail("cs without the CA refused", "the self-signed certificate was accepted")
    except requests.exceptions.SSLError:
        check("cs without the CA refused", True)
    api = CloudStack(endpoint=endpoint, key=key, secret=secret, verify=ca, fetch_result=True, poll_interval=0.05)
    zones = api.listZones().get("zone", [])
    check("cs listZones", len(zones) >= 1, zones)
    templates = api.listTemplates(templatefilter="featured").get("template", [])
    check("cs listTemplates", len(templates) >= 1, templates)
    offerings = api.listServiceOfferings().get("serviceoffering", [])
    deployed = api.deployVirtualMachine(
        zoneid=zones[0]["id"], templateid=templates[0]["id"], serviceofferingid=offerings[0]["id"], name="cs-https"
    )
    vm = deployed.get("virtualmachine", {})
    check("cs deployVirtualMachine", vm.get("state") == "Running", deployed)

    # --- Libcloud's CloudStack driver, verifying against the CA --------------------------------------------------
    libcloud.security.VERIFY_SSL_CERT = True
    libcloud.security.CA_CERTS_PATH = ca
    driver = get_driver(Provider.CLOUDSTACK)(key=key, secret=secret, url=endpoint)
    locations = driver.list_locations()
    check("libcloud list_locations", [location.name for location in locations] == [zones[0]["name"]], locations)
    images = driver.list_images()
    check("libcloud list_images", any(image.id == templates[0]["id"] for image in images), images)
    sizes = driver.list_sizes()
    check("libcloud list_sizes", len(sizes) >= 1, sizes)
    image = next(image for image in images if image.id == templates[0]["id"])
    node = driver.create_node(
        name="libcloud-https", size=sizes[0], image=image, location=locations[0], ex_start_vm=True
    )
    # Libcloud asks startvm=false unless told (ex_start_vm), as CloudStack leaves such a VM Stopped.
    check("libcloud create_node", node.name == "libcloud-https" and node.state == NodeState.RUNNING, node)
    # Libcloud's list_nodes (it also lists port and IP forwarding rules).
    listed = {node.name: node.state for node in driver.list_nodes()}
    check("both VMs listed", listed == {"cs-https": NodeState.RUNNING, "libcloud-https": NodeState.RUNNING}, listed)
    print("SUMMARY ok", flush=True)


if __name__ == "__main__":
    main()
