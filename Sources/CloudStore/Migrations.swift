/// The schema, as an ordered list of migrations. Ids are UUID text; times are seconds since 1970.
enum Migrations {
    static let all: [Migration] = [
        Migration(
            version: 1,
            name: "initial schema",
            statements: [
                """
                CREATE TABLE domain (id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL UNIQUE,
                  parent_id TEXT)
                """,
                """
                CREATE TABLE account (id TEXT PRIMARY KEY, name TEXT NOT NULL, domain_id TEXT NOT NULL,
                  role INTEGER NOT NULL, state TEXT NOT NULL, created REAL NOT NULL, UNIQUE (domain_id, name))
                """,
                """
                CREATE TABLE "user" (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, username TEXT NOT NULL UNIQUE,
                  password_hash TEXT NOT NULL, firstname TEXT NOT NULL, lastname TEXT NOT NULL, email TEXT NOT NULL,
                  api_key TEXT UNIQUE, secret_key TEXT, state TEXT NOT NULL, created REAL NOT NULL)
                """,
                """
                CREATE TABLE zone (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, network_type TEXT NOT NULL,
                  allocation_state TEXT NOT NULL)
                """,
                """
                CREATE TABLE pod (id TEXT PRIMARY KEY, name TEXT NOT NULL, zone_id TEXT NOT NULL,
                  gateway TEXT NOT NULL, netmask TEXT NOT NULL)
                """,
                """
                CREATE TABLE cluster (id TEXT PRIMARY KEY, name TEXT NOT NULL, pod_id TEXT NOT NULL,
                  zone_id TEXT NOT NULL, hypervisor TEXT NOT NULL)
                """,
                """
                CREATE TABLE host (id TEXT PRIMARY KEY, name TEXT NOT NULL, zone_id TEXT NOT NULL,
                  pod_id TEXT NOT NULL, cluster_id TEXT NOT NULL, ip_address TEXT NOT NULL, hypervisor TEXT NOT NULL,
                  cpu_number INTEGER NOT NULL, cpu_speed INTEGER NOT NULL, memory INTEGER NOT NULL,
                  cpu_used INTEGER NOT NULL, mem_used INTEGER NOT NULL, cpu_overprovisioning REAL NOT NULL,
                  mem_overprovisioning REAL NOT NULL, state TEXT NOT NULL, resource_state TEXT NOT NULL,
                  host_tags TEXT NOT NULL, version INTEGER NOT NULL)
                """,
                """
                CREATE TABLE storage_pool (id TEXT PRIMARY KEY, name TEXT NOT NULL, zone_id TEXT NOT NULL,
                  cluster_id TEXT NOT NULL, capacity INTEGER NOT NULL, used INTEGER NOT NULL)
                """,
                """
                CREATE TABLE template (id TEXT PRIMARY KEY, name TEXT NOT NULL, display_text TEXT NOT NULL,
                  format TEXT NOT NULL, hypervisor TEXT NOT NULL, os_type_name TEXT NOT NULL, url TEXT NOT NULL,
                  is_public INTEGER NOT NULL, is_featured INTEGER NOT NULL, account_id TEXT NOT NULL,
                  zone_id TEXT NOT NULL, status TEXT NOT NULL, is_ready INTEGER NOT NULL, size INTEGER NOT NULL,
                  created REAL NOT NULL)
                """,
                """
                CREATE TABLE service_offering (id TEXT PRIMARY KEY, name TEXT NOT NULL, display_text TEXT NOT NULL,
                  cpu_number INTEGER NOT NULL, cpu_speed INTEGER NOT NULL, memory INTEGER NOT NULL,
                  offer_ha INTEGER NOT NULL, host_tags TEXT NOT NULL, created REAL NOT NULL)
                """,
                """
                CREATE TABLE disk_offering (id TEXT PRIMARY KEY, name TEXT NOT NULL, display_text TEXT NOT NULL,
                  disk_size INTEGER NOT NULL, created REAL NOT NULL)
                """,
                """
                CREATE TABLE network (id TEXT PRIMARY KEY, name TEXT NOT NULL, zone_id TEXT NOT NULL,
                  gateway TEXT NOT NULL, netmask TEXT NOT NULL, start_ip TEXT NOT NULL, end_ip TEXT NOT NULL)
                """,
                """
                CREATE TABLE vm_instance (id TEXT PRIMARY KEY, name TEXT NOT NULL, display_name TEXT NOT NULL,
                  account_id TEXT NOT NULL, zone_id TEXT NOT NULL, host_id TEXT, template_id TEXT NOT NULL,
                  service_offering_id TEXT NOT NULL, state TEXT NOT NULL, update_count INTEGER NOT NULL,
                  cpu_number INTEGER NOT NULL, cpu_speed INTEGER NOT NULL, memory INTEGER NOT NULL,
                  created REAL NOT NULL)
                """,
                "CREATE INDEX vm_instance_account ON vm_instance (account_id, created)",
                """
                CREATE TABLE volume (id TEXT PRIMARY KEY, name TEXT NOT NULL, vm_id TEXT, zone_id TEXT NOT NULL,
                  type TEXT NOT NULL, size INTEGER NOT NULL, state TEXT NOT NULL, created REAL NOT NULL)
                """,
                """
                CREATE TABLE nic (id TEXT PRIMARY KEY, vm_id TEXT NOT NULL, network_id TEXT NOT NULL,
                  ip_address TEXT NOT NULL, netmask TEXT NOT NULL, gateway TEXT NOT NULL, mac_address TEXT NOT NULL,
                  is_default INTEGER NOT NULL, UNIQUE (network_id, ip_address))
                """,
                """
                CREATE TABLE async_job (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, user_id TEXT NOT NULL,
                  cmd TEXT NOT NULL, status INTEGER NOT NULL, result_code INTEGER NOT NULL, result TEXT,
                  instance_type TEXT NOT NULL, instance_id TEXT, created REAL NOT NULL, completed REAL)
                """,
                "CREATE TABLE configuration (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ]
        ),
        Migration(
            version: 2,
            name: "secondary storage",
            statements: [
                """
                CREATE TABLE image_store (id TEXT PRIMARY KEY, name TEXT NOT NULL, zone_id TEXT NOT NULL,
                  provider TEXT NOT NULL, protocol_name TEXT NOT NULL, url TEXT NOT NULL, capacity INTEGER NOT NULL,
                  created REAL NOT NULL)
                """,
                "CREATE INDEX host_zone ON host (zone_id)",
                "CREATE INDEX vm_instance_host ON vm_instance (host_id)",
            ]
        ),
        Migration(
            version: 3,
            name: "vm operations, custom offerings, tags",
            statements: [
                "ALTER TABLE service_offering ADD COLUMN is_customized INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE service_offering ADD COLUMN min_cpu_number INTEGER",
                "ALTER TABLE service_offering ADD COLUMN max_cpu_number INTEGER",
                "ALTER TABLE service_offering ADD COLUMN min_memory INTEGER",
                "ALTER TABLE service_offering ADD COLUMN max_memory INTEGER",
                "ALTER TABLE service_offering ADD COLUMN limit_cpu_use INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE service_offering ADD COLUMN removed REAL",
                """
                CREATE TABLE resource_tag (id TEXT PRIMARY KEY, "key" TEXT NOT NULL, "value" TEXT NOT NULL,
                  resource_id TEXT NOT NULL, resource_type TEXT NOT NULL, account_id TEXT NOT NULL, customer TEXT,
                  created REAL NOT NULL, UNIQUE (resource_type, resource_id, "key"))
                """,
                "CREATE INDEX resource_tag_key ON resource_tag (resource_type, \"key\", \"value\")",
                """
                CREATE TABLE vm_detail (vm_id TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
                  PRIMARY KEY (vm_id, name))
                """,
                """
                CREATE TABLE template_permission (template_id TEXT NOT NULL, account_id TEXT NOT NULL,
                  PRIMARY KEY (template_id, account_id))
                """,
            ]
        ),
        Migration(
            version: 4,
            name: "domain hierarchy and account lookups",
            statements: [
                "CREATE INDEX domain_parent ON domain (parent_id)",
                "CREATE INDEX account_domain ON account (domain_id)",
                "CREATE INDEX user_account ON \"user\" (account_id)",
            ]
        ),
        Migration(
            version: 5,
            name: "indexes for listing VMs and their NICs and volumes",
            statements: [
                "CREATE INDEX nic_vm ON nic (vm_id)",
                "CREATE INDEX volume_vm ON volume (vm_id)",
                // The live VMs of an account in insertion order: list pages and counts read only the index.
                "CREATE INDEX vm_instance_live ON vm_instance (account_id) WHERE state <> 'Expunging'",
            ]
        ),
        Migration(
            version: 6,
            name: "volumes with owners, pools and devices; snapshots and snapshot policies",
            statements: [
                "ALTER TABLE volume ADD COLUMN account_id TEXT",
                "ALTER TABLE volume ADD COLUMN disk_offering_id TEXT",
                "ALTER TABLE volume ADD COLUMN pool_id TEXT",
                "ALTER TABLE volume ADD COLUMN device_id INTEGER",
                "ALTER TABLE volume ADD COLUMN path TEXT",
                "ALTER TABLE volume ADD COLUMN attached REAL",
                // Existing root volumes: their VM's owner, device 0, the zone's first pool, whose use they fill.
                """
                UPDATE volume SET account_id = (SELECT account_id FROM vm_instance WHERE vm_instance.id = volume.vm_id),
                  device_id = CASE WHEN type = 'ROOT' THEN 0 ELSE device_id END,
                  pool_id = (SELECT id FROM storage_pool WHERE storage_pool.zone_id = volume.zone_id ORDER BY id LIMIT 1)
                """,
                """
                UPDATE storage_pool SET used = (SELECT coalesce(sum(size), 0) FROM volume
                  WHERE volume.pool_id = storage_pool.id)
                """,
                "CREATE INDEX volume_account ON volume (account_id)",
                // Two attachments can never take one device slot of a VM, whichever server runs them.
                "CREATE UNIQUE INDEX volume_device ON volume (vm_id, device_id) WHERE vm_id IS NOT NULL",
                """
                CREATE TABLE snapshot (id TEXT PRIMARY KEY, name TEXT NOT NULL, volume_id TEXT NOT NULL,
                  volume_name TEXT NOT NULL, volume_type TEXT NOT NULL, account_id TEXT NOT NULL,
                  zone_id TEXT NOT NULL, size INTEGER NOT NULL, state TEXT NOT NULL, interval_type TEXT NOT NULL,
                  created REAL NOT NULL)
                """,
                "CREATE INDEX snapshot_volume ON snapshot (volume_id)",
                "CREATE INDEX snapshot_account ON snapshot (account_id)",
                """
                CREATE TABLE snapshot_policy (id TEXT PRIMARY KEY, volume_id TEXT NOT NULL, account_id TEXT NOT NULL,
                  interval_type TEXT NOT NULL, schedule TEXT NOT NULL, timezone TEXT NOT NULL,
                  max_snaps INTEGER NOT NULL, created REAL NOT NULL, UNIQUE (volume_id, interval_type))
                """,
            ]
        ),
        Migration(
            version: 7,
            name: "networks, public IPs, rules, key pairs, security and affinity groups",
            statements: [
                "ALTER TABLE network ADD COLUMN account_id TEXT",
                "ALTER TABLE network ADD COLUMN network_offering_id TEXT",
                "ALTER TABLE network ADD COLUMN display_text TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE network ADD COLUMN guest_type TEXT NOT NULL DEFAULT 'Shared'",
                "ALTER TABLE network ADD COLUMN state TEXT NOT NULL DEFAULT 'Implemented'",
                "ALTER TABLE network ADD COLUMN vpc_id TEXT",
                "ALTER TABLE network ADD COLUMN acl_id TEXT",
                "ALTER TABLE network ADD COLUMN network_domain TEXT NOT NULL DEFAULT 'cs.internal'",
                "ALTER TABLE network ADD COLUMN created REAL NOT NULL DEFAULT 0",
                "CREATE INDEX network_zone ON network (zone_id)",
                "CREATE INDEX network_account ON network (account_id)",
                "CREATE INDEX nic_network ON nic (network_id)",
                """
                CREATE TABLE network_offering (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                  display_text TEXT NOT NULL, guest_type TEXT NOT NULL, services TEXT NOT NULL,
                  for_vpc INTEGER NOT NULL, is_default INTEGER NOT NULL, state TEXT NOT NULL,
                  egress_default_policy INTEGER NOT NULL, specify_ip_ranges INTEGER NOT NULL, created REAL NOT NULL)
                """,
                """
                CREATE TABLE public_ip_address (id TEXT PRIMARY KEY, zone_id TEXT NOT NULL, address TEXT NOT NULL,
                  gateway TEXT NOT NULL, netmask TEXT NOT NULL, vlan TEXT NOT NULL, state TEXT NOT NULL,
                  account_id TEXT, network_id TEXT, vpc_id TEXT, is_source_nat INTEGER NOT NULL,
                  static_nat_vm_id TEXT, allocated REAL, UNIQUE (zone_id, address))
                """,
                "CREATE INDEX public_ip_free ON public_ip_address (zone_id) WHERE state = 'Free'",
                "CREATE INDEX public_ip_account ON public_ip_address (account_id)",
                """
                CREATE TABLE network_rule (id TEXT PRIMARY KEY, purpose TEXT NOT NULL, traffic_type TEXT NOT NULL,
                  ip_address_id TEXT, network_id TEXT NOT NULL, account_id TEXT NOT NULL,
                  protocol_name TEXT NOT NULL, start_port INTEGER, end_port INTEGER, private_start_port INTEGER,
                  private_end_port INTEGER, cidr_list TEXT NOT NULL, icmp_type INTEGER, icmp_code INTEGER,
                  vm_id TEXT, name TEXT, algorithm TEXT, state TEXT NOT NULL, created REAL NOT NULL)
                """,
                "CREATE INDEX network_rule_ip ON network_rule (ip_address_id)",
                "CREATE INDEX network_rule_network ON network_rule (network_id)",
                "CREATE INDEX network_rule_vm ON network_rule (vm_id)",
                """
                CREATE TABLE load_balancer_vm_map (rule_id TEXT NOT NULL, vm_id TEXT NOT NULL,
                  PRIMARY KEY (rule_id, vm_id))
                """,
                "CREATE INDEX load_balancer_vm ON load_balancer_vm_map (vm_id)",
                """
                CREATE TABLE ssh_key_pair (id TEXT PRIMARY KEY, name TEXT NOT NULL, account_id TEXT NOT NULL,
                  public_key TEXT NOT NULL, fingerprint TEXT NOT NULL, created REAL NOT NULL,
                  UNIQUE (account_id, name))
                """,
                """
                CREATE TABLE security_group (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
                  account_id TEXT NOT NULL, created REAL NOT NULL, UNIQUE (account_id, name))
                """,
                """
                CREATE TABLE security_group_rule (id TEXT PRIMARY KEY, security_group_id TEXT NOT NULL,
                  type TEXT NOT NULL, protocol_name TEXT NOT NULL, start_port INTEGER, end_port INTEGER,
                  cidr TEXT, peer_account TEXT, peer_group TEXT)
                """,
                "CREATE INDEX security_group_rule_group ON security_group_rule (security_group_id)",
                """
                CREATE TABLE security_group_vm_map (security_group_id TEXT NOT NULL, vm_id TEXT NOT NULL,
                  PRIMARY KEY (security_group_id, vm_id))
                """,
                "CREATE INDEX security_group_vm ON security_group_vm_map (vm_id)",
                """
                CREATE TABLE affinity_group (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
                  type TEXT NOT NULL, account_id TEXT NOT NULL, created REAL NOT NULL, UNIQUE (account_id, name))
                """,
                """
                CREATE TABLE affinity_group_vm_map (affinity_group_id TEXT NOT NULL, vm_id TEXT NOT NULL,
                  PRIMARY KEY (affinity_group_id, vm_id))
                """,
                "CREATE INDEX affinity_group_vm ON affinity_group_vm_map (vm_id)",
                """
                CREATE TABLE vpc (id TEXT PRIMARY KEY, name TEXT NOT NULL, display_text TEXT NOT NULL,
                  zone_id TEXT NOT NULL, cidr TEXT NOT NULL, account_id TEXT NOT NULL, vpc_offering_id TEXT NOT NULL,
                  state TEXT NOT NULL, network_domain TEXT NOT NULL, created REAL NOT NULL)
                """,
                """
                CREATE TABLE network_acl_list (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
                  vpc_id TEXT)
                """,
                """
                CREATE TABLE network_acl_item (id TEXT PRIMARY KEY, acl_id TEXT NOT NULL, number INTEGER NOT NULL,
                  protocol_name TEXT NOT NULL, start_port INTEGER, end_port INTEGER, cidr_list TEXT NOT NULL,
                  action TEXT NOT NULL, traffic_type TEXT NOT NULL, UNIQUE (acl_id, number))
                """,
            ]
        ),
        Migration(
            version: 8,
            name: "cluster DRS plans and the event log",
            statements: [
                """
                CREATE TABLE cluster_drs_plan (id TEXT PRIMARY KEY, cluster_id TEXT NOT NULL, type TEXT NOT NULL,
                  status TEXT NOT NULL, event_id TEXT, created REAL NOT NULL)
                """,
                "CREATE INDEX cluster_drs_plan_cluster ON cluster_drs_plan (cluster_id, created)",
                """
                CREATE TABLE cluster_drs_plan_migration (id TEXT PRIMARY KEY, plan_id TEXT NOT NULL,
                  position INTEGER NOT NULL, vm_id TEXT NOT NULL, source_host_id TEXT NOT NULL,
                  destination_host_id TEXT NOT NULL, job_id TEXT, status TEXT)
                """,
                "CREATE INDEX cluster_drs_plan_migration_plan ON cluster_drs_plan_migration (plan_id, position)",
                """
                CREATE TABLE IF NOT EXISTS event (id TEXT PRIMARY KEY, type TEXT NOT NULL, state TEXT NOT NULL,
                  description TEXT NOT NULL, level TEXT NOT NULL, account_id TEXT NOT NULL, resource_id TEXT,
                  resource_type TEXT, created REAL NOT NULL)
                """,
                "CREATE INDEX IF NOT EXISTS event_account ON event (account_id, created)",
            ]
        ),
        Migration(
            version: 9,
            name: "resource limits, limit guards and projects",
            statements: [
                """
                CREATE TABLE resource_limit (owner_id TEXT NOT NULL, owner_type TEXT NOT NULL, type INTEGER NOT NULL,
                  maximum INTEGER NOT NULL, PRIMARY KEY (owner_id, type))
                """,
                // One row per limited account or domain: a version for compare-and-set and, per resource type,
                // what checks have admitted but not yet created (see CloudStore+ResourceLimits.swift).
                """
                CREATE TABLE resource_guard (owner_id TEXT PRIMARY KEY, version INTEGER NOT NULL,
                  user_vm INTEGER NOT NULL DEFAULT 0, public_ip INTEGER NOT NULL DEFAULT 0,
                  volume INTEGER NOT NULL DEFAULT 0, snapshot INTEGER NOT NULL DEFAULT 0,
                  template INTEGER NOT NULL DEFAULT 0, project INTEGER NOT NULL DEFAULT 0,
                  network INTEGER NOT NULL DEFAULT 0, vpc INTEGER NOT NULL DEFAULT 0,
                  cpu INTEGER NOT NULL DEFAULT 0, memory INTEGER NOT NULL DEFAULT 0,
                  primary_storage INTEGER NOT NULL DEFAULT 0, secondary_storage INTEGER NOT NULL DEFAULT 0)
                """,
                """
                CREATE TABLE project (id TEXT PRIMARY KEY, name TEXT NOT NULL, display_text TEXT NOT NULL,
                  domain_id TEXT NOT NULL, account_id TEXT NOT NULL UNIQUE, owner_id TEXT NOT NULL,
                  state TEXT NOT NULL, created REAL NOT NULL, UNIQUE (domain_id, name))
                """,
                """
                CREATE TABLE project_account (project_id TEXT NOT NULL, account_id TEXT NOT NULL, role TEXT NOT NULL,
                  PRIMARY KEY (project_id, account_id))
                """,
                "CREATE INDEX project_account_account ON project_account (account_id)",
            ]
        ),
        Migration(
            version: 10,
            name: "event user, start event and archive flag; alerts",
            statements: [
                "ALTER TABLE event ADD COLUMN user_id TEXT",
                "ALTER TABLE event ADD COLUMN start_id TEXT",
                "ALTER TABLE event ADD COLUMN archived INTEGER NOT NULL DEFAULT 0",
                "CREATE INDEX event_created ON event (created)",
                """
                CREATE TABLE alert (id TEXT PRIMARY KEY, type INTEGER NOT NULL, name TEXT NOT NULL,
                  description TEXT NOT NULL, zone_id TEXT, pod_id TEXT, cluster_id TEXT,
                  archived INTEGER NOT NULL DEFAULT 0, sent REAL NOT NULL)
                """,
                "CREATE INDEX alert_sent ON alert (sent)",
            ]
        ),
        Migration(
            version: 11,
            name: "management server cluster: mshost, job owners, VM update times, the bootstrap claim",
            statements: [
                """
                CREATE TABLE mshost (id TEXT PRIMARY KEY, name TEXT NOT NULL, service_ip TEXT NOT NULL,
                  version TEXT NOT NULL, state TEXT NOT NULL, last_start REAL NOT NULL, last_stop REAL)
                """,
                "ALTER TABLE async_job ADD COLUMN owner TEXT",
                "CREATE INDEX async_job_status_owner ON async_job (status, owner)",
                "ALTER TABLE vm_instance ADD COLUMN updated REAL",
                """
                CREATE TABLE bootstrap_claim (id TEXT PRIMARY KEY, server_id TEXT NOT NULL, started REAL NOT NULL,
                  completed REAL)
                """,
            ]
        ),
        Migration(
            version: 12,
            name: "hypervisor agents: the address a host's agent serves on and the agent's version",
            statements: [
                "ALTER TABLE host ADD COLUMN agent_address TEXT",
                "ALTER TABLE host ADD COLUMN agent_version TEXT",
            ]
        ),
        usersPerDomain,
        metricsIndexes,
        Migration(
            version: 15,
            name: "real hosts: the accelerator (kvm or tcg) a QEMU host's agent registered, VM and host stats",
            statements: [
                "ALTER TABLE host ADD COLUMN accelerator TEXT",
                """
                CREATE TABLE vm_stats (id TEXT PRIMARY KEY, cpu_used_percent REAL NOT NULL, memory_kbs INTEGER NOT NULL,
                  memory_int_free_kbs INTEGER NOT NULL, network_kbs_read INTEGER NOT NULL,
                  network_kbs_write INTEGER NOT NULL, disk_kbs_read INTEGER NOT NULL, disk_kbs_write INTEGER NOT NULL,
                  disk_io_read INTEGER NOT NULL, disk_io_write INTEGER NOT NULL, updated REAL NOT NULL)
                """,
                """
                CREATE TABLE host_stats (id TEXT PRIMARY KEY, cpu_used_percent REAL NOT NULL,
                  memory_used INTEGER NOT NULL, memory_available INTEGER NOT NULL, updated REAL NOT NULL)
                """,
            ]
        ),
        volumeStats,
        snapshotFiles,
        loginSessions,
        vpcOfferings,
        instanceGroups,
        listOrderIndexes,
        roles, userData, ruleDisplay, zoneDNS,
    ]
}
