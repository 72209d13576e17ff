import Testing

@testable import CloudStore

@Suite("Snake-case column names")
struct SnakeCaseKeysTests {
    @Test("property names map to the schema's column names")
    func conversion() {
        #expect(SnakeCaseKeys.snakeCased("cpuOverprovisioning") == "cpu_overprovisioning")
        #expect(SnakeCaseKeys.snakeCased("ipAddress") == "ip_address")
        #expect(SnakeCaseKeys.snakeCased("id") == "id")
        #expect(SnakeCaseKeys.snakeCased("myURLValue") == "my_url_value")
        #expect(SnakeCaseKeys.snakeCased("ip6Address") == "ip6_address")
    }
}
