/// The longest text each field may hold, in UTF-8 bytes: one definition that
/// every writer (data entry, CSV import, an operator's resolution, a push)
/// and every reader (the decoder, the store, the hub) applies alike, so that
/// nothing one part accepts is refused by another.
///
/// Bytes, not characters: a "character" (grapheme cluster) can be any number
/// of bytes ("a" followed by half a million combining marks is one), so a
/// limit in characters bounds nothing. Each limit is three times the
/// characters a clerk would type, since a Chinese character is three bytes.
public enum TextLimit {
    /// A record field's limit.
    public static func bytes(of field: RecordField) -> Int {
        switch field {
        case .name: return 150
        case .note: return 3_000
        case .household: return 96
        case .village: return 300
        default: return 192
        }
    }

    /// A tally's comment.
    public static let comment = 1_500
    /// The clerk or operator named with a write.
    public static let clerk = 150

    /// Nil when `text` fits in `limit` bytes, else why not, for a clerk.
    public static func problem(_ text: String, limit: Int) -> String? {
        let bytes = text.utf8.count
        guard bytes > limit else { return nil }
        return tr(
            "is \(bytes) bytes long (\(text.count) characters); at most \(limit) bytes are allowed, about \(limit / 3) Chinese characters",
            zh: "长 \(bytes) 字节（\(text.count) 个字符），最多允许 \(limit) 字节，约 \(limit / 3) 个汉字")
    }

    /// Checks the name recorded with a write: its length, and one line
    /// without hidden characters (`TextCharacters`).
    public static func validateClerk(_ clerk: String?) throws(ValidationError) {
        guard let clerk else { return }
        if let problem = problem(clerk, limit: Self.clerk) { throw ValidationError(field: "clerk", problem) }
        if let problem = TextCharacters.problem(clerk) { throw ValidationError(field: "clerk", problem) }
    }
}
