import Testing

/// Ansible's CloudStack collection (ngine_io.cloudstack, as PyPI's `ansible` 10.7 bundles it) against `zoostack
/// serve`'s simulated zone (Resources/ansible-workflow.py with Resources/ansible/): a playbook builds a domain, an
/// account and users, a role with ordered permissions, offerings, a setting, a key pair, a security group with a rule,
/// an isolated network, a VPC with an ACL and a rule, an instance group, a VM with a data volume and a tag, public
/// addresses with static NAT, port forwarding and a load balancer rule, and a project; its second run changes nothing;
/// a teardown playbook removes it all.
struct AnsibleInteropTests {
    @Test func ansiblesCloudStackCollectionBuildsAndTearsDownACloudIdempotently() async throws {
        let cloud = try await ServedCloud.start()
        defer { cloud.stop() }
        let run = try await CSWorkflow.run("ansible-workflow.py", cloud: cloud)
        run.expectPasses([
            "build: no task failed", "build: it changed the cloud", "build: two public addresses",
            "the VM is Running with its group, tag and key", "the data volume is attached", "the setting is set",
            "the role has its rules in order", "teardown: the role is gone",
            "second build: changed=0", "teardown: no task failed", "teardown: the VM is gone",
            "teardown: the account is gone", "teardown: the VPC is gone",
        ])
    }
}
