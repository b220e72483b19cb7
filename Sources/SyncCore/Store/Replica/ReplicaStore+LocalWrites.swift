import SyncModel

/// Writes made by a clerk or operator at this node.
extension ReplicaStore {
    /// How a conflict on one field is settled.
    public enum Resolution: Sendable, Equatable {
        /// Keep candidate number N (1-based, in the order `candidates` lists them).
        case take(Int)
        /// Enter a new value (nil clears the field).
        case value(String?)
    }

    // MARK: - Records

    /// Adds a resident's record and returns it.
    @discardableResult
    public func addRecord(
        station: String, values: [RecordField: String], tags: [KeyPopulation] = [], clerk: String?,
        id: String = Identifiers.newRecordID()
    ) throws -> EntityState {
        try store(
            try newRecordBuilder(clerk: clerk).build(station: station, values: values, tags: tags, id: id, time: now()))
    }

    /// Edits fields of a record. Fields in conflict are refused: they are
    /// settled with `resolve`. Setting a field to the value it has is no change.
    @discardableResult
    public func editRecord(
        id: String, set: [RecordField: String?] = [:], addTags: [KeyPopulation] = [], removeTags: [KeyPopulation] = [],
        clerk: String?
    ) throws -> EntityState {
        guard let current = try entity(.record, id) else { throw StoreError.notFound(kind: .record, id: id) }
        try checkEditable(current)
        let set = set.reduce(into: [RecordField: String?]()) {
            $0[$1.key] = .some(EntryNormalisation.normaliseOptional($1.value, for: $1.key))
        }
        var changes: [EntityState.Change] = []
        var add = Set(addTags.map(\.rawValue))
        var remove = Set(removeTags.map(\.rawValue))
        do {
            for (field, value) in set.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                if field == .tags {
                    // `--set tags=a,b` names the whole set.
                    let wanted = try Set(Self.parseTags(value ?? "").map(\.rawValue))
                    let members = Set(current.members(RecordField.tags.rawValue))
                    add.formUnion(wanted.subtracting(members))
                    remove.formUnion(members.subtracting(wanted))
                    continue
                }
                if current.isInConflict(field.rawValue) {
                    throw StoreError.fieldInConflict(kind: .record, id: id, field: field.rawValue)
                }
                try field.validate(value, today: today())
                let unchanged =
                    current.fields[field.rawValue] == nil ? value == nil : current.value(field.rawValue) == value
                if !unchanged { changes.append(.set(field.rawValue, value)) }
            }
        } catch let error as ValidationError {
            throw StoreError.invalid(error)
        }
        let members = Set(current.members(RecordField.tags.rawValue))
        for tag in add.sorted() where !members.contains(tag) {
            changes.append(.addMember(RecordField.tags.rawValue, tag))
        }
        for tag in remove.sorted() where members.contains(tag) && !add.contains(tag) {
            changes.append(.removeMember(RecordField.tags.rawValue, tag))
        }
        guard !changes.isEmpty else { return current }
        return try localWrite(.record, id, station: current.station, action: "edit", clerk: clerk, changes: changes) {
            // Re-checked inside the transaction: another process may have merged meanwhile.
            guard let latest = $0 else { throw StoreError.notFound(kind: .record, id: id) }
            try self.checkEditable(latest)
            for case .set(let field, _) in changes where latest.isInConflict(field) {
                throw StoreError.fieldInConflict(kind: .record, id: id, field: field)
            }
        }
    }

    /// Marks a record deleted. Its data stays, and a concurrent edit elsewhere
    /// will show as a conflict rather than be lost.
    @discardableResult
    public func deleteRecord(id: String, clerk: String?) throws -> EntityState {
        try delete(.record, id, clerk: clerk)
    }

    /// Brings back a deleted record, as it was: the undo of `deleteRecord`.
    @discardableResult
    public func restoreRecord(id: String, clerk: String?) throws -> EntityState {
        guard let current = try entity(.record, id) else { throw StoreError.notFound(kind: .record, id: id) }
        if current.isInConflict(deletedField) { throw StoreError.deleteInConflict(kind: .record, id: id) }
        guard current.isDeleted else {
            throw StoreError.invalid(
                ValidationError(field: "id", tr("record \(id) is not deleted", zh: "档案 \(id) 没有被删除")))
        }
        return try localWrite(
            .record, id, station: current.station, action: "restore", clerk: clerk,
            changes: [.set(deletedField, "false")]
        ) {
            guard $0?.isDeleted == true else { throw StoreError.notFound(kind: .record, id: id) }
        }
    }

    /// Clears a month's count (it no longer counts in reports); setting it
    /// again brings it back.
    @discardableResult
    public func deleteTally(_ key: TallyKey, clerk: String?) throws -> EntityState {
        try delete(.tally, key.entityID, clerk: clerk)
    }

    func delete(_ kind: EntityKind, _ id: String, clerk: String?) throws -> EntityState {
        guard let current = try entity(kind, id) else { throw StoreError.notFound(kind: kind, id: id) }
        return try localWrite(
            kind, id, station: current.station, action: "delete", clerk: clerk,
            changes: [.set(deletedField, "true")]
        ) {
            guard let latest = $0 else { throw StoreError.notFound(kind: kind, id: id) }
            try self.checkEditable(latest)
        }
    }

    private func checkEditable(_ state: EntityState) throws {
        if state.isInConflict(deletedField) { throw StoreError.deleteInConflict(kind: state.kind, id: state.id) }
        if state.isDeleted { throw StoreError.deleted(kind: state.kind, id: state.id) }
    }

    /// Parses a comma-separated list of tags (codes or Chinese names).
    public static func parseTags(_ text: String) throws(ValidationError) -> [KeyPopulation] {
        var tags: [KeyPopulation] = []
        for name in tagNames(text) {
            guard !name.isEmpty else { continue }
            guard let tag = KeyPopulation(named: name) else {
                throw ValidationError(
                    field: "tags",
                    tr(
                        "unknown tag '\(name)': use one of \(KeyPopulation.allCases.map(\.rawValue).joined(separator: ", "))",
                        zh:
                            "未知标签 '\(name)'，可用的标签：\(KeyPopulation.allCases.map { "\($0.chineseName)（\($0.rawValue)）" }.joined(separator: "、"))"
                    )
                )
            }
            tags.append(tag)
        }
        return tags
    }

    /// The parts of a list of tags, trimmed. ASCII text, where every
    /// separator and space is one byte, is split byte by byte: the walk by
    /// Characters took three times as long, in every row of an import.
    private static func tagNames(_ text: String) -> [String] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == ";" || $0 == "、" }).map {
                String($0).trimmingWhitespace()
            }
        }
        // The ASCII white space `Character.isWhitespace` knows: tab, LF, VT, FF, CR, space.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        return text.utf8.split(whereSeparator: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") }).map {
            var part = $0
            while let first = part.first, isSpace(first) { part.removeFirst() }
            while let last = part.last, isSpace(last) { part.removeLast() }
            return String(Substring(part))
        }
    }

    // MARK: - Tallies

    /// Sets a monthly count. Refused while the count is in conflict.
    @discardableResult
    public func setTally(_ key: TallyKey, value: Int, comment: String? = nil, clerk: String?) throws -> EntityState {
        let comment = comment.map(EntryNormalisation.lineFeeds)
        do {
            try Identifiers.validateStation(key.station)
            try Identifiers.validateElement(key.element)
            if let isKnown = schema.isKnownElement, !isKnown(key.element) {
                throw ValidationError(
                    field: "element", tr("unknown data element '\(key.element)'", zh: "未知数据项 '\(key.element)'"))
            }
            _ = try Period.validated(key.period.description, today: today())
            _ = try TallyField.count(String(value))
            try TallyField.comment.validate(comment)
        } catch let error as ValidationError {
            throw StoreError.invalid(error)
        }
        var changes: [EntityState.Change] = [
            .set(TallyField.value.rawValue, String(value)), .set(deletedField, "false"),
        ]
        if let comment { changes.append(.set(TallyField.comment.rawValue, comment)) }
        let id = key.entityID
        return try localWrite(.tally, id, station: key.station, action: "set", clerk: clerk, changes: changes) {
            existing in
            guard let existing else { return }
            if existing.isInConflict(deletedField) { throw StoreError.deleteInConflict(kind: .tally, id: id) }
            for field in [TallyField.value.rawValue, TallyField.comment.rawValue] where existing.isInConflict(field) {
                if field == TallyField.comment.rawValue, comment == nil { continue }
                throw StoreError.fieldInConflict(kind: .tally, id: id, field: field)
            }
        }
    }

    // MARK: - Resolving

    /// Settles a conflict on one field with a write that has seen every
    /// candidate, so it supersedes them all wherever it travels.
    @discardableResult
    public func resolve(_ kind: EntityKind, _ id: String, field: String, _ resolution: Resolution, clerk: String?)
        throws -> EntityState
    {
        guard let current = try entity(kind, id) else { throw StoreError.notFound(kind: kind, id: id) }
        guard current.isInConflict(field) else { throw StoreError.notInConflict(kind: kind, id: id, field: field) }
        let value: String?
        switch resolution {
        case .take(let number):
            let candidates = current.candidates(field)
            guard (1...candidates.count).contains(number) else {
                throw StoreError.noSuchCandidate(field: field, number: number, count: candidates.count)
            }
            value = candidates[number - 1].value
        case .value(let typed):
            let newValue =
                kind == .record
                ? RecordField(rawValue: field).map { EntryNormalisation.normaliseOptional(typed, for: $0) } ?? typed
                : typed.map(EntryNormalisation.lineFeeds)
            value = newValue
            do {
                switch kind {
                case .record:
                    if field == deletedField {
                        guard newValue == "true" || newValue == "false" else {
                            throw ValidationError(
                                field: field,
                                tr(
                                    "is true (the record stays deleted) or false (it is restored); or keep one of the candidates",
                                    zh: "应为 true（档案保持删除）或 false（档案恢复）；也可以保留其中一个候选版本")
                            )
                        }
                    } else if let recordField = RecordField(rawValue: field) {
                        try recordField.validate(newValue, today: today())
                    }
                case .tally:
                    if let tallyField = TallyField(rawValue: field) { try tallyField.validate(newValue) }
                }
            } catch let error as ValidationError {
                throw StoreError.invalid(error)
            }
        }
        return try localWrite(
            kind, id, station: current.station, action: "resolve", clerk: clerk,
            changes: [.set(field, value)]
        ) { latest in
            guard latest?.isInConflict(field) == true else {
                throw StoreError.notInConflict(kind: kind, id: id, field: field)
            }
        }
    }

    // MARK: - The write path of edits

    /// Every write to an entity the store may hold goes here; a new record,
    /// which it cannot, is built apart and stored (`NewRecordBuilder`).
    func localWrite(
        _ kind: EntityKind, _ id: String, station: String, action: String, clerk: String?,
        changes: [EntityState.Change], check: (EntityState?) throws -> Void
    ) throws -> EntityState {
        do throws(ValidationError) {
            try TextLimit.validateClerk(clerk)
        } catch {
            throw StoreError.invalid(error)
        }
        return try writeTransaction {
            let existing = try storedEntity(kind, id)
            try check(existing?.state)
            var state = existing?.state ?? EntityState(kind: kind, id: id, station: station)
            let time = now()
            let dot = state.write(changes, node: nodeID, time: time, clerk: clerk)
            do {
                try schema.validate(state)
            } catch let error as ValidationError {
                throw StoreError.invalid(error)
            }
            // What the clerk writes must hang together; a record that came
            // in inconsistent from elsewhere is not blocked for other edits.
            // The fields written, sorted, each once: a sorted array, as a
            // set of a dozen short names cost more to hash than to sort.
            var touched = changes.map(\.field)
            touched.sort()
            touched.removeDuplicatesOfSorted()
            if kind == .record, RecordConsistency.fields.contains(where: touched.contains),
                let problem = RecordConsistency.problem(state, today: today())
            {
                throw StoreError.invalid(problem)
            }
            _ = try put(state, replacing: existing)
            let audit = try auditColumns(
                kind: kind, id: id, counter: dot.counter, clerk: clerk, fields: Self.auditNames(touched))
            try insertAudit(
                kind: kind, id: id, write: dot, time: time, action: action, clerk: audit.clerk, fields: audit.fields)
            return state
        }
    }
}

extension ReplicaStore {
    /// The audit row of the local write `write`: `clerk` and `fields` as
    /// stored (sealed in an encrypted store).
    func insertAudit(
        kind: EntityKind, id: String, write: Dot, time: Int64, action: String, clerk: DatabaseValue,
        fields: DatabaseValue
    ) throws {
        try database.run(
            "INSERT INTO audit (kind, id, node, counter, clerk, time, action, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                .text(kind.rawValue), .text(id), .text(write.node), .integer(Int64(write.counter)), clerk,
                .integer(time), .text(action), fields,
            ])
    }

    /// The audit trail's list of the fields a write touched (sorted, each
    /// once), joined by commas. Joined as bytes, each name's copied whole:
    /// String's `joined` (or `+=`) took 5–6k instructions a write, a byte
    /// at a time through `utf8` half that.
    static func auditNames(_ touched: [String]) -> String {
        var names: [UInt8] = []
        names.reserveCapacity(touched.reduce(touched.count) { $0 + $1.utf8.count })
        for (index, name) in touched.enumerated() {
            if index > 0 { names.append(UInt8(ascii: ",")) }
            var name = name
            name.withUTF8 { names.append(contentsOf: $0) }
        }
        return String(decoding: names, as: UTF8.self)
    }
}

extension Array where Element: Equatable {
    /// Keeps the first of each run of equal elements: every duplicate, once sorted.
    fileprivate mutating func removeDuplicatesOfSorted() {
        guard count > 1 else { return }
        var kept = 1
        for index in 1..<count where self[index] != self[kept - 1] {
            self[kept] = self[index]
            kept += 1
        }
        removeLast(count - kept)
    }
}
