import SyncModel

/// Text about to be printed to a terminal, made safe to show: every
/// character the field rules refuse (`TextCharacters`: controls, DEL, bidi
/// controls, zero-width and invisible characters, line separators) is
/// written as a visible escape such as `\u{1B}`, so a value stored before the
/// rule, or received from elsewhere, can neither drive the terminal (clear
/// the screen, set the window title, hide text) nor reorder what is shown.
public enum TerminalText {
    /// `text` with each refused character escaped. With `keepingLineBreaks`,
    /// line feeds and tabs stay as they are (for text of several lines);
    /// else they are escaped too, and the result is one line.
    public static func escaped(_ text: String, keepingLineBreaks: Bool = false) -> String {
        // Most text holds nothing to escape: it comes back as it is.
        guard TextCharacters.contains(text, multiLine: keepingLineBreaks) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if TextCharacters.isRefused(scalar, multiLine: keepingLineBreaks) {
                result.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// `\u{1B}`: one character as Swift writes it in a string, hex in upper case.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }
}
