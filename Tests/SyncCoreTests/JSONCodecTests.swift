import Testing
@testable import SyncCore

@Suite struct JSONCodecTests {
    @Test func stateRoundTripsThroughCanonicalBytes() throws {
        var state = EntityState.record(node: "a", ["note": "引号\" 反斜杠\\ 换行\n \u{1}"])
        state.write([.addMember("tags", "pregnant")], node: "b", time: 5, clerk: "王")
        let bytes = state.encodedJSON()
        let decoded = try EntityState.decodeJSON(bytes)
        #expect(decoded == state)
        #expect(decoded.encodedJSON() == bytes)
    }

    @Test(arguments: [
        ("{\"kind\":\"record\"", "ends too early"),
        ("{\"kind\":\"patient\",\"id\":\"x\"}", "unknown entity kind"),
        ("{\"kind\":\"record\",\"id\":5}", "id must be a string, not a number"),
        ("{\"kind\":\"record\",\"id\":\"x\",\"station\":\"S\",\"clock\":{\"a\":-1}}", "must not be negative"),
        ("{\"kind\":\"record\",\"id\":\"x\",\"station\":\"S\",\"clock\":{\"a\":99999999999999999999}}", "out of range"),
        ("{\"kind\":\"record\",\"id\":\"x\",\"station\":\"S\",\"clock\":{\"a\":1},\"writes\":[[\"a\",2,0,null]]}", "not in the entity's clock"),
        ("{\"kind\":\"record\",\"id\":\"x\",\"station\":\"S\",\"clock\":{},\"extra\":1}", "unknown key"),
        ("{\"kind\":\"record\",\"id\":\"\\ud800\"}", "escape"),
        ("{\"kind\":\"record\",\"id\":\"x\",\"station\":\"S\",\"clock\":{},\"fields\":{\"name\":[[3,\"x\"]]}}", "names write 3"),
    ])
    func malformedStatesAreRefusedWithAReason(json: String, reason: String) {
        do {
            _ = try EntityState.decodeJSON(Array(json.utf8))
            Issue.record("accepted: \(json)")
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
        }
    }

    @Test func invalidUTF8IsRefused() {
        var bytes = Array("{\"kind\":\"record\",\"id\":\"".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"}".utf8)
        #expect(throws: JSONError(.invalidUTF8, at: 23)) { try EntityState.decodeJSON(bytes) }
    }

    /// Ill-formed sequences of every shape are refused, including a cut
    /// 4-byte sequence, which repair replaces with a U+FFFD of the same
    /// length; a real U+FFFD and other valid text are kept as sent.
    @Test(arguments: [
        [0xF0, 0x9F, 0x98], [0xE4, 0xB8], [0xFF], [0xC0, 0xAE], [0xED, 0xA0, 0x80], [0x80], [0xF4, 0x90, 0x80, 0x80],
    ] as [[UInt8]])
    func illFormedUTF8InAStringIsRefused(_ sequence: [UInt8]) {
        let bytes = Array("\"a".utf8) + sequence + Array("b\"".utf8)
        #expect(throws: JSONError(.invalidUTF8, at: 1)) {
            try JSONReader.read(bytes) { reader in try reader.readString("a name") }
        }
    }

    @Test func validUTF8InAStringIsKeptAsSent() throws {
        for text in ["张秀英", "a\u{FFFD}b", "😀 ok", "plain", ""] {
            let bytes = Array("\"\(text)\"".utf8)
            #expect(try JSONReader.read(bytes) { reader in try reader.readString("a name") } == text)
        }
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONError.self) {
            try JSONReader.read(Array(deep.utf8)) { reader in try reader.skipValue() }
        }
    }
}
