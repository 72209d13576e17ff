import CloudCore
import Testing

/// `prometheus.exporter.allowed.ips` as a pure rule: addresses and CIDR blocks, IPv4 and IPv6.
struct ScrapeAllowListTests {
    @Test(arguments: [
        ("127.0.0.0/8,::1", "127.0.0.1", true),
        ("127.0.0.0/8,::1", "127.1.2.3", true),
        ("127.0.0.0/8,::1", "::1", true),
        ("127.0.0.0/8,::1", "::ffff:127.0.0.1", true),
        ("127.0.0.0/8,::1", "198.18.0.1", false),
        ("198.18.0.0/15", "198.19.255.255", true),
        ("198.18.0.0/15", "198.20.0.0", false),
        ("198.18.0.7", "198.18.0.7", true),
        ("198.18.0.7", "198.18.0.8", false),
        (" 198.18.0.7 , 2001:db8::/32", "2001:db8:1::5", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("0.0.0.0/0", "203.0.113.9", true),
        ("0.0.0.0/0", "::1", false),
        ("", "127.0.0.1", false),
        ("not-an-address,198.18.0.0/33,127.0.0.1/x", "127.0.0.1", false),
        ("127.0.0.1", "localhost", false),
    ])
    func matches(_ setting: String, _ client: String, _ allowed: Bool) {
        #expect(ScrapeAllowList(setting).allows(client) == allowed)
    }

    @Test func anUnknownClientNeverMay() {
        #expect(!ScrapeAllowList("0.0.0.0/0,::/0").allows(nil))
    }
}
