import Testing
@testable import HubCore
@testable import OperatorCommands
@testable import Reporting
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport

@Suite struct StoreTests {
    @Test func changesFeedListsEveryChangeInOrderInBoundedPages() throws {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        var ids: [String] = []
        for index in 0..<25 {
            var values = sampleRecord
            values[.note] = "n\(index)"
            ids.append(try store.addRecord(station: "S01", values: values, clerk: nil).id)
        }
        // Editing an early record moves it to the end of the feed.
        try store.editRecord(id: ids[0], set: [.village: "西村"], clerk: nil)
        var since: Int64 = 0
        var seen: [String] = []
        var seqs: [Int64] = []
        while true {
            let page = try store.changes(since: since, limit: 10)
            if page.isEmpty { break }
            #expect(page.count <= 10)
            seqs += page.map(\.seq)
            seen += try page.map { try $0.decode().id }
            since = page.last!.seq
        }
        #expect(seen.count == 25)
        #expect(seen.last == ids[0])
        #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)
    }

    @Test func writesAreRecordedInTheAuditTrailWithoutValues() throws {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        let record = try store.addRecord(station: "S01", values: sampleRecord, clerk: "李医生")
        try store.editRecord(id: record.id, set: [.phone: "13911112222"], clerk: "王护士")
        let rows = try store.database.rows("SELECT clerk, action, fields, node FROM audit ORDER BY n") {
            [$0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "", $0.text(3) ?? ""]
        }
        #expect(rows.count == 2)
        #expect(rows[0][0] == "李医生" && rows[0][1] == "create")
        #expect(rows[1] == ["王护士", "edit", "phone", store.nodeID])
        #expect(!rows.flatMap { $0 }.contains { $0.contains("13911112222") })
        let stamp = try #require(try store.entity(.record, record.id)?.candidates("phone").first)
        #expect(try store.entity(.record, record.id)?.stamps[stamp.dot]?.clerk == "王护士")
    }

    @Test func nodeIDIsStableAcrossReopening() throws {
        let directory = TemporaryDirectory()
        let first = try makeStore(directory).nodeID
        #expect(try makeStore(directory).nodeID == first)
        #expect(try makeStore(directory, "other.sqlite").nodeID != first)
    }

    @Test(arguments: [
        ("birth", "1980-02-30", "not a real date"),
        ("birth", "2030-01-01", "in the future"),
        ("sex", "X", "must be F (female) or M (male)"),
        ("id_number", "110105198006150026", nil as String?),
        ("id_number", "110105194912310021", "check digit"),
        ("phone", "12ab", "7 to 15 digits"),
        ("name", "", "cannot be empty"),
    ])
    func badRecordValuesAreRefusedNamingTheFieldAndChangeNothing(field: String, value: String, message: String?) throws
    {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        try store.addRecord(station: "S01", values: sampleRecord, clerk: nil)
        let before = try fingerprint(store)
        var values = sampleRecord
        values[RecordField(rawValue: field)!] = value
        if let message {
            do {
                try store.addRecord(station: "S01", values: values, clerk: nil)
                Issue.record("\(field)=\(value) was accepted")
            } catch let StoreError.invalid(error) {
                #expect(error.field == field)
                #expect(error.reason.contains(message), "\(error.reason)")
            }
            #expect(try fingerprint(store) == before)
        } else {
            try store.addRecord(station: "S01", values: values, clerk: nil)
        }
    }

    @Test func malformedRecordIDIsRefused() throws {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        #expect(throws: StoreError.self) {
            try store.addRecord(station: "S01", values: sampleRecord, clerk: nil, id: "../../etc/passwd")
        }
        #expect(try store.lastSeq() == 0)
    }

    @Test func badTalliesAreRefusedAndChangeNothing() throws {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        let key = TallyKey(station: "S01", period: Period(year: 2026, month: 10), element: "LIVE_BIRTHS")
        try store.setTally(key, value: 12, clerk: nil)
        let before = try fingerprint(store)
        #expect(throws: StoreError.invalid(ValidationError(field: "value", "-3 is negative: a count is 0 or more"))) {
            try store.setTally(key, value: -3, clerk: nil)
        }
        let future = TallyKey(station: "S01", period: Period(year: 2027, month: 1), element: "LIVE_BIRTHS")
        #expect(throws: StoreError.self) { try store.setTally(future, value: 1, clerk: nil) }
        #expect(throws: StoreError.self) { try store.setTally(key, value: 2_000_000, clerk: nil) }
        #expect(Period("2026-13") == nil)
        #expect(Period("26-01") == nil)
        #expect(throws: ValidationError.self) { try TallyKey(entityID: "S01/2026-13/LIVE_BIRTHS") }
        #expect(try fingerprint(store) == before)
    }

    @Test func unknownElementIsRefusedWhenTheSchemaKnowsTheCatalog() throws {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        store.schema = EntitySchema(isKnownElement: { $0 == "LIVE_BIRTHS" })
        let key = TallyKey(station: "S01", period: Period(year: 2026, month: 10), element: "NO_SUCH_THING")
        #expect(throws: StoreError.self) { try store.setTally(key, value: 1, clerk: nil) }
        #expect(try store.lastSeq() == 0)
    }

    @Test func deletedRecordCannotBeEditedButItsDataStays() throws {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        let record = try store.addRecord(station: "S01", values: sampleRecord, clerk: nil)
        try store.deleteRecord(id: record.id, clerk: nil)
        #expect(throws: StoreError.deleted(kind: .record, id: record.id)) {
            try store.editRecord(id: record.id, set: [.village: "x"], clerk: nil)
        }
        #expect(try store.entity(.record, record.id)?.value("name") == "张三")
        #expect(try store.entities(.record).isEmpty)
        #expect(try store.entities(.record, includeDeleted: true).count == 1)
    }

    @Test func settingAFieldToItsValueWritesNothing() throws {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        let record = try store.addRecord(station: "S01", values: sampleRecord, clerk: nil)
        let seq = try store.lastSeq()
        try store.editRecord(id: record.id, set: [.village: "东村"], clerk: nil)
        #expect(try store.lastSeq() == seq)
    }

    @Test func receivedStateOfAnotherEntityIsRefused() throws {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        let record = try store.addRecord(station: "S01", values: sampleRecord, clerk: nil)
        var other = EntityState(kind: .record, id: record.id, station: "S02")
        other.write([.set("name", "x"), .set("sex", "M"), .set("birth", "1990-01-01")], node: "z", time: 1, clerk: nil)
        #expect(throws: MergeError.self) { try store.merge(other, from: .hub) }
        #expect(try store.entity(.record, record.id) == record)
        // The same with a precomputed form, which first tries a plain insert.
        #expect(throws: MergeError.self) { try store.merge(other, from: .hub, form: StoredForm(other)) }
        #expect(try store.entity(.record, record.id) == record)
    }

    /// What waits to be pushed is each changed entity's latest seq, once: a
    /// row written again leaves its old seq behind, and a state received
    /// from the hub that equals the stored one stops waiting.
    @Test func pendingHoldsEachChangedEntitysLatestSeqOnce() throws {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        let pending = { try store.database.rows("SELECT seq FROM pending ORDER BY seq") { $0.int64(0) } }
        let record = try store.addRecord(station: "S01", values: sampleRecord, clerk: nil)
        let other = try store.addRecord(station: "S01", values: sampleRecord, clerk: nil)
        #expect(try pending() == [1, 2])
        let edited = try store.editRecord(id: record.id, set: [.village: "西村"], clerk: nil)
        #expect(try pending() == [2, 3])
        #expect(try store.pendingCount() == 2)
        // The hub sends back exactly what this node holds: it no longer waits.
        #expect(try store.merge(edited, from: .hub) == .unchanged)
        #expect(try pending() == [2])
        #expect(try store.merge(other, from: .hub, form: StoredForm(other)) == .unchanged)
        #expect(try pending() == [])
        #expect(try store.lastSeq() == 3)
    }

    /// A received state with a precomputed form is first tried as a new
    /// entity; when the entity is held, the merge takes the usual path and
    /// the feed keeps consecutive numbers.
    @Test func mergingAHeldEntityWithAFormLeavesNoGapInTheFeed() throws {
        let directory = TemporaryDirectory()
        let origin = try makeStore(directory, "origin.sqlite")
        let store = try makeStore(directory, "store.sqlite")
        let record = try origin.addRecord(station: "S01", values: sampleRecord, clerk: nil)
        #expect(
            try store.merge(record, from: .node(origin.nodeID), form: StoredForm(record)) == .stored(newConflict: false)
        )
        #expect(try store.lastSeq() == 1)

        let edited = try origin.editRecord(id: record.id, set: [.village: "西村"], clerk: nil)
        #expect(
            try store.merge(edited, from: .node(origin.nodeID), form: StoredForm(edited)) == .stored(newConflict: false)
        )
        #expect(try store.changes(since: 0, limit: 10).map(\.seq) == [2])
        #expect(try store.entity(.record, record.id) == edited)

        // Again: nothing changes, and no number is used.
        #expect(try store.merge(edited, from: .node(origin.nodeID), form: StoredForm(edited)) == .unchanged)
        #expect(try store.lastSeq() == 2)
        let other = try origin.addRecord(station: "S01", values: sampleRecord, clerk: nil)
        #expect(
            try store.merge(other, from: .node(origin.nodeID), form: StoredForm(other)) == .stored(newConflict: false))
        #expect(try store.changes(since: 0, limit: 10).map(\.seq) == [2, 3])
    }
}

@Suite struct MigrationTests {
    /// Stores made before v2 kept a `display` column; opening one drops it
    /// and keeps every entity, its sequence number and its pending state.
    @Test func storeFromBeforeTheDisplayColumnWasDroppedOpensWithItsEntities() throws {
        let directory = TemporaryDirectory()
        let source = try makeStore(directory, "source.sqlite")
        let record = try source.addRecord(station: "S01", values: sampleRecord, clerk: "王")
        let bytes = try #require(try source.changes(since: 0, limit: 1).first).bytes
        source.close()

        let path = directory.file("old.sqlite")
        let old = try Database(path: path)
        var v1 = Migrator()
        let first = try #require(Migrations.station.migrations.first)
        #expect(first.name == "v1-replica")
        v1.register(first.name, statements: first.statements)
        try v1.migrate(old)
        try old.run("INSERT INTO meta (key, value) VALUES ('node_id', 'n-old')")
        try old.run(
            "INSERT INTO entities (seq, kind, id, station, state, display, conflict, deleted) VALUES (7, 'record', ?, 'S01', ?, '{}', 0, 0)",
            [.text(record.id), .blob(bytes)])
        old.close()

        let store = try ReplicaStore(path: path)
        #expect(store.nodeID == "n-old")
        #expect(try store.entity(.record, record.id) == record)
        #expect(try store.lastSeq() == 7)
        #expect(try store.pendingCount() == 1)
        let columns = try store.database.rows("PRAGMA table_info(entities)") { $0.text(1) ?? "" }
        #expect(!columns.contains("display"))
        #expect(columns.contains("state"))
        // The store takes new writes after the drop.
        try store.editRecord(id: record.id, set: [.village: "西村"], clerk: nil)
        #expect(try store.entity(.record, record.id)?.value("village") == "西村")
    }
}

extension MigrationTests {
    /// A hub made before its stations' tokens were found by index (v9) gets
    /// the index when opened, and every station's token still lets it in.
    @Test func hubFromBeforeTheTokenIndexLetsItsStationsIn() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("hub.sqlite")
        let old = try Database(path: path)
        var v8 = Migrator()
        let all = Migrations.hub.migrations
        let last = try #require(all.last)
        #expect(last.name == "v9-hub-token-lookup")
        for migration in all.dropLast() { v8.register(migration.name, statements: migration.statements) }
        try v8.migrate(old)
        let token = TokenHash.newToken()
        try old.run(
            "INSERT INTO stations (id, name, token_hash, created) VALUES ('S01', '一', ?, 0)",
            [.text(TokenHash.hash(token))])
        old.close()

        let hub = try HubService(path: path)
        #expect(try hub.authenticate(token: token) == "S01")
        let indexes = try hub.store.database.rows("PRAGMA index_list(stations)") { $0.text(1) ?? "" }
        #expect(indexes.contains("stations_token_hash"))
        hub.close()
    }
}

@Suite struct QueuedSubmissionTests {
    /// A queued month that no longer reads back is named, never skipped:
    /// skipping would lose the clerk's submission without a word.
    @Test func aDamagedQueuedSubmissionIsNamedAndSubmittingAgainReplacesIt() throws {
        let directory = TemporaryDirectory()
        let store = try makeStore(directory)
        let october = Period(year: 2026, month: 10)
        try store.queueSubmission(SubmitRequest(period: october, explanation: "迟报：停电"))
        #expect(try store.queuedSubmissions().map(\.period) == [october])
        try store.database.run("UPDATE meta SET value = '{\"period\":' WHERE key = 'queued_submission:2026-10'")
        #expect(throws: StoreError.self) { try store.queuedSubmissions() }
        do {
            _ = try store.queuedSubmissions()
        } catch {
            #expect("\(error)".contains("station report submit 2026-10"))
        }
        try store.queueSubmission(SubmitRequest(period: october, explanation: nil))
        #expect(try store.queuedSubmissions() == [SubmitRequest(period: october, explanation: nil)])
    }
}

@Suite struct ValidationTests {
    @Test func residentIDCheckDigitIsVerified() {
        #expect(ResidentIDNumber.problem("11010519491231002X") == nil)
        #expect(ResidentIDNumber.problem("11010519491231002x") == nil)
        #expect(ResidentIDNumber.problem("110105194912310021")?.contains("check digit") == true)
        #expect(ResidentIDNumber.problem("1101051949123100")?.contains("18 characters") == true)
        #expect(ResidentIDNumber.problem("110105194902300028")?.contains("birth date") == true)
    }

    @Test func recordIDsAreVersion7UUIDsThatSortByCreationTime() throws {
        let earlier = Identifiers.newRecordID(millisecondsSince1970: 1_764_000_000_000)
        let later = Identifiers.newRecordID(millisecondsSince1970: 1_764_000_000_001)
        for id in [earlier, later, Identifiers.newRecordID()] {
            try Identifiers.validateRecordID(id)
            let characters = Array(id)
            #expect(characters[14] == "7", "version nibble of \(id)")
            #expect("89ab".contains(characters[19]), "variant of \(id)")
        }
        // 1,764,000,000,000 ms is 0x019ab697e800: the first 48 bits.
        #expect(earlier.hasPrefix("019ab697-e800-7"))
        #expect(earlier < later)
        #expect(Identifiers.newRecordID() != Identifiers.newRecordID())
    }

    /// An import draws its ids' random bits 4 KB at a time: across refills
    /// (256 ids a page) every id is still a distinct, valid version 7 UUID.
    @Test func idsDrawnFromTheBufferedGeneratorAreDistinctAcrossRefills() throws {
        var random = BufferedSystemRandom()
        let ids = (0..<2_000).map { _ in
            Identifiers.newRecordID(millisecondsSince1970: 1_764_000_000_000, using: &random)
        }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            try Identifiers.validateRecordID(id)
            #expect(Array(id)[14] == "7" && "89ab".contains(Array(id)[19]), "\(id)")
        }
        // Two generators do not repeat each other.
        var other = BufferedSystemRandom()
        #expect((0..<64).map { _ in random.next() } != (0..<64).map { _ in other.next() })
    }

    @Test func calendarDatesMustExist() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2023-4-1") == nil)
        #expect(CalendarDate(daysSince1970: 0) == CalendarDate(year: 1970, month: 1, day: 1))
        #expect(CalendarDate(daysSince1970: 20_415) == CalendarDate(year: 2025, month: 11, day: 23))
    }

    @Test func chineseHeadersAndTagNamesAreUnderstood() throws {
        #expect(RecordField(named: "姓名") == .name)
        #expect(RecordField(named: "id-number") == .idNumber)
        #expect(try ReplicaStore.parseTags("孕产妇，diabetes") == [.pregnant, .diabetes])
    }
}
