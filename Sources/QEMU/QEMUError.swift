/// The one error table of the QEMU driver: what went wrong, in terms an operator can act on. Messages name the
/// tool or QMP command and carry what QEMU itself said (its `desc`, its last stderr line), never file contents.
public struct QEMUError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// A program the driver needs (`qemu-system-x86_64`, `qemu-img`, `xorriso`, ...) is not installed.
        case toolMissing
        /// A program ran and failed (non-zero exit); the message carries the end of its stderr.
        case toolFailed
        /// QEMU did not start, or exited before its QMP socket answered; the message carries QEMU's own words.
        case launchFailed
        /// The QMP peer broke the protocol (no greeting, malformed JSON, an oversized message) or went away.
        case protocolError
        /// QMP answered a command with an error (`{"error": {"class": ..., "desc": ...}}`).
        case commandFailed
        /// No live QEMU process where one was expected (adopting a run directory whose QEMU is gone).
        case notRunning
        /// Something did not happen within its time limit.
        case timeout
        /// An input file is not what it claims to be (format, size, layout).
        case invalidImage
    }

    /// The code.
    public var code: Code
    /// What happened.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(self.code.rawValue): \(self.message)" }
}
