/// A response tree, serialized as CloudStack's JSON or XML. Objects keep their key order.
public indirect enum APIValue: Sendable, Hashable {
    /// A string.
    case string(String)
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case double(Double)
    /// A boolean (a real JSON boolean, as CloudStack sends since #2428).
    case bool(Bool)
    /// An ordered object.
    case object([(String, APIValue)])
    /// An array.
    case array([APIValue])
    /// A value already serialized as JSON (a job's stored result): written as is in JSON, parsed for XML and
    /// for member access, so a job poll does not parse and re-serialize its result.
    case rawJSON(String)

    public static func == (lhs: APIValue, rhs: APIValue) -> Bool {
        lhs.json == rhs.json
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.json)
    }

    /// The member `key` of an object.
    public subscript(key: String) -> APIValue? {
        if case .rawJSON(let text) = self { return Self.parse(json: text)?[key] }
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The string value, if any (numbers rendered as text).
    public var stringValue: String? {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        case .object, .array, .rawJSON: nil
        }
    }

    /// JSON text.
    public var json: String {
        var out = ""
        self.writeJSON(into: &out)
        return out
    }

    func writeJSON(into out: inout String) {
        switch self {
        case .string(let value): Self.writeJSONString(value, into: &out)
        case .int(let value): out += String(value)
        case .double(let value): out += value.isFinite ? String(value) : "0"
        case .bool(let value): out += value ? "true" : "false"
        case .object(let members):
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                Self.writeJSONString(key, into: &out)
                out += ":"
                value.writeJSON(into: &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.writeJSON(into: &out)
            }
            out += "]"
        case .rawJSON(let text):
            out += text
        }
    }

    static func writeJSONString(_ text: String, into out: inout String) {
        out += "\""
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// XML text of this value as the content of element `name`; arrays repeat the element.
    func writeXML(name: String, into out: inout String) {
        switch self {
        case .array(let items):
            for item in items { item.writeXML(name: name, into: &out) }
        case .object(let members):
            out += "<\(name)>"
            for (key, value) in members { value.writeXML(name: key, into: &out) }
            out += "</\(name)>"
        case .string, .int, .double, .bool:
            out += "<\(name)>\(Self.xmlEscaped(self.stringValue ?? ""))</\(name)>"
        case .rawJSON(let text):
            (Self.parse(json: text) ?? .object([])).writeXML(name: name, into: &out)
        }
    }

    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
