import Foundation

/// The built `zoostack` executable that the process tests and `zoostack-bench cluster` run.
public enum ZooStackBinary {
    /// `$ZOOSTACK_BINARY`, or `zoostack` next to the running test bundle or executable (`.build/debug`,
    /// `.build/release`): SwiftPM builds every product of the package into one directory.
    public static let url: URL = {
        if let path = ProcessInfo.processInfo.environment["ZOOSTACK_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = Bundle.main.bundleURL
        // On Linux the bundle is the test executable's directory; on macOS it is the .xctest bundle beside it.
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("zoostack")
    }()

    /// The lean host agent, `zoostack-agent` (the same command as `zoostack agent`, linking only the agent):
    /// `$ZOOSTACK_AGENT_BINARY`, or `zoostack-agent` beside ``url`` (it may not have been built).
    public static let agentURL: URL = {
        if let path = ProcessInfo.processInfo.environment["ZOOSTACK_AGENT_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        return Self.url.deletingLastPathComponent().appendingPathComponent("zoostack-agent")
    }()
}
