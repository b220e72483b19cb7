import Foundation
import SyncModel

/// One rule for text a person enters, wherever it comes from (the command
/// line, a CSV file, a resolution): surrounding white space dropped, Unicode
/// in composed form (NFC), so "青禾村 " and "青禾村", or a name typed in
/// decomposed form, are the same value to every listing and filter. A
/// resident ID number is also folded to its usual form: full-width digits
/// and Ｘ to ASCII, a final x to X.
enum EntryNormalisation {
    static func normalise(_ value: String, for field: RecordField) -> String {
        var text = value.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
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
}
