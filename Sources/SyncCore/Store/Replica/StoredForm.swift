import SyncModel

/// What the `entities` table holds for one state: its canonical bytes and the
/// flags queries filter on.
///
/// Computing it needs no database, so the hub computes it for every pushed
/// state before the state reaches the database thread (most pushed states are
/// stored exactly as they came: a new entity, or one that descends the hub's).
public struct StoredForm: Sendable {
    public let json: [UInt8]
    let conflict: Bool
    let deleted: Bool
    /// A tally's period, for the reports' index.
    let period: String?

    /// `canonical`: the state's bytes as received, when the decoder found
    /// them already canonical; they are stored as they are, not encoded again.
    public init(_ state: EntityState, canonical: [UInt8]? = nil) {
        if let canonical {
            assert(canonical == state.encodedJSON(), "bytes taken as canonical differ from the state's encoding")
            json = canonical
        } else {
            json = state.encodedJSON()
        }
        conflict = state.hasConflict
        deleted = state.isDeleted
        period = state.kind == .tally ? (try? TallyKey(entityID: state.id))?.period.description : nil
    }
}
