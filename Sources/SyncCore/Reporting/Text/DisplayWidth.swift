import SyncModel

/// How many terminal columns text takes: Chinese, Japanese and Korean
/// characters and emoji take two, combining marks and invisible characters
/// none, everything else one. Used to line up tables and reports whose cells
/// mix Chinese and Latin text.
public enum DisplayWidth {
    /// The number of terminal columns `s` takes.
    public static func of(_ s: String) -> Int {
        var width = 0
        for scalar in s.unicodeScalars {
            width &+= of(scalar)
        }
        return width
    }

    /// The number of terminal columns one scalar takes: 0, 1 or 2.
    @inline(__always)
    static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        // Most cells are ASCII or common ideographs: answer those without
        // looking at Unicode properties.
        if value < 0x7F { return value >= 0x20 ? 1 : 0 }
        if value >= 0x4E00 && value <= 0x9FFF { return 2 }
        return nonASCIIWidth(scalar)
    }

    static func nonASCIIWidth(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch value {
        case 0x7F...0x9F:  // DEL and the C1 controls
            return 0
        case 0x3400...0x4DBF, 0xAC00...0xD7A3:  // CJK extension A, Hangul syllables
            return 2
        // Invisible format characters: zero-width space and joiners, direction
        // marks and embeddings, word joiner, and the byte-order mark that
        // spreadsheets leave at the start of a cell.
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0xFEFF:
            return 0
        default:
            break
        }
        // Checked before the wide ranges: some combining marks (the ideographic
        // tone marks, the kana voicing marks) sit inside CJK blocks.
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .control:
            return 0
        default:
            break
        }
        return isWide(value) ? 2 : 1
    }

    /// East Asian Wide and Fullwidth ranges, plus the emoji blocks that
    /// terminals draw two columns wide.
    static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F,  // Hangul Jamo initial consonants
            0x2E80...0x2FFF,  // CJK radicals, Kangxi radicals, ideographic description
            0x3000...0x303F,  // CJK symbols and punctuation
            0x3040...0x30FF,  // Hiragana, Katakana
            0x3100...0x31FF,  // Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes
            0x3200...0x33FF,  // enclosed CJK letters, CJK compatibility
            0x3400...0x4DBF,  // CJK extension A
            0x4E00...0x9FFF,  // CJK unified ideographs
            0xA000...0xA4CF,  // Yi
            0xA960...0xA97F,  // Hangul Jamo extended A
            0xAC00...0xD7A3,  // Hangul syllables
            0xF900...0xFAFF,  // CJK compatibility ideographs
            0xFE10...0xFE19,  // vertical forms
            0xFE30...0xFE6F,  // CJK compatibility forms, small form variants
            0xFF00...0xFF60,  // fullwidth forms
            0xFFE0...0xFFE6,  // fullwidth signs
            0x1F200...0x1F2FF,  // enclosed ideographic supplement
            0x1F300...0x1FAFF,  // emoji and pictographs
            0x20000...0x2FFFD,  // CJK extensions B to F
            0x30000...0x3FFFD:  // CJK extensions G and H
            return true
        default:
            return false
        }
    }

    /// `s` with spaces added to fill `width` columns: after it, or before it
    /// when `alignRight`. Text already as wide or wider comes back unchanged.
    public static func pad(_ s: String, to width: Int, alignRight: Bool = false) -> String {
        let missing = width - of(s)
        guard missing > 0 else { return s }
        let spaces = String(repeating: " ", count: missing)
        return alignRight ? spaces + s : s + spaces
    }

    /// `s` cut to at most `width` columns, ending in "…" when anything was cut.
    /// Cuts between characters, never inside one: a wide character that would
    /// cross the limit is left out, and combining marks stay with their base.
    public static func truncate(_ s: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard of(s) > width else { return s }
        // One column is kept for the ellipsis.
        let budget = width - 1
        var used = 0
        var end = s.startIndex
        while end < s.endIndex {
            let next = s.index(after: end)
            var characterWidth = 0
            for scalar in s.unicodeScalars[end..<next] {
                characterWidth += of(scalar)
            }
            guard used + characterWidth <= budget else { break }
            used += characterWidth
            end = next
        }
        return s[..<end] + "…"
    }
}
