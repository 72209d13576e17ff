import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows that an async job is pending: a spinner with the job id and the elapsed time, redrawn in place on
/// stderr, only when stderr is a terminal (scripts and pipes see nothing).
struct JobProgress: Sendable {
    /// Whether anything is drawn.
    let enabled: Bool

    static let frames = ["|", "/", "-", "\\"]

    /// Draws only when stderr is a TTY.
    static func forStandardError() -> JobProgress {
        JobProgress(enabled: isatty(STDERR_FILENO) == 1)
    }

    /// Redraws the line for poll number `poll`.
    func update(jobId: String, poll: Int, elapsed: Duration) {
        guard self.enabled else { return }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let frame = Self.frames[poll % Self.frames.count]
        let line = "\r\u{1B}[K\(frame) job \(jobId) pending, \(String(format: "%.1f", seconds)) s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the line.
    func finish() {
        guard self.enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
