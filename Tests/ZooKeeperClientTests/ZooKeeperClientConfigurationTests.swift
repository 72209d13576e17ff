import Testing

@testable import ZooKeeperClient

@Suite("ZooKeeperClientConfiguration")
struct ZooKeeperClientConfigurationTests {
    @Test
    func connectStrings() throws {
        let plain = try ZooKeeperClientConfiguration(connectString: "127.0.0.1:2181")
        #expect(plain.servers == [.init(host: "127.0.0.1", port: 2181)])
        #expect(plain.chroot == nil)
        let many = try ZooKeeperClientConfiguration(connectString: "a:1, b ,c:3/app/x")
        #expect(many.servers == [.init(host: "a", port: 1), .init(host: "b", port: 2181), .init(host: "c", port: 3)])
        #expect(many.chroot == "/app/x")
        #expect(try ZooKeeperClientConfiguration(connectString: "h:1/").chroot == nil)
        let v6 = try ZooKeeperClientConfiguration(connectString: "[::1]:2182")
        #expect(v6.servers == [.init(host: "::1", port: 2182)])
    }

    @Test(arguments: ["", "/app", "h:0", "h:70000", "h:x", "h:1/app/"])
    func badConnectStrings(_ text: String) {
        #expect(throws: ZooKeeperClientConfiguration.InvalidConnectString.self) {
            _ = try ZooKeeperClientConfiguration(connectString: text)
        }
    }
}
