import Foundation
import SyncModel

/// One rule for text a person enters, wherever it comes from (the command
/// line, a CSV file, a resolution): surrounding white space dropped, Unicode
/// in composed form (NFC), so "青禾村 " and "青禾村", or a name typed in
/// decomposed form, are the same value to every listing and filter. A
/// resident ID number is also folded to its usual form: full-width digits
/// and Ｘ to ASCII, a final x to X. In a note, a Windows line break (CR LF)
/// becomes a line feed, the one line break the field rules allow.
enum EntryNormalisation {
    static func normalise(_ value: String, for field: RecordField) -> String {
        var text = value.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        if field == .note { text = lineFeeds(text) }
        if field == .idNumber {
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

    static func normaliseOptional(_ value: String?, for field: RecordField) -> String? {
        value.map { normalise($0, for: field) }
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
