import Foundation

/// Reads a test setting from the environment, in the manner of postgres-nio's `env()` helper.
///
/// Integration tests take their settings (`ZOOSTACK_ZK_HOME`, `ZOOSTACK_PG_URL`, ...) from environment
/// variables with defaults, so that a bare `swift test` works on a machine set up by `scripts/test.sh`.
///
/// - Parameters:
///   - name: The environment variable to read.
///   - defaultValue: The value to use when the variable is unset or empty.
/// - Returns: The variable's value, or `defaultValue`.
public func env(_ name: String, default defaultValue: String) -> String {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
        return defaultValue
    }
    return value
}
