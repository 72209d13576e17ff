import Testing

/// Apache Libcloud's CloudStack driver against `zoostack serve`'s simulated zone (Resources/libcloud-workflow.py):
/// `list_nodes` (which lists IP forwarding rules), a node on an isolated network, `create_volume(size=10)` on the
/// Custom disk offering, attach and detach, key pairs (`delete_key_pair` reads CloudStack's `"success":"true"`),
/// static NAT with IP forwarding rules, port forwarding, firewall and egress rules (0.0.0.0/0 accepted), security
/// groups with an ingress rule, and tags.
struct LibcloudInteropTests {
    @Test func libcloudsCloudStackDriverWorksAgainstZooStack() async throws {
        let cloud = try await ServedCloud.start()
        defer { cloud.stop() }
        let run = try await CSWorkflow.run("libcloud-workflow.py", cloud: cloud)
        run.expectPasses([
            "list_nodes", "ex_create_network", "create_node", "list_nodes finds the node", "create_volume(size=10)",
            "list_volumes", "attach_volume", "list_volumes(node)", "detach_volume", "list_volumes(node) after detach",
            "destroy_volume", "create_key_pair", "list_key_pairs", "delete_key_pair", "key pair gone",
            "ex_allocate_public_ip", "ip forwarding without static NAT refused", "enableStaticNat",
            "list_nodes shows the static NAT address", "ex_create_ip_forwarding_rule", "list_nodes reads the rule",
            "ex_list_ip_forwarding_rules", "ex_delete_ip_forwarding_rule", "ex_list_ip_forwarding_rules empty",
            "port forwarding on a static NAT address refused", "disableStaticNat", "list_nodes after disableStaticNat",
            "ex_release_public_ip", "ex_create_port_forwarding_rule", "ex_list_port_forwarding_rules",
            "ex_create_firewall_rule / ex_list_firewall_rules", "ex_delete_firewall_rule",
            "ex_delete_port_forwarding_rule", "ex_list_port_forwarding_rules empty",
            "ex_release_public_ip (forwarding)",
            "ex_create_egress_firewall_rule 0.0.0.0/0", "ex_delete_egress_firewall_rule", "ex_create_security_group",
            "ex_authorize_security_group_ingress", "ex_delete_security_group", "ex_create_tags",
            "listTags after ex_create_tags", "list_nodes reads the tag", "ex_delete_tags", "tag gone", "destroy_node",
        ])
    }
}
