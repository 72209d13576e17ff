import CloudAPI
import ClusterHarness
import Foundation

/// `bench scale --vms N`: the list and deploy figures with N VMs in the database.
///
/// The VMs are inserted by PostgreSQL itself (one `INSERT ... SELECT` over `generate_series`, in chunks of 100,000
/// rows), Running on the adopted hosts round-robin, spread over 1,000 accounts `benchN` of the ROOT domain made the
/// same way. Then, on one live server, `--list-calls` calls each of `listVirtualMachines` (pagesize 500, pages 1 to
/// 20, unfiltered as the root admin; then for one account), `listHosts` (pagesize 500) and `--deploys`
/// `deployVirtualMachine` jobs (placement over every host, the job run to Running), each timed from request to
/// answer (the deploys to the job's end, polled).
struct ScaleListPhase {
    var cluster: ClusterFixture
    var vms: Int
    var calls: Int
    var deploys: Int

    static let accounts = 1_000
    static let chunk = 100_000

    func run() async throws {
        guard let client = self.cluster.liveClients.first else { throw BenchError("lists: no live server") }
        let start = ContinuousClock.now
        try await self.insert()
        let inserted = ContinuousClock.now - start
        let count = try await client.call("listVirtualMachines", ["listall": "true", "pagesize": "1", "page": "1"])
        Console.out(
            "vms         \(self.vms) VM rows and \(Self.accounts) accounts inserted in "
                + "\(ZooStackBench.ScaleBench.seconds(inserted)) (INSERT ... SELECT generate_series); "
                + "listVirtualMachines count \(count["count"]?.int ?? -1)"
        )
        Console.flush()
        let sizes = try await ScaleFigures.psql(
            self.cluster,
            "SELECT (SELECT count(*) FROM host) || ' ' || pg_total_relation_size('host') || ' ' || "
                + "(SELECT count(*) FROM vm_instance) || ' ' || pg_total_relation_size('vm_instance')",
            timeout: .seconds(120)
        ).split(separator: " ").compactMap { Int($0) }
        if sizes.count == 4 {
            Console.out(
                "tables      host \(sizes[1]) bytes for \(sizes[0]) rows (\(sizes[1] / max(sizes[0], 1)) B/row with "
                    + "indexes), vm_instance \(sizes[3]) bytes for \(sizes[2]) rows "
                    + "(\(sizes[3] / max(sizes[2], 1)) B/row)"
            )
        }
        let domain = try await client.list("listDomains", ["name": "ROOT"]).first?["id"]?.stringValue ?? ""
        let lists: [(String, String, (Int) -> [String: String])] = [
            ("listVirtualMachines", "all", { ["listall": "true", "pagesize": "500", "page": "\($0 % 20 + 1)"] }),
            (
                "listVirtualMachines", "one account",
                { ["account": "bench\($0 % Self.accounts + 1)", "domainid": domain, "pagesize": "500", "page": "1"] }
            ),
            ("listHosts", "all", { ["type": "Routing", "pagesize": "500", "page": "\($0 % 20 + 1)"] }),
        ]
        for (command, label, parameters) in lists {
            var times: [Duration] = []
            var items = 0
            for index in 0..<self.calls {
                let began = ContinuousClock.now
                let answer = try await client.call(command, parameters(index))
                times.append(ContinuousClock.now - began)
                items += answer.items.count
            }
            Console.out(
                "\(command) (\(label), pagesize 500)  \(Self.percentiles(times))  over \(self.calls) calls, "
                    + "\(items / max(self.calls, 1)) items per page on average"
            )
            Console.flush()
        }
        try await self.deploy(client)
    }

    /// Inserts the accounts and the VMs through `psql`.
    func insert() async throws {
        let epoch = "extract(epoch from now())"
        _ = try await ScaleFigures.psql(
            self.cluster,
            """
            INSERT INTO account (id, name, domain_id, role, state, created) \
            SELECT md5('bench-account-' || g)::uuid::text, 'bench' || g, \
            (SELECT domain_id FROM account WHERE name = 'admin' LIMIT 1), 0, 'enabled', \(epoch) \
            FROM generate_series(1, \(Self.accounts)) g
            """,
            timeout: .seconds(60)
        )
        var first = 0
        while first < self.vms {
            let last = min(first + Self.chunk, self.vms) - 1
            _ = try await ScaleFigures.psql(
                self.cluster,
                """
                WITH h AS (SELECT id, zone_id, row_number() OVER (ORDER BY id) - 1 AS n FROM host), \
                c AS (SELECT count(*) AS total FROM host), \
                t AS (SELECT id FROM template LIMIT 1), o AS (SELECT id FROM service_offering LIMIT 1) \
                INSERT INTO vm_instance (id, name, display_name, account_id, zone_id, host_id, template_id, \
                service_offering_id, state, update_count, cpu_number, cpu_speed, memory, created) \
                SELECT md5('bench-vm-' || g)::uuid::text, 'bench-vm-' || g, 'bench-vm-' || g, \
                md5('bench-account-' || (g % \(Self.accounts) + 1))::uuid::text, h.zone_id, h.id, t.id, o.id, \
                'Running', 0, 1, 500, 512, \(epoch) - g \
                FROM generate_series(\(first), \(last)) g CROSS JOIN c CROSS JOIN t CROSS JOIN o \
                JOIN h ON h.n = g % c.total
                """,
                timeout: .seconds(300)
            )
            first = last + 1
        }
        _ = try await ScaleFigures.psql(self.cluster, "ANALYZE vm_instance; ANALYZE account", timeout: .seconds(120))
    }

    /// `--deploys` deployVirtualMachine jobs, one after another: placement over every host, then the start.
    func deploy(_ client: CloudClient) async throws {
        guard self.deploys > 0 else { return }
        let zone = try await client.list("listZones").first?["id"]?.stringValue ?? ""
        let template =
            try await client.list("listTemplates", ["templatefilter": "featured"]).first?["id"]?.stringValue ?? ""
        let offering =
            try await client.list("listServiceOfferings", ["name": "Small Instance"]).first?["id"]?.stringValue ?? ""
        var times: [Duration] = []
        var failed = 0
        for _ in 0..<self.deploys {
            let began = ContinuousClock.now
            do {
                _ = try await client.callAndWait(
                    "deployVirtualMachine",
                    ["zoneid": zone, "templateid": template, "serviceofferingid": offering],
                    timeout: .seconds(60)
                )
                times.append(ContinuousClock.now - began)
            } catch {
                failed += 1
            }
        }
        Console.out(
            "deployVirtualMachine (job to Running)  \(Self.percentiles(times))  over \(times.count) deploys, "
                + "\(failed) failed"
        )
        Console.flush()
    }

    /// `p50 X ms  p99 Y ms  max Z ms`.
    static func percentiles(_ times: [Duration]) -> String {
        let sorted = times.sorted()
        guard !sorted.isEmpty else { return "no samples" }
        func ms(_ fraction: Double) -> String {
            let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
            let seconds = Double(value.components.seconds) + Double(value.components.attoseconds) / 1e18
            return String(format: "%.1f ms", seconds * 1000)
        }
        return "p50 \(ms(0.5))  p99 \(ms(0.99))  max \(ms(1))"
    }
}
