import Logging
import NIOCore
import PostgresKit

/// PostgreSQL behind the store's one SQL text: an `SQLDatabase` that forwards to postgres-kit's, with the two
/// adjustments that let statements written for SQLite's dynamic typing run unchanged.
///
/// - Strings, integers and booleans are bound *untyped* (OID 0, text format), so the server infers each parameter's
///   type from where it appears: `bigint_column = $1` with `"0"` (a ``ListQuery`` filter), `substr(path, $2)` with
///   an integer (PostgreSQL has `substr(text, integer)` but no `substr(text, bigint)`), and `is_ready = $1` with a
///   Swift `Bool` written into an `INTEGER` flag column (`1` / `0`, as SQLite stores them).
/// - Rows decode `Bool` from those integer flag columns (non-zero is true).
struct PortablePostgresDatabase: SQLDatabase {
    /// postgres-kit's database (a pool, or one pooled connection inside ``withSession(_:)``).
    let base: any SQLDatabase

    var logger: Logger { self.base.logger }
    var eventLoop: any EventLoop { self.base.eventLoop }
    var dialect: any SQLDialect { self.base.dialect }
    var version: (any SQLDatabaseReportedVersion)? { self.base.version }
    var queryLogLevel: Logger.Level? { self.base.queryLogLevel }

    func execute(
        sql query: any SQLExpression,
        _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        self.base.execute(sql: self.portable(query)) { onRow(IntegerFlagRow(base: $0)) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await self.base.execute(sql: self.portable(query)) { onRow(IntegerFlagRow(base: $0)) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await self.base.withSession { session in
            try await closure(PortablePostgresDatabase(base: session))
        }
    }

    /// The query serialized in PostgreSQL's dialect, with its binds made untyped.
    private func portable(_ query: any SQLExpression) -> SerializedQuery {
        let (sql, binds) = self.serialize(query)
        return SerializedQuery(sql: sql, binds: binds.map(Self.untyped))
    }

    private static func untyped(_ value: any Encodable & Sendable) -> any Encodable & Sendable {
        switch value {
        case let string as String: UntypedParameter(text: string)
        case let integer as Int: UntypedParameter(text: String(integer))
        case let integer as Int64: UntypedParameter(text: String(integer))
        case let integer as Int32: UntypedParameter(text: String(integer))
        case let flag as Bool: UntypedParameter(text: flag ? "1" : "0")
        default: value
        }
    }
}

/// SQL text already serialized (placeholders numbered) with its binds.
private struct SerializedQuery: SQLExpression {
    let sql: String
    let binds: [any Encodable & Sendable]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(self.sql)
        serializer.binds += self.binds
    }
}

/// A parameter sent as text with no type (OID 0): PostgreSQL infers its type from the statement.
struct UntypedParameter: PostgresDynamicTypeEncodable, Encodable, Sendable {
    /// The value's text form.
    let text: String

    var psqlType: PostgresDataType { PostgresDataType(0) }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeString(self.text)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.text)
    }
}

/// A row that decodes `Bool` (and `Bool?`) from integer flag columns, as SQLite does.
private struct IntegerFlagRow: SQLRow {
    let base: any SQLRow

    var allColumns: [String] { self.base.allColumns }

    func contains(column: String) -> Bool { self.base.contains(column: column) }

    func decodeNil(column: String) throws -> Bool { try self.base.decodeNil(column: column) }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        if D.self == Bool.self, let flag = (try self.base.decode(column: column, as: Int.self) != 0) as? D {
            return flag
        }
        if D.self == Bool?.self {
            let flag: Bool? =
                try self.base.decodeNil(column: column) ? nil : try self.base.decode(column: column, as: Int.self) != 0
            if let result = flag as? D { return result }
        }
        return try self.base.decode(column: column, as: D.self)
    }
}
