import Foundation

/// Where a store's database lives: a SQLite file (or memory) or a PostgreSQL server.
public enum StoreLocation: Sendable, Hashable {
    /// A SQLite database file; nil for an in-memory database.
    case sqlite(path: String?)
    /// A PostgreSQL database, as a `postgres://user:password@host:port/database` URL.
    case postgres(url: String)

    /// Parses `sqlite:PATH`, `sqlite::memory:`, `postgres://...` / `postgresql://...`, or a plain file path.
    /// - Parameter text: the location.
    /// - Throws: ``StoreError`` when the text names neither.
    public init(parsing text: String) throws(StoreError) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            guard URL(string: text)?.host?.isEmpty == false else {
                throw StoreError(.database, "invalid PostgreSQL URL (expected postgres://user:pass@host:port/db)")
            }
            self = .postgres(url: text)
        } else if lowered.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            self = .sqlite(path: path.isEmpty || path == ":memory:" ? nil : path)
        } else if !text.isEmpty, !text.contains("://") {
            self = .sqlite(path: text)
        } else {
            throw StoreError(.database, "unsupported database location (use a path, sqlite:PATH or postgres://...)")
        }
    }

    /// The location without a password, for logs.
    public var redacted: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path ?? ":memory:")"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://"
        }
    }
}
