extension Migrations {
    /// What the rules' update commands change besides their name and algorithm: whether the owner is shown a rule,
    /// and a load balancer rule's description.
    static let ruleDisplay = Migration(
        version: 24,
        name: "network rules: fordisplay and a load balancer rule's description",
        statements: [
            "ALTER TABLE network_rule ADD COLUMN for_display INTEGER",
            "ALTER TABLE network_rule ADD COLUMN rule_description TEXT",
        ]
    )

    /// A zone's DNS servers and network domain (createZone and updateZone's `dns1`, `dns2`, `internaldns1`,
    /// `internaldns2`, `domain`).
    static let zoneDNS = Migration(
        version: 25,
        name: "zones: DNS servers and network domain",
        statements: [
            "ALTER TABLE zone ADD COLUMN dns1 TEXT", "ALTER TABLE zone ADD COLUMN dns2 TEXT",
            "ALTER TABLE zone ADD COLUMN internal_dns1 TEXT", "ALTER TABLE zone ADD COLUMN internal_dns2 TEXT",
            "ALTER TABLE zone ADD COLUMN domain TEXT",
        ]
    )
}
