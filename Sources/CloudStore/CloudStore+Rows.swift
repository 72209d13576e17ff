import CloudModel
import SQLiteKit

extension CloudStore {
    /// Inserts a Codable row into `table`, columns in snake case.
    func insert<Row: Encodable & Sendable>(_ row: Row, into table: String) async throws(StoreError) {
        try await self.guarded("insert \(table)") {
            try await self.sql.insert(into: table).model(row, keyEncodingStrategy: .convertToSnakeCase).run()
        }
    }

    /// Lists rows of `table` decoded as `Row`, with filters, keyword search on `name` and paging.
    func list<Row: Decodable & Sendable>(
        _ table: String,
        as: Row.Type,
        query: ListQuery,
        stateColumn: String = "state"
    ) async throws(StoreError) -> ListPage<Row> {
        var conditions = SQLQueryString("1 = 1")
        for (column, value) in query.equals {
            conditions.appendInterpolation(unsafeRaw: " AND \(column) = ")
            conditions.appendInterpolation(bind: value)
        }
        for (column, value) in query.equalsIgnoringCase {
            conditions.appendInterpolation(unsafeRaw: " AND lower(\(column)) = ")
            conditions.appendInterpolation(bind: value.lowercased())
        }
        if let ids = query.idIn {
            conditions.appendInterpolation(unsafeRaw: " AND \(query.inColumn) IN (")
            if ids.isEmpty { conditions.appendInterpolation(unsafeRaw: "NULL") }
            for (index, id) in ids.enumerated() {
                if index > 0 { conditions.appendInterpolation(unsafeRaw: ", ") }
                conditions.appendInterpolation(bind: id)
            }
            conditions.appendInterpolation(unsafeRaw: ")")
        }
        if let keyword = query.keyword, !keyword.isEmpty {
            conditions.appendInterpolation(unsafeRaw: " AND lower(\(query.keywordColumn)) LIKE ")
            conditions.appendInterpolation(bind: "%\(keyword.lowercased())%")
        }
        for (column, value) in query.atLeast {
            conditions.appendInterpolation(unsafeRaw: " AND \(column) >= ")
            conditions.appendInterpolation(bind: value)
        }
        for (column, value) in query.atMost {
            conditions.appendInterpolation(unsafeRaw: " AND \(column) <= ")
            conditions.appendInterpolation(bind: value)
        }
        if let scope = query.domainScope {
            let domains: SQLQueryString =
                scope.recursive
                ? "SELECT id FROM domain WHERE substr(path, 1, \(bind: scope.path.unicodeScalars.count)) = \(bind: scope.path)"
                : "SELECT id FROM domain WHERE path = \(bind: scope.path)"
            switch scope.column {
            case .account(let column):
                conditions.appendInterpolation(
                    unsafeRaw: " AND \(column) IN (SELECT account.id FROM account WHERE account.domain_id IN ("
                )
                conditions.appendInterpolation(domains)
                conditions.appendInterpolation(unsafeRaw: "))")
            case .domain(let column):
                conditions.appendInterpolation(unsafeRaw: " AND \(column) IN (")
                conditions.appendInterpolation(domains)
                conditions.appendInterpolation(unsafeRaw: ")")
            }
        }
        switch query.projects {
        case .only(let column, let memberId?):
            conditions.appendInterpolation(
                unsafeRaw: " AND \(column) IN (SELECT project.account_id FROM project JOIN project_account ON "
                    + "project_account.project_id = project.id WHERE project_account.account_id = "
            )
            conditions.appendInterpolation(bind: memberId)
            conditions.appendInterpolation(unsafeRaw: ")")
        case .only(let column, nil):
            conditions.appendInterpolation(unsafeRaw: " AND \(column) IN (SELECT account_id FROM project)")
        case .exclude(let column):
            conditions.appendInterpolation(
                unsafeRaw: " AND (\(column) IS NULL OR \(column) NOT IN (SELECT account_id FROM project))"
            )
        case nil:
            break
        }
        for state in query.excludeStates {
            // A literal, not a bind, so that SQLite can use partial indexes `WHERE state <> '...'`; the states
            // come from code (never from callers) and are checked to be plain words all the same.
            guard state.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw StoreError(.database, "invalid state filter")
            }
            conditions.appendInterpolation(unsafeRaw: " AND \(stateColumn) <> '\(state)'")
        }
        for column in query.isNull {
            conditions.appendInterpolation(unsafeRaw: " AND \(column) IS NULL")
        }
        if !query.tags.isEmpty, let resourceType = query.tagResourceType {
            conditions.appendInterpolation(
                unsafeRaw: " AND EXISTS (SELECT 1 FROM resource_tag WHERE resource_tag.resource_id = \(table).id"
            )
            conditions.appendInterpolation(unsafeRaw: " AND resource_tag.resource_type = ")
            conditions.appendInterpolation(bind: resourceType)
            conditions.appendInterpolation(unsafeRaw: " AND (")
            for (index, tag) in query.tags.enumerated() {
                conditions.appendInterpolation(unsafeRaw: index > 0 ? " OR (" : "(")
                conditions.appendInterpolation(unsafeRaw: "resource_tag.\"key\" = ")
                conditions.appendInterpolation(bind: tag.key)
                if let value = tag.value {
                    conditions.appendInterpolation(unsafeRaw: " AND resource_tag.\"value\" = ")
                    conditions.appendInterpolation(bind: value)
                }
                conditions.appendInterpolation(unsafeRaw: ")")
            }
            conditions.appendInterpolation(unsafeRaw: "))")
        }
        let filter = conditions
        return try await self.guarded("list \(table)") {
            var select: SQLQueryString = "SELECT * FROM \(ident: table) WHERE \(filter) ORDER BY rowid"
            if query.newestFirst { select.appendInterpolation(unsafeRaw: " DESC") }
            if let size = query.pageSize {
                let offset = ListQuery.offset(page: query.page, size: size)
                select.appendInterpolation(unsafeRaw: " LIMIT \(size) OFFSET \(offset)")
            }
            let items = try await self.sql.raw(select).all(
                decoding: Row.self,
                keyDecodingStrategy: SnakeCaseKeys.strategy
            )
            // The total needs a count only when this page may not hold every match.
            let complete = query.pageSize.map { query.page <= 1 && items.count < $0 } ?? true
            let total =
                complete
                ? items.count
                : try await self.sql.raw("SELECT count(*) AS n FROM \(ident: table) WHERE \(filter)")
                    .first(decodingColumn: "n", as: Int.self) ?? 0
            return ListPage(total: total, items: items)
        }
    }

    /// Fetches one row by id.
    func row<Row: Decodable & Sendable>(_ table: String, id: String, as: Row.Type) async throws(StoreError) -> Row? {
        try await self.guarded("read \(table)") {
            try await self.sql.raw("SELECT * FROM \(ident: table) WHERE id = \(bind: id)")
                .first(decoding: Row.self, keyDecodingStrategy: SnakeCaseKeys.strategy)
        }
    }

    /// Fetches one row by id or throws ``StoreError/Kind/notFound``.
    func required<Row: Decodable & Sendable>(_ table: String, id: String, as: Row.Type) async throws(StoreError) -> Row
    {
        guard let row = try await self.row(table, id: id, as: Row.self) else {
            throw StoreError(.notFound, "\(table) \(id) not found")
        }
        return row
    }
}
