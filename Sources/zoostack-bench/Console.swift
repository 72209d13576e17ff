import Foundation

/// Where the benchmarks write: stdout for their figures, stderr for errors (as `zoostack` does).
enum Console {
    /// Writes a line to stdout (buffered; flushed at exit or by `flush()`).
    static func out(_ line: String) {
        print(line)
    }

    /// Writes a line to stderr, unbuffered.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Flushes stdout, so a reader of a pipe sees every line written so far.
    static func flush() {
        // nil flushes every C stream, which avoids touching the global `stdout` pointer from Swift 6 code.
        fflush(nil)
    }
}
