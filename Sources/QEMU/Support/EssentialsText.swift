#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// What the agent's modules took from full Foundation (libFoundation, with ICU), done with the standard library,
// FoundationEssentials and the C library, so that `zoostack-agent` links neither.

extension StringProtocol {
    /// The text without leading and trailing white space and newlines, the scalars of Foundation's
    /// `CharacterSet.whitespacesAndNewlines`: Unicode's `White_Space` and U+200B (zero width space).
    package var trimmedWhitespace: String {
        let scalars = Substring(self).unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0.properties.isWhitespace || $0 == "\u{200B}" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}

extension String {
    /// The last component of a slash-separated path, as `NSString.lastPathComponent` gives it: `/a/b/` -> `b`,
    /// `/` -> `/`.
    package var lastPathComponentText: String {
        self.split(separator: "/").last.map(String.init) ?? (self.hasPrefix("/") ? "/" : "")
    }

    /// The path without its last component, as `NSString.deletingLastPathComponent` gives it: `/a/b/` -> `/a`,
    /// `/a` -> `/`, `a` -> empty.
    package var deletingLastPathComponentText: String {
        let components = self.split(separator: "/")
        let root = self.hasPrefix("/") ? "/" : ""
        guard components.count > 1 else { return root }
        return root + components.dropLast().joined(separator: "/")
    }
}

extension String {
    /// Whether the text sorts before `other` when runs of digits compare as numbers (`6.1.0-9` before
    /// `6.1.0-18`) and everything else by scalar, as `compare(_:options: .numeric)` orders them.
    package func precedesNumerically(_ other: String) -> Bool {
        let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        var left = Substring(self).unicodeScalars
        var right = Substring(other).unicodeScalars
        while let one = left.first, let two = right.first {
            if isDigit(one) && isDigit(two) {
                let leftRun = left.prefix(while: isDigit)
                let rightRun = right.prefix(while: isDigit)
                left = left.dropFirst(leftRun.count)
                right = right.dropFirst(rightRun.count)
                let leftNumber = leftRun.drop { $0 == "0" }
                let rightNumber = rightRun.drop { $0 == "0" }
                if leftNumber.count != rightNumber.count { return leftNumber.count < rightNumber.count }
                if !leftNumber.elementsEqual(rightNumber) { return leftNumber.lexicographicallyPrecedes(rightNumber) }
            } else {
                if one != two { return one < two }
                left = left.dropFirst()
                right = right.dropFirst()
            }
        }
        return left.isEmpty && !right.isEmpty
    }
}

extension Error {
    /// A one-line reason for a file-system error, for messages: a `CocoaError` from FileManager or `Data` as
    /// its POSIX cause (`No such file or directory`), any other error as its description (what
    /// `localizedDescription` gave, without full Foundation).
    package var reasonText: String {
        if let cocoa = self as? CocoaError {
            if let posix = cocoa.underlying as? POSIXError {
                return String(cString: strerror(posix.code.rawValue))
            }
            return "error \(cocoa.code.rawValue)"
        }
        if let posix = self as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        return String(describing: self)
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif

/// Reads and writes files with the C library, as Foundation's `FileHandle` did for the agent.
package enum FileBytes {
    /// Up to `count` bytes of the file at `path` from `offset` (fewer at its end).
    /// - Returns: the bytes, or nil when the file cannot be opened or read.
    package static func read(_ path: String, from offset: Int64 = 0, upTo count: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return self.read(descriptor, from: offset, upTo: count)
    }

    /// The last `count` bytes of the file at `path` (all of it when shorter), and its size.
    /// - Returns: nil when the file cannot be opened or read.
    package static func tail(_ path: String, upTo count: Int) -> (bytes: [UInt8], size: Int64)? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        let size = Int64(info.st_size)
        let start = max(size - Int64(count), 0)
        guard let bytes = self.read(descriptor, from: start, upTo: Int(size - start)) else { return nil }
        return (bytes, size)
    }

    /// Writes every byte to `descriptor`, retrying short and interrupted writes.
    /// - Returns: false on an error.
    @discardableResult
    package static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }

    /// Writes `bytes` as the whole file at `path`: into a temporary file beside it (created with `mode`), synced,
    /// then renamed over `path`, so that a reader sees the old file or the new one, never a part. Unlike
    /// `Data.write(to:options:)`, this does not link FoundationEssentials' temporary-file code (which uses
    /// `mktemp` and makes the static link warn).
    /// - Throws: `POSIXError` with the failing call's errno.
    package static func replaceFile(_ path: String, with bytes: [UInt8], mode: mode_t = 0o600) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Self.lastError() }
        guard self.writeAll(bytes, to: descriptor), fsync(descriptor) == 0 else {
            let error = Self.lastError()
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = Self.lastError()
            unlink(temporary)
            throw error
        }
    }

    private static func lastError() -> POSIXError {
        POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }

    private static func read(_ descriptor: Int32, from offset: Int64, upTo count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes[filled...].withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress, $0.count, off_t(offset) + off_t(filled))
            }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { return nil }
            if got == 0 { break }
            filled += got
        }
        return Array(bytes[..<filled])
    }
}
