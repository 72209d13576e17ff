import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds free TCP ports on the loopback interface, as go-zookeeper's test cluster and Hummingbird's `.live`
/// testing do.
///
/// Each port is found by binding `127.0.0.1:0` and reading back the port the kernel chose. The socket is then
/// closed, so another process could in principle take the port before the caller binds it; on a test machine
/// the window is small enough to ignore.
public enum FreePort {
    /// Returns one free loopback port.
    ///
    /// - Returns: A TCP port number that was free on `127.0.0.1` a moment ago.
    /// - Throws: ``ApacheZooKeeperError`` with code `portAllocationFailed` if no socket could be bound.
    public static func allocate() throws -> Int {
        try allocate(count: 1)[0]
    }

    /// Returns `count` distinct free loopback ports.
    ///
    /// All sockets stay bound until every port is known, so the ports are distinct from one another.
    ///
    /// - Parameter count: How many ports to find.
    /// - Returns: `count` distinct TCP port numbers.
    /// - Throws: ``ApacheZooKeeperError`` with code `portAllocationFailed` if a socket could not be bound.
    public static func allocate(count: Int) throws -> [Int] {
        var descriptors: [Int32] = []
        defer {
            for descriptor in descriptors {
                _ = close(descriptor)
            }
        }
        var ports: [Int] = []
        for _ in 0..<count {
            let descriptor = try boundSocket()
            descriptors.append(descriptor)
            ports.append(try localPort(of: descriptor))
        }
        return ports
    }

    private static func boundSocket() throws -> Int32 {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else {
            throw failure("socket()")
        }
        var address = loopbackAddress(port: 0)
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let error = failure("bind(127.0.0.1:0)")
            _ = close(descriptor)
            throw error
        }
        return descriptor
    }

    private static func localPort(of descriptor: Int32) throws -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                getsockname(descriptor, socketAddress, &length)
            }
        }
        guard result == 0 else {
            throw failure("getsockname()")
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func failure(_ call: String) -> ApacheZooKeeperError {
        ApacheZooKeeperError(
            code: .portAllocationFailed,
            message: "\(call) failed: \(String(cString: strerror(errno)))"
        )
    }
}

/// A `sockaddr_in` for `127.0.0.1:port`.
func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    // 127.0.0.1 in network byte order.
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    #if canImport(Darwin)
    address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
    #endif
    return address
}
