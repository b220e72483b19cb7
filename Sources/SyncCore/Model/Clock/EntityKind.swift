/// What an entity is: a resident's health record or one monthly tally cell.
public enum EntityKind: String, Sendable, CaseIterable, Codable {
    case record
    case tally

    /// Fields that hold a set (each entry one member) rather than one value.
    func isSetField(_ name: String) -> Bool {
        self == .record && name == RecordField.tags.rawValue
    }

    /// The kind as a Chinese message names it (the English ones use the raw value).
    public var chineseName: String {
        switch self {
        case .record: "档案"
        case .tally: "月报数"
        }
    }
}

/// The register that marks an entity deleted ("true") or alive ("false").
///
/// Every write stamps it, so a delete concurrent with any edit leaves two
/// candidates here: a conflict, never a silent resurrection or a silent loss.
package let deletedField = "deleted"

extension EntityKind {
    /// The kind an id names: tally ids are STATION/YYYY-MM/ELEMENT, record ids UUIDs.
    public init(ofID id: String) {
        self = id.contains("/") ? .tally : .record
    }
}
