import CloudModel
import SQLiteKit

extension CloudStore {
    /// Removes what an account owns on the network side once its VMs are gone: its rules, public IPs (back to
    /// the free pool), networks, VPCs with their ACL lists, SSH key pairs, security and affinity groups.
    /// - Parameter accountId: the account.
    /// - Throws: ``StoreError``.
    public func deleteNetworkingResources(accountId: String) async throws(StoreError) {
        let statements: [SQLQueryString] = [
            """
            DELETE FROM load_balancer_vm_map WHERE rule_id IN \
            (SELECT id FROM network_rule WHERE account_id = \(bind: accountId))
            """,
            "DELETE FROM network_rule WHERE account_id = \(bind: accountId)",
            """
            UPDATE public_ip_address SET state = 'Free', account_id = NULL, network_id = NULL, vpc_id = NULL, \
            is_source_nat = 0, static_nat_vm_id = NULL, allocated = NULL WHERE account_id = \(bind: accountId)
            """,
            "DELETE FROM network WHERE account_id = \(bind: accountId)",
            """
            DELETE FROM network_acl_item WHERE acl_id IN (SELECT network_acl_list.id FROM network_acl_list \
            JOIN vpc ON vpc.id = network_acl_list.vpc_id WHERE vpc.account_id = \(bind: accountId))
            """,
            """
            DELETE FROM network_acl_list WHERE vpc_id IN (SELECT id FROM vpc WHERE account_id = \(bind: accountId))
            """,
            "DELETE FROM vpc WHERE account_id = \(bind: accountId)",
            "DELETE FROM ssh_key_pair WHERE account_id = \(bind: accountId)",
            """
            DELETE FROM security_group_rule WHERE security_group_id IN \
            (SELECT id FROM security_group WHERE account_id = \(bind: accountId))
            """,
            """
            DELETE FROM security_group_vm_map WHERE security_group_id IN \
            (SELECT id FROM security_group WHERE account_id = \(bind: accountId))
            """,
            "DELETE FROM security_group WHERE account_id = \(bind: accountId)",
            """
            DELETE FROM affinity_group_vm_map WHERE affinity_group_id IN \
            (SELECT id FROM affinity_group WHERE account_id = \(bind: accountId))
            """,
            "DELETE FROM affinity_group WHERE account_id = \(bind: accountId)",
            """
            DELETE FROM instance_group_vm_map WHERE instance_group_id IN \
            (SELECT id FROM instance_group WHERE account_id = \(bind: accountId))
            """,
            "DELETE FROM instance_group WHERE account_id = \(bind: accountId)",
            """
            DELETE FROM template_user_data WHERE user_data_id IN \
            (SELECT id FROM user_data WHERE account_id = \(bind: accountId))
            """,
            "DELETE FROM user_data WHERE account_id = \(bind: accountId)",
        ]
        for statement in statements {
            try await self.guarded("delete account networking") { try await self.sql.raw(statement).run() }
        }
    }
}
