import Foundation
import Testing

/// The Python `cs` client (what Ansible's CloudStack modules use) against `zoostack serve`: the catalogue,
/// template registration, the whole VM lifecycle, list filters and paging, a volume's whole life with a snapshot and
/// a template from it, domains, accounts and users, signature and
/// expiry refusals, a resource limit refusing the VM past it, projects, events and alerts, and the
/// `cs` command-line tool (Resources/cs-workflow.py).
struct CSClientInteropTests {
    /// The directory of this target's resources (the Python scripts).
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources")

    @Test func csWorkflowPassesAgainstZooStack() async throws {
        let cloud = try await ServedCloud.start()
        defer { cloud.stop() }
        let script = Self.resources.appendingPathComponent("cs-workflow.py").path
        let result = try await ZooStackExecutable.run(
            ["python3", script, cloud.credentials],
            executable: URL(fileURLWithPath: "/usr/bin/env")
        )
        let output = result.stdout + result.stderr
        #expect(result.status == 0, "cs-workflow.py failed:\n\(output)\nserver log:\n\(cloud.log.suffix(4000))")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        for check in [
            "deployVirtualMachine", "recoverVirtualMachine (sync)", "destroyVirtualMachine expunge", "list by state",
            "page 2 of 2", "deploy for an account", "disabled user's keys refused", "deleteDomain cleanup",
            "wrong signature refused", "expired request refused", "cs listZones prints the zone",
            "migrateVirtualMachine (planner's choice)", "migrateVirtualMachine (named host)", "scaleVirtualMachine",
            "scaled VM has the new offering", "listConfigurations", "431 names the parameter",
            "createVolume", "attachVolume", "resizeVolume", "deleteVolume while attached refused", "createSnapshot",
            "detachVolume", "createTemplate from snapshot", "deploy from the snapshot's template", "deleteSnapshot",
            "deleteVolume", "primary storage released",
            // Networking.
            "createNetwork", "network with two VMs, distinct addresses", "deleteNetwork with VMs refused",
            "associateIpAddress", "createPortForwardingRule", "conflicting port forwarding refused",
            "createLoadBalancerRule", "listLoadBalancerRuleInstances", "disassociateIpAddress releases its rules",
            "createSSHKeyPair", "registerSSHKeyPair garbage refused", "deploy with keypair",
            "authorizeSecurityGroupIngress", "deploy with security group", "deleteSecurityGroup in use refused",
            // Resource limits and projects.
            "updateResourceLimit user_vm", "listResourceLimits shows the limit", "deploy up to the limit",
            "deploy past the limit refused", "limit errortext", "createProject", "listProjects",
            "deploy in a project (its own limits)", "listVirtualMachines projectid",
            "project VM not listed as the account's own", "deleteProject with resources refused",
            "deleteProject cleanup", "project gone",
            // Events and alerts.
            "listEvents type=VM.CREATE", "Completed events name their Scheduled event", "archiveEvents",
            "an archived event leaves listEvents", "listEvents archived=true", "listAlerts", "archiveAlerts",
        ] {
            #expect(lines.contains("PASS \(check)"), "no PASS \(check):\n\(output)")
        }
        #expect(lines.last == "SUMMARY ok", "\(output)")
    }
}
