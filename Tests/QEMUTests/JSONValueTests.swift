import Testing

@testable import QEMU

struct JSONValueTests {
    @Test func parsesEveryKind() throws {
        let text = #"{"a": null, "b": true, "c": 42, "d": 1.5, "e": "x", "f": [1, "y"], "g": {"h": false}}"#
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(
            value == ["a": nil, "b": true, "c": 42, "d": .double(1.5), "e": "x", "f": [1, "y"], "g": ["h": false]]
        )
    }

    @Test func serializesCompactWithSortedKeys() {
        let value: JSONValue = ["b": [1, true, nil], "a": "p/q"]
        #expect(value.jsonText == #"{"a":"p/q","b":[1,true,null]}"#)
    }

    @Test func notJSONIsAProtocolError() {
        #expect(throws: QEMUError(.protocolError, "malformed QMP message (5 bytes)")) {
            try JSONValue.parse(Array("{nope".utf8))
        }
    }

    @Test func framerKeepsPartialLinesAndDropsCarriageReturns() throws {
        var framer = QMPLineFramer(maxMessageLength: 8)
        #expect(try framer.append(Array("ab".utf8)) == [])
        #expect(try framer.append(Array("c\r\n\r\nde\n".utf8)) == [Array("abc".utf8), Array("de".utf8)])
        #expect(throws: QEMUError(.protocolError, "QMP message over 8 bytes")) {
            try framer.append(Array("123456789".utf8))
        }
    }
}
