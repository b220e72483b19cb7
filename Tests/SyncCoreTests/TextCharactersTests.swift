import Foundation
import Testing
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncModel
@testable import SyncStore

/// The one rule for hidden characters in text fields (`TextCharacters`),
/// and the escaping that makes what is already stored safe to print.
@Suite struct TextCharactersTests {
    let directory = TemporaryDirectory()

    /// Every character the rule refuses, as listed in issue 14.
    static let refused: [Unicode.Scalar] = {
        var values: [UInt32] = Array(0x00...0x1F) + [0x7F] + Array(0x80...0x9F)
        values += [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
        values += [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x2028, 0x2029]
        return values.map { Unicode.Scalar($0)! }
    }()

    /// Neighbours of the refused ones, and text clerks type: all allowed.
    static let allowed: [Unicode.Scalar] = [
        " ", "~", "\u{A0}", "\u{A1}", "\u{061B}", "\u{061D}", "\u{200A}", "\u{2010}", "\u{2027}", "\u{202F}",
        "\u{205F}", "\u{2061}", "\u{2065}", "\u{206A}", "\u{FEFE}", "\u{FF01}", "张", "村", "\u{3000}", "😀", "\u{301}",
    ]

    static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    @Test func theByteScanAndTheCharacterRuleAgreeOnEveryCharacter() {
        // Between other text, so a pattern's neighbours cannot hide or fake one.
        func offset(_ text: String, multiLine: Bool) -> Int? {
            var text = text
            return text.withUTF8 { TextCharacters.firstRefused(in: $0, multiLine: multiLine) }
        }
        var disagreements: [String] = []
        for value in Array(UInt32(0)...0xFFFF) + [0x1_0000, 0x1_F600, 0x2_0000, 0x10_FFFF] {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "张" + String(Character(scalar)) + "a"
            for multiLine in [false, true] {
                let expected = TextCharacters.isRefused(scalar, multiLine: multiLine) ? 3 : nil
                if offset(text, multiLine: multiLine) != expected {
                    disagreements.append("\(Self.code(scalar)) multiLine \(multiLine)")
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    @Test func theRuleRefusesExactlyTheListedCharacters() {
        for scalar in Self.refused {
            let multiLineAllows = scalar == "\n" || scalar == "\t"
            #expect(TextCharacters.isRefused(scalar), "\(Self.code(scalar))")
            #expect(TextCharacters.isRefused(scalar, multiLine: true) == !multiLineAllows, "\(Self.code(scalar))")
        }
        let listed = Set(Self.refused.map(\.value))
        let refusedInBMP = (UInt32(0)...0xFFFF).compactMap { Unicode.Scalar($0) }.filter {
            TextCharacters.isRefused($0)
        }
        #expect(Set(refusedInBMP.map(\.value)) == listed)
        for scalar in Self.allowed {
            #expect(!TextCharacters.isRefused(scalar), "\(Self.code(scalar))")
        }
    }

    @Test func everyOneLineFieldRefusesEachCharacterNamingFieldCodeAndPosition() throws {
        let fields: [RecordField] = [.name, .village, .household, .phone, .idNumber, .tags, .sex, .birth]
        for scalar in Self.refused {
            let text = "王a" + String(Character(scalar)) + "芳"
            for field in fields {
                do {
                    try field.validate(text, today: nil)
                    Issue.record("\(field) took \(Self.code(scalar))")
                } catch {
                    #expect(error.field == field.rawValue)
                    #expect(error.description.contains("(\(Self.code(scalar))) at character 3"), "\(error)")
                }
            }
            #expect(throws: ValidationError.self) { try TextLimit.validateClerk(text) }
        }
        // A NUL is refused too, though no command line can carry one.
        #expect(TextCharacters.problem("a\u{0}")?.contains("(U+0000) at character 2") == true)
    }

    @Test func multiLineFieldsAllowLineFeedAndTabAndNothingElseOfTheList() throws {
        for field in ["note", "comment"] {
            func check(_ text: String) throws {
                if field == "note" {
                    try RecordField.note.validate(text, today: nil)
                } else {
                    try TallyField.comment.validate(text)
                }
            }
            try check("第一行\n第二行\t完")
            for scalar in Self.refused where scalar != "\n" && scalar != "\t" {
                let text = "a\n" + String(Character(scalar))
                #expect(throws: ValidationError.self, "\(field) \(Self.code(scalar))") { try check(text) }
            }
            // CR LF passes (older stores hold it; entry stores LF); a CR alone never does.
            try check("a\r\nb")
            do {
                try check("a\rb")
                Issue.record("\(field) took a carriage return")
            } catch let error as ValidationError {
                #expect(
                    error.description
                        == "\(field): contains a carriage return (U+000D) at character 2: remove it and enter the text again"
                )
            }
        }
        // The message names a line break in a one-line field as such.
        #expect(
            TextCharacters.problem("王\n芳")
                == "contains a line break (U+000A) at character 2: this field is one line of text")
        #expect(
            TextCharacters.problem("\u{202E}cba")
                == "contains a text-direction control (U+202E) at character 1: remove it and enter the text again")
        #expect(
            TextCharacters.problem("ab\u{200B}")
                == "contains an invisible character (U+200B) at character 3: remove it and enter the text again")
    }

    /// Entry, CSV import (which enters through `addRecord`), a resolution,
    /// and the hub's checks of a received state: the same refusal.
    @Test func everyWriterRefusesTheSameCharactersAndWritesNothing() throws {
        let store = try makeStore(directory)
        defer { store.close() }
        let kept = try store.addRecord(station: "S01", values: sampleRecord, clerk: "李")
        let before = try fingerprint(store)
        var values = sampleRecord
        values[.village] = "东\u{202E}村"
        #expect(throws: StoreError.invalid(ValidationError(field: "village", TextCharacters.problem("东\u{202E}村")!))) {
            try store.addRecord(station: "S01", values: values, clerk: "李")
        }
        #expect(throws: StoreError.self) { try store.editRecord(id: kept.id, set: [.name: "张\u{200B}三"], clerk: "李") }
        #expect(throws: StoreError.self) {
            try store.addRecord(station: "S01", values: sampleRecord, clerk: "李\u{1B}[8m")
        }
        #expect(throws: StoreError.self) {
            try store.editRecord(id: kept.id, set: [.note: "\u{1B}]0;PWNED\u{7}"], clerk: "李")
        }
        let key = TallyKey(station: "S01", period: Period("2026-10")!, element: "LIVE_BIRTHS")
        #expect(throws: StoreError.self) { try store.setTally(key, value: 3, comment: "a\u{1B}\nb", clerk: "李") }
        #expect(try fingerprint(store) == before)

        // A resolution goes through the same checks.
        var one = kept
        one.write([.set("village", "南村")], node: "n1", time: 1, clerk: "a")
        var two = kept
        two.write([.set("village", "北村")], node: "n2", time: 1, clerk: "b")
        try store.merge(try one.merged(with: two), from: .hub)
        let conflicted = try fingerprint(store)
        #expect(throws: StoreError.self) {
            try store.resolve(.record, kept.id, field: "village", .value("南\u{2028}村"), clerk: "李")
        }
        #expect(try fingerprint(store) == conflicted)

        // A received state: the schema every node applies, and the hub's push.
        var received = kept
        received.write([.set("household", "12\u{85}")], node: "n3", time: 2, clerk: "c")
        #expect(throws: ValidationError.self) { try EntitySchema().validate(received) }
        var signed = kept
        signed.write([.set("note", "ok")], node: "n3", time: 2, clerk: "王\u{202E}")
        #expect(throws: ValidationError(field: "clerk", TextCharacters.problem("王\u{202E}")!)) {
            try EntitySchema().validate(signed)
        }
        let body = PushRequest.encode(node: "n3", encodedStates: [received.encodedJSON(), signed.encodedJSON()])
        let prepared = try HubService.prepare(body, schema: EntitySchema())
        #expect(prepared.acceptedCount == 0)
    }

    @Test func aWindowsLineBreakInANoteOrCommentIsStoredAsALineFeed() throws {
        let store = try makeStore(directory)
        defer { store.close() }
        var values = sampleRecord
        values[.note] = "第一行\r\n第二行"
        let record = try store.addRecord(station: "S01", values: values, clerk: "李")
        #expect(record.value("note") == "第一行\n第二行")
        let key = TallyKey(station: "S01", period: Period("2026-10")!, element: "LIVE_BIRTHS")
        let tally = try store.setTally(key, value: 3, comment: "a\r\nb", clerk: "李")
        #expect(tally.value("comment") == "a\nb")
        // A carriage return on its own is not a line break anyone meant.
        values[.note] = "a\rb"
        #expect(throws: StoreError.self) { try store.addRecord(station: "S01", values: values, clerk: "李") }
    }

    // MARK: - Showing what is stored

    @Test func terminalTextEscapesEveryRefusedCharacterAndLeavesOtherTextAlone() {
        #expect(TerminalText.escaped("张三 Li Lei 😀") == "张三 Li Lei 😀")
        #expect(TerminalText.escaped("a\u{1B}[2Jb") == "a\\u{1B}[2Jb")
        #expect(TerminalText.escaped("\u{1B}]0;PWNED\u{7}") == "\\u{1B}]0;PWNED\\u{7}")
        #expect(TerminalText.escaped("a\u{202E}b\u{200B}\u{85}\u{7F}") == "a\\u{202E}b\\u{200B}\\u{85}\\u{7F}")
        #expect(TerminalText.escaped("a\nb\tc") == "a\\u{A}b\\u{9}c")
        #expect(TerminalText.escaped("a\nb\tc\u{1B}", keepingLineBreaks: true) == "a\nb\tc\\u{1B}")
        for scalar in Self.refused {
            let shown = TerminalText.escaped("x" + String(Character(scalar)))
            #expect(!TextCharacters.contains(shown), "\(Self.code(scalar))")
        }
    }

    @Test func tableCellsShowHiddenCharactersEscapedAndStayAligned() {
        var table = TextTable(headers: ["NAME", "NOTE"])
        table.add(["\u{1B}[8m王芳", "\u{202E}abc\r\nx"])
        table.add(["李四", "ok"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines[2] == "\\u{1B}[8m王芳  \\u{202E}abc x")
        #expect(lines[3] == "李四           ok")
        #expect(!lines.joined().unicodeScalars.contains { TextCharacters.isRefused($0) })
    }

    @Test func jsonForPeopleEscapesBidiAndInvisibleCharactersAndDecodesToTheSameText() throws {
        let text = "a\u{1B}\u{7F}\u{85}\u{202E}\u{2066}\u{200B}\u{FEFF}\u{2028}\n\t\"\\张"
        let json = JSONValue.object([("note\u{202E}", .string(text))]).text
        #expect(
            json == "{\"note\\u202e\":\"a\\u001b\\u007f\\u0085\\u202e\\u2066\\u200b\\ufeff\\u2028\\n\\t\\\"\\\\张\"}")
        #expect(!TextCharacters.contains(json))
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
        #expect(decoded == ["note\u{202E}": text])
        // The wire's canonical form is unchanged: only what JSON requires is escaped.
        var writer = JSONWriter()
        writer.string("\u{202E}\u{7F}")
        #expect(writer.bytes == Array("\"\u{202E}\u{7F}\"".utf8))
    }

    @Test func recordAndConflictTextShowStoredEscapesEscaped() throws {
        let hostile = "\u{1B}[2J\u{1B}]0;PWNED\u{7}\u{202E}"
        var state = EntityState.record(node: "a", ["note": hostile, "village": hostile])
        var other = state
        state.write([.set("village", "南\u{1B}[8m")], node: "a", time: 2, clerk: "\u{1B}[8m王")
        other.write([.set("village", "北\u{9B}31m")], node: "b", time: 3, clerk: "李\u{2067}")
        let merged = try state.merged(with: other)
        for text in [
            EntityRendering.recordText(merged, program: "station"),
            EntityRendering.conflictText(merged, program: "hub"),
            EntityRendering.recordTable([merged], showStation: true),
            EntityRendering.recordJSON(merged).text, EntityRendering.conflictsJSON(merged).text,
        ] {
            #expect(!text.unicodeScalars.contains { TextCharacters.isRefused($0, multiLine: true) }, "\(text)")
        }
        #expect(EntityRendering.conflictText(merged, program: "hub").contains("\\u{1B}[8m王"))
    }

    @Test func aWindowsLineBreakStoredBeforeTheRuleStillPassesSoTheRecordSyncs() {
        // Entry turns CR LF into LF; a note from an older store may still hold
        // CR LF, and every receiver must take it, or that record never syncs.
        #expect(TextCharacters.problem("第一行\r\n第二行", multiLine: true) == nil)
        #expect(TextCharacters.problem("回车\r单独", multiLine: true) != nil)
        #expect(TextCharacters.problem("第一行\r\n第二行") != nil)
    }
}
