import SyncModel

/// Finding a resident without the whole 36-character id.
extension ReplicaStore {
    /// The full id of the record whose id is `text`, starts with it, or else
    /// contains it (ids made one after another share long prefixes, so a
    /// clerk may give the last few characters instead). Tally ids pass
    /// through unchanged.
    public func resolveID(_ text: String) throws -> String {
        let typed = text.lowercased()
        guard EntityKind(ofID: typed) == .record else { return text }
        if try entity(.record, typed) != nil { return typed }
        var matches: [String] = []
        try database.forEach(
            "SELECT id FROM entities WHERE kind = 'record' AND id >= ? AND id < ? ORDER BY id LIMIT 2",
            [.text(typed), .text(typed + "\u{10FFFF}")]
        ) { matches.append($0.text(0) ?? "") }
        if matches.isEmpty, typed.count >= 4 {
            try database.forEach(
                "SELECT id FROM entities WHERE kind = 'record' AND id LIKE ? ESCAPE '\\' LIMIT 2",
                [
                    .text(
                        "%"
                            + typed.replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(
                                of: "_", with: "\\_"))
                ]
            ) { matches.append($0.text(0) ?? "") }
        }
        switch matches.count {
        case 0: throw StoreError.notFound(kind: .record, id: text)
        case 1: return matches[0]
        default: throw StoreError.ambiguousID(prefix: text, matches: matches.count)
        }
    }

    /// Live records whose name contains `text`, or whose ID number or phone
    /// number contains it (digits compared alone), in id order.
    public func findRecords(_ text: String) throws -> [EntityState] {
        let needle = text.trimmingWhitespace().lowercased()
        guard !needle.isEmpty else { return [] }
        let digits = String(needle.filter(\.isASCIIDigit))
        return try entities(.record).filter { state in
            if state.value("name")?.lowercased().contains(needle) == true { return true }
            if state.value("id_number")?.lowercased().contains(needle) == true { return true }
            if digits.count >= 4, let phone = state.value("phone"), phone.filter(\.isASCIIDigit).contains(digits) {
                return true
            }
            return false
        }
    }
}
