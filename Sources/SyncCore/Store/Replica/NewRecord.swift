import SyncModel

/// A resident's new record, checked and built, with its row as the store
/// keeps it: everything about adding a record that needs no database.
///
/// Building is most of what adding a record costs (normalising, the field
/// rules, the clock, the JSON, sealing in an encrypted store), so an import
/// builds rows on one thread while the store writes them on another.
/// `ReplicaStore.addRecord` goes the same two steps.
///
/// A class: the thread that stores records takes each by one reference,
/// not by the dozen its fields hold (each retained and released across threads).
public final class NewRecord: Sendable {
    let state: EntityState
    /// The values as stored, normalised: what `ResidentIndex` compares.
    let values: [RecordField: String]
    let tags: [KeyPopulation]
    let indexEntry: ResidentIndex.Entry
    let form: StoredForm
    /// The state's JSON as stored: sealed in an encrypted store.
    let storedJSON: [UInt8]
    /// The node whose write made it: that node's first write to it (counter 1).
    let node: String
    let time: Int64
    /// The audit row's clerk and field names, as stored.
    let auditClerk: DatabaseValue
    let auditFields: DatabaseValue

    init(
        state: EntityState, values: [RecordField: String], tags: [KeyPopulation], indexEntry: ResidentIndex.Entry,
        form: StoredForm, storedJSON: [UInt8], node: String, time: Int64, auditClerk: DatabaseValue,
        auditFields: DatabaseValue
    ) {
        self.state = state
        self.values = values
        self.tags = tags
        self.indexEntry = indexEntry
        self.form = form
        self.storedJSON = storedJSON
        self.node = node
        self.time = time
        self.auditClerk = auditClerk
        self.auditFields = auditFields
    }
}

/// What building new records needs from a store, taken once: its node id,
/// today's date (that bounds typed dates), its cipher, and the clerk. A
/// value, so any thread can build with it while the store stays with its owner.
public struct NewRecordBuilder: Sendable {
    let node: String
    let today: CalendarDate
    let cipher: (any StoreCipher)?
    let clerk: String?

    /// The record fields in the order of their names.
    private static let fieldsByName = RecordField.allCases.sorted { $0.rawValue < $1.rawValue }

    /// Checks a new record the way every clerk's write is checked, and
    /// builds its first state: one write by this node that sets every field
    /// given. Throws `StoreError.invalid` naming the first field at fault.
    public func build(
        station: String, values: [RecordField: String], tags: [KeyPopulation] = [],
        id: String = Identifiers.newRecordID(), time: Int64
    ) throws -> NewRecord {
        let values = EntryNormalisation.normalise(values)
        do {
            try Identifiers.validateStation(station)
            try Identifiers.validateRecordID(id)
            for field in RecordField.required where values[field] == nil {
                throw ValidationError(field: field.rawValue, tr("is required", zh: "必须填写"))
            }
            for (field, value) in values where field != .tags {
                try field.validate(value, today: today)
            }
        } catch let error as ValidationError {
            throw StoreError.invalid(error)
        }
        // Pairs sorted by name, not a filtered dictionary: that hashed every
        // field again. Sorted by each field's place in name order, an
        // integer: comparing the names themselves cost more than the rest.
        var ranked: [(rank: Int, name: String, value: String)] = []
        ranked.reserveCapacity(values.count)
        for (field, value) in values where field != .tags {
            ranked.append((Self.fieldsByName.firstIndex(of: field)!, field.rawValue, value))
        }
        ranked.sort { $0.rank < $1.rank }
        let fields = ranked.map { (name: $0.name, value: $0.value) }
        let tagNames = Set(tags).map(\.rawValue).sorted()
        let state = EntityState.created(
            kind: .record, id: id, station: station, node: node, time: time, clerk: clerk, values: fields,
            setField: RecordField.tags.rawValue, members: tagNames)
        // The schema's own checks are not run again: with today's date the
        // field rules above are the stricter, and the station, id and
        // required fields are checked already. How the fields hang together is not.
        var touched = fields.map(\.name)
        if !tagNames.isEmpty {
            // The names are in order already: "tags" goes where it sorts.
            touched.insert(
                RecordField.tags.rawValue, at: touched.firstIndex { $0 > RecordField.tags.rawValue } ?? touched.count)
        }
        if RecordConsistency.fields.contains(where: touched.contains),
            let problem = RecordConsistency.problem(state, today: today)
        {
            throw StoreError.invalid(problem)
        }
        let form = StoredForm(state)
        let sealed = try ReplicaStore.seal(
            cipher, state: form.json, kind: .record, id: id, audit: (node, 1, clerk, ReplicaStore.auditNames(touched)))
        return NewRecord(
            state: state, values: values, tags: tags,
            indexEntry: ResidentIndex.Entry(newRecord: state, values: values, sortedTags: tagNames), form: form,
            storedJSON: sealed.state, node: node,
            time: time, auditClerk: sealed.clerk, auditFields: sealed.fields)
    }
}

extension ReplicaStore {
    /// A builder of new records by `clerk` at this node. Throws when the
    /// clerk's name breaks the rules, or the store is encrypted and locked.
    public func newRecordBuilder(clerk: String?) throws -> NewRecordBuilder {
        do throws(ValidationError) {
            try TextLimit.validateClerk(clerk)
        } catch {
            throw StoreError.invalid(error)
        }
        return NewRecordBuilder(
            node: nodeID, today: today(), cipher: isEncrypted ? try requireCipher() : nil, clerk: clerk)
    }

    /// Stores a record built by `newRecordBuilder`: its row under the next
    /// sequence number, waiting to be pushed, and its audit entry. Throws,
    /// writing nothing, when the store holds an entity of that id already.
    @discardableResult
    public func store(_ record: NewRecord) throws -> EntityState {
        let state = record.state
        return try writeTransaction {
            guard try insertIfNew(state, origin: nil, form: record.form, storedJSON: record.storedJSON) else {
                throw StoreError.invalid(
                    ValidationError(field: "id", tr("\(state.id) already exists", zh: "\(state.id) 已存在")))
            }
            if newRecordsPendingFrom == nil {
                try database.run("INSERT INTO pending (seq) VALUES (?)", [.integer(lastSeqInTransaction!)])
            }
            try insertAudit(
                kind: state.kind, id: state.id, write: Dot(node: record.node, counter: 1), time: record.time,
                action: "create", clerk: record.auditClerk, fields: record.auditFields)
            return state
        }
    }

    /// Runs `body`, which stores new records with `store(_:)` and writes
    /// nothing else, in one write transaction; their entries in `pending`
    /// (what waits to be pushed) are written together as it ends, in one
    /// statement: one statement a row was a sixth of an import's storing.
    public func storingNewRecords<T>(_ body: () throws -> T) throws -> T {
        try writeTransaction {
            precondition(newRecordsPendingFrom == nil, "storingNewRecords is not nested")
            let first = lastSeqInTransaction! + 1
            newRecordsPendingFrom = first
            defer { newRecordsPendingFrom = nil }
            let result = try body()
            try database.run(
                "INSERT INTO pending (seq) SELECT seq FROM entities WHERE seq >= ? ON CONFLICT (seq) DO NOTHING",
                [.integer(first)])
            return result
        }
    }
}
