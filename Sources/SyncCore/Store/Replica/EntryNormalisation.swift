import Foundation
import SyncModel

/// One rule for text a person enters, wherever it comes from (the command
/// line, a CSV file, a resolution): surrounding white space dropped, Unicode
/// in composed form (NFC), so "青禾村 " and "青禾村", or a name typed in
/// decomposed form, are the same value to every listing and filter. A
/// resident ID number is also folded to its usual form: full-width digits
/// and Ｘ to ASCII, a final x to X. In a note, a Windows line break (CR LF)
/// becomes a line feed, the one line break the field rules allow.
package enum EntryNormalisation {
    static func normalise(_ value: String, for field: RecordField) -> String {
        if isNormal(value, for: field) { return value }
        var text = composedTrimmed(value)
        if field == .note { text = lineFeeds(text) }
        if field == .idNumber, !text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x58 }) {
            text = String(
                String.UnicodeScalarView(
                    text.unicodeScalars.map { scalar in
                        switch scalar.value {
                        case 0xFF10...0xFF19: Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!
                        case 0xFF38, 0xFF58, 0x78: "X"
                        default: scalar
                        }
                    }))
        }
        return text
    }

    /// True when `normalise` would return `value` as it is, told in one
    /// walk over its bytes: ASCII and `isKnownText` scalars only (so NFC
    /// changes nothing), no white space at either end, no CR in a note, and
    /// no full-width digit, Ｘ or x in an ID number. Nearly every value
    /// entered is, and the general path took three walks and Foundation.
    private static func isNormal(_ value: String, for field: RecordField) -> Bool {
        withUTF8(of: value) { utf8 in
            guard let first = utf8.first, let last = utf8.last else { return true }
            // An end that is not ASCII is `isKnownText`, never white space, or the walk below says no.
            if (first < 0x80 && isSpace(Unicode.Scalar(first), newlines: true) != false)
                || (last < 0x80 && isSpace(Unicode.Scalar(last), newlines: true) != false)
            {
                return false
            }
            let note = field == .note
            let idNumber = field == .idNumber
            var offset = 0
            while offset < utf8.count {
                let byte = utf8[offset]
                if byte < 0x80 {
                    if (note && byte == 0x0D) || (idNumber && byte == 0x78) { return false }
                    offset += 1
                    continue
                }
                let (scalar, length) = scalar(at: offset, in: utf8)
                guard isKnownText(scalar) else { return false }
                if idNumber,
                    (0xFF10...0xFF19).contains(scalar.value) || scalar.value == 0xFF38 || scalar.value == 0xFF58
                {
                    return false
                }
                offset += length
            }
            return true
        }
    }

    /// Each value normalised for its field. The values are replaced in
    /// place: no key is hashed again and no table is built anew.
    static func normalise(_ values: [RecordField: String]) -> [RecordField: String] {
        guard values.contains(where: { !isNormal($0.value, for: $0.key) }) else { return values }
        var result = values
        for index in values.indices {
            let (field, value) = values[index]
            result.values[index] = normalise(value, for: field)
        }
        return result
    }

    static func normaliseOptional(_ value: String?, for field: RecordField) -> String? {
        value.map { normalise($0, for: field) }
    }

    /// `value` trimmed of white space and line breaks, in NFC: Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` then
    /// `precomposedStringWithCanonicalMapping`. Those two took almost half of
    /// an import's instructions; text of ASCII and common Chinese (nearly every cell)
    /// is already composed and its ends are easy to tell, so it skips them.
    static func composedTrimmed(_ value: String) -> String {
        if let trimmed = trimmed(value, newlines: true), isComposed(trimmed) { return trimmed }
        return value.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
    }

    /// `value` without the white space (and, with `newlines`, the line
    /// breaks) at its ends, as Foundation's `.whitespaces` and
    /// `.whitespacesAndNewlines` trim it, when the scalars at both ends are
    /// ones `isKnownText` knows; nil, for Foundation to decide, otherwise.
    package static func trimmed(_ value: String, newlines: Bool) -> String? {
        // Read from the bytes: the String views' first and last cost more
        // than the rest of a cell's normalisation.
        let ends = withUTF8(of: value) { utf8 -> (first: Unicode.Scalar, last: Unicode.Scalar)? in
            guard !utf8.isEmpty else { return nil }
            var last = utf8.count - 1
            while utf8[last] & 0xC0 == 0x80 { last -= 1 }
            return (scalar(at: 0, in: utf8).0, scalar(at: last, in: utf8).0)
        }
        // Nearly every cell: neither end is white space, and both are known.
        guard let ends else { return value }
        if isSpace(ends.first, newlines: newlines) == false && isSpace(ends.last, newlines: newlines) == false {
            return value
        }
        var scalars = Substring(value).unicodeScalars
        while let first = scalars.first {
            guard let space = isSpace(first, newlines: newlines) else { return nil }
            guard space else { break }
            scalars.removeFirst()
        }
        while let last = scalars.last {
            guard let space = isSpace(last, newlines: newlines) else { return nil }
            guard space else { break }
            scalars.removeLast()
        }
        if scalars.startIndex == value.startIndex && scalars.endIndex == value.endIndex { return value }
        return String(scalars)
    }

    /// Whether Foundation trims `scalar`: tab and space (and LF, VT, FF, CR
    /// with `newlines`) among ASCII; nil for a scalar `isKnownText` does not know.
    private static func isSpace(_ scalar: Unicode.Scalar, newlines: Bool) -> Bool? {
        switch scalar.value {
        case 0x09, 0x20: return true
        case 0x0A...0x0D: return newlines
        case 0..<0x80: return false
        default: return isKnownText(scalar) ? false : nil
        }
    }

    /// True when NFC leaves `text` as it is because every scalar is ASCII or
    /// `isKnownText`: scalars that neither decompose nor combine with a
    /// neighbour. False means "ask Foundation", not "not composed".
    static func isComposed(_ text: String) -> Bool {
        withUTF8(of: text) { utf8 in
            var offset = 0
            while offset < utf8.count {
                if utf8[offset] < 0x80 {
                    offset += 1
                    continue
                }
                let (scalar, length) = scalar(at: offset, in: utf8)
                guard isKnownText(scalar) else { return false }
                offset += length
            }
            return true
        }
    }

    /// `text` in NFC: itself when `isComposed` can tell, else Foundation's.
    static func composed(_ text: String) -> String {
        isComposed(text) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// The UTF-8 of `text`, without a copy for a native string, small or large.
    private static func withUTF8<T>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var text = text
        return text.withUTF8(body)
    }

    /// The scalar whose first byte is at `offset` of valid UTF-8, and its length.
    private static func scalar(at offset: Int, in utf8: UnsafeBufferPointer<UInt8>) -> (Unicode.Scalar, Int) {
        let lead = utf8[offset]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        var value = length == 1 ? UInt32(lead) : UInt32(lead) & (0xFF >> (length + 1))
        for index in (offset + 1)..<(offset + length) { value = value << 6 | UInt32(utf8[index] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// Scalars of Chinese text that are not white space, have no canonical
    /// decomposition and combine with nothing (canonical combining class 0):
    /// CJK ideographs (and extension A), the CJK punctuation 、。《》「」【】
    /// (not U+3000, a space, nor the tone marks U+302A–U+302F), the
    /// full-width forms of ASCII (，：；（）０–９), and the dashes, quotes and
    /// ellipsis of U+2010–U+2027.
    private static func isKnownText(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x3001...0x3029, 0xFF01...0xFF5E, 0x2010...0x2027: return true
        default: return false
        }
    }

    /// `text` with each CR LF as a single LF; a CR on its own stays (and is refused).
    static func lineFeeds(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        var scalars = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if previous == "\r" {
                if scalar != "\n" { scalars.append("\r") }
            }
            if scalar != "\r" { scalars.append(scalar) }
            previous = scalar
        }
        if previous == "\r" { scalars.append("\r") }
        return String(scalars)
    }
}
