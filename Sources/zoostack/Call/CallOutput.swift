import CloudAPI

/// How `zoostack call` prints a response: cmk's `json` and `table` output styles.
enum CallOutput: String, CaseIterable, Sendable {
    /// The response as JSON, envelope included.
    case json
    /// A bordered table: the items of a list, or the fields of one object.
    case table

    /// The items of a list response's envelope content (`{"count": n, "zone": [...]}`) with their key, or nil
    /// when the content is not a list.
    static func list(in content: APIValue) -> (key: String, items: [APIValue])? {
        guard case .object(let members) = content else { return nil }
        for (key, value) in members {
            if case .array(let items) = value, items.allSatisfy({ if case .object = $0 { true } else { false } }) {
                return (key, items)
            }
        }
        return nil
    }

    /// Whether `content` (an envelope's content) is a list response: one with an array of objects, or an empty
    /// list's `{}` / `{"count": n}`.
    static func isList(_ content: APIValue) -> Bool {
        guard case .object(let members) = content else { return false }
        return Self.list(in: content) != nil || members.allSatisfy { $0.0 == "count" }
    }

    /// A scalar's text, nil for objects and arrays.
    static func scalar(_ value: APIValue) -> String? {
        switch value {
        case .object, .array: nil
        default: value.stringValue
        }
    }

    /// The columns of a table of `items`, chosen as cmk does (every scalar field of the items, sorted), but with
    /// `id`, `name` and `state` first; nested objects and arrays are left out.
    static func columns(_ items: [APIValue]) -> [String] {
        var seen: Set<String> = []
        var fields: [String] = []
        for item in items {
            guard case .object(let members) = item else { continue }
            for (key, value) in members where Self.scalar(value) != nil && !seen.contains(key) {
                seen.insert(key)
                fields.append(key)
            }
        }
        let leading = ["id", "name", "state"].filter { seen.contains($0) }
        return leading + fields.filter { !leading.contains($0) }.sorted()
    }

    /// Renders rows as a bordered table (tablewriter's look: upper-case headers).
    static func table(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        let rule = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+"
        func line(_ cells: [String]) -> String {
            "|"
                + zip(cells, widths).map { cell, width in
                    " " + cell + String(repeating: " ", count: width - cell.count) + " "
                }.joined(separator: "|") + "|"
        }
        return ([rule, line(header.map { $0.uppercased() }), rule] + rows.map(line) + [rule]).joined(separator: "\n")
    }

    /// A list as a table, preceded by `count = n` and `key:` as cmk prints them; nothing for an empty list.
    static func listTable(_ content: APIValue) -> String {
        guard let (key, items) = Self.list(in: content) else {
            return content["count"].map { "count = \($0.stringValue ?? "")" } ?? ""
        }
        let columns = Self.columns(items)
        let rows = items.map { item in columns.map { item[$0].flatMap(Self.scalar) ?? "" } }
        var lines: [String] = []
        if let count = content["count"]?.stringValue { lines.append("count = \(count)") }
        lines.append("\(key):")
        lines.append(Self.table(header: columns, rows: rows))
        return lines.joined(separator: "\n")
    }

    /// One object as a two-column table of its scalar fields; an object wrapping one object (`{"virtualmachine":
    /// {...}}`, a job's `jobresult`) shows the inner one.
    static func objectTable(_ content: APIValue) -> String {
        var object = content
        if let result = content["jobresult"] { object = result }
        if case .object(let members) = object, members.count == 1, case .object = members[0].1 { object = members[0].1 }
        guard case .object(let members) = object else { return Self.scalar(object) ?? "" }
        let values = Dictionary(members) { first, _ in first }
        let rows = Self.columns([object]).map { [$0, values[$0].flatMap(Self.scalar) ?? ""] }
        return Self.table(header: ["field", "value"], rows: rows)
    }

    /// Renders a whole response (`{"<command>response": content}`).
    /// - Parameters:
    ///   - response: the parsed response.
    ///   - output: the chosen style, or nil for the default (table for lists, JSON otherwise).
    /// - Returns: the text to print.
    static func render(_ response: APIValue, as output: CallOutput?) -> String {
        let content: APIValue
        if case .object(let members) = response, members.count == 1 {
            content = members[0].1
        } else {
            content = response
        }
        let style = output ?? (Self.isList(content) && content["errorcode"] == nil ? .table : .json)
        switch style {
        case .json: return response.json
        case .table where content["errorcode"] != nil: return Self.objectTable(content)
        case .table: return Self.isList(content) ? Self.listTable(content) : Self.objectTable(content)
        }
    }
}
