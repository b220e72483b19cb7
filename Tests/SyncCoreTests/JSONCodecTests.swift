import Testing
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport

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
        (
            "{\"kind\":\"record\",\"id\":\"x\",\"station\":\"S\",\"clock\":{\"a\":1},\"writes\":[[\"a\",2,0,null]]}",
            "not in the entity's clock"
        ),
        ("{\"kind\":\"record\",\"id\":\"x\",\"station\":\"S\",\"clock\":{},\"extra\":1}", "unknown key"),
        ("{\"kind\":\"record\",\"id\":\"\\ud800\"}", "escape"),
        (
            "{\"kind\":\"record\",\"id\":\"x\",\"station\":\"S\",\"clock\":{},\"fields\":{\"name\":[[3,\"x\"]]}}",
            "names write 3"
        ),
        // A field repeated after the names went out of order (found by the
        // fuzzer: the second list replaced the first, and a write only the
        // first referenced made the state differ from its own encoding).
        (
            #"{"kind":"record","id":"x","station":"S","clock":{"a":2},"writes":[["a",1,0,null],["a",2,0,null]],"fields":{"sex":[[0,"F"]],"birth":[[0,"1990-02-03"]],"tags":[[1,"diabetes"]],"note":[[0,"x"]],"tags":[[0,"pregnant"]]}}"#,
            "appears twice"
        ),
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

    /// Canonical bytes are recognised, so the hub can store a pushed state as
    /// it came instead of encoding it again.
    @Test func canonicalBytesAreRecognisedAsCanonical() throws {
        var state = EntityState.record(node: "a", ["note": "复诊 2026-10", "village": "青禾村"])
        state.write([.addMember("tags", "pregnant"), .addMember("tags", "diabetes")], node: "b", time: 5, clerk: "王")
        var other = state
        other.write([.set("village", "松岭村")], node: "c", time: -7, clerk: nil)
        state.write([.set("village", "南塘村")], node: "a", time: 9, clerk: "李")
        let conflicted = try state.merged(with: other)
        #expect(conflicted.isInConflict("village"))
        for candidate in [state, other, conflicted] {
            let bytes = candidate.encodedJSON()
            let found = try JSONReader.read(bytes) { reader in try EntityState.decodeJSONNotingCanonical(from: &reader)
            }
            #expect(found.state == candidate)
            #expect(found.canonical == 0..<bytes.count)
        }
        // Text the encoder has to escape is never taken as canonical: the
        // hub encodes such a state again, which is only slower.
        let escaped = EntityState.record(node: "a", ["note": "引号\" 反斜杠\\ 换行\n \u{1}"])
        let bytes = escaped.encodedJSON()
        let found = try JSONReader.read(bytes) { reader in try EntityState.decodeJSONNotingCanonical(from: &reader) }
        #expect(found.state == escaped)
        #expect(found.canonical == nil)
    }

    /// Anything the encoder would write differently is not taken as canonical,
    /// though it decodes to a valid state (the same one, but for an
    /// unreferenced write, which is dropped).
    @Test(arguments: [
        ("white space", [(",\"station\"", ", \"station\"")]),
        ("keys out of order", [("\"kind\":\"record\",\"id\":\"r1\"", "\"id\":\"r1\",\"kind\":\"record\"")]),
        ("clock out of order", [("{\"a\":2,\"b\":1}", "{\"b\":1,\"a\":2}")]),
        ("fields out of order", [("\"note\":[[2,\"x\"]],\"tags\"", "\"tags\""), ("}}", ",\"note\":[[2,\"x\"]]}}")]),
        ("entries out of order", [("[[1,\"diabetes\"],[1,\"pregnant\"]]", "[[1,\"pregnant\"],[1,\"diabetes\"]]")]),
        ("a leading zero", [("\"b\":1}", "\"b\":01}")]),
        ("an escape", [("青禾村", "\\u9752禾村")]),
        ("minus zero", [("[\"a\",1,0,", "[\"a\",1,-0,")]),
        ("an empty field", [(",\"name\":", ",\"household\":[],\"name\":")]),
        (
            "an unreferenced write",
            [
                ("{\"a\":2,\"b\":1}", "{\"a\":3,\"b\":1}"),
                ("[\"a\",2,7,null]]", "[\"a\",2,7,null],[\"a\",3,0,null]]"),
            ]
        ),
    ])
    func nonCanonicalFormsAreNotTakenAsCanonical(_ change: String, _ replacements: [(String, String)]) throws {
        var state = EntityState(kind: .record, id: "r1", station: "S01")
        state.write([.set("name", "张三"), .set("village", "青禾村")], node: "a", time: 0, clerk: nil)
        state.write([.addMember("tags", "pregnant"), .addMember("tags", "diabetes")], node: "b", time: 5, clerk: "王")
        state.write([.set("note", "x")], node: "a", time: 7, clerk: nil)
        let canonical = String(decoding: state.encodedJSON(), as: UTF8.self)
        let altered = replacements.reduce(canonical) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        #expect(altered != canonical, "the alteration \(change) did not apply to \(canonical)")
        let found = try JSONReader.read(Array(altered.utf8)) { reader in
            try EntityState.decodeJSONNotingCanonical(from: &reader)
        }
        #expect(found.canonical == nil, "\(change) taken as canonical")
        if change != "an unreferenced write" {
            #expect(
                String(decoding: found.state.encodedJSON(), as: UTF8.self) == canonical, "\(change) changed the state")
        }
    }

    /// Ill-formed sequences of every shape are refused, including a cut
    /// 4-byte sequence, which repair replaces with a U+FFFD of the same
    /// length; a real U+FFFD and other valid text are kept as sent.
    @Test(
        arguments: [
            [0xF0, 0x9F, 0x98], [0xE4, 0xB8], [0xFF], [0xC0, 0xAE], [0xED, 0xA0, 0x80], [0x80],
            [0xF4, 0x90, 0x80, 0x80],
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
