import Testing

@testable import CloudModel

struct HostIdFilterTests {
    @Test(
        "members always pass, and ids differing in length or first 8 bytes never do",
        arguments: [
            ["", "a", "host-1", "12345678", "123456789", "9f1c0c1e-3f5b-4a77-9d7e-0a4c1f2b3c4d"],
            ["ünïcødé-host", "h"],
        ]
    )
    func membership(ids: [String]) {
        let filter = HostIdFilter(ids)
        for id in ids {
            #expect(filter.mayContain(id))
        }
        #expect(!filter.mayContain("zzzzzzzzzz-not-there"))
        #expect(!filter.mayContain("host-2"))
    }

    @Test func emptyFilterContainsNothing() {
        let filter = HostIdFilter([String]())
        #expect(filter.isEmpty)
        #expect(!filter.mayContain(""))
    }

    @Test func equalIdsHaveEqualKeys() {
        let long = "9f1c0c1e-3f5b-4a77-9d7e-0a4c1f2b3c4d"
        let rebuilt = String(long.dropFirst(0).prefix(36))
        #expect(HostIdFilter.key(long) == HostIdFilter.key(rebuilt))
        #expect(HostIdFilter.key("abc") == HostIdFilter.key(String("xabc".dropFirst())))
    }
}
