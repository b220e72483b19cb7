import Foundation
import SyncTestSupport
import Testing

@testable import SyncStore
@testable import SyncStorePostgres

/// The PostgreSQL connection against a real server: the test cluster
/// scripts/postgres-test.sh starts. Without it every test here fails.
///
/// Blocking calls run on threads of their own (`onThread`), which return
/// what they saw; the expectations are checked back in the test.
@Suite struct PostgresConnectionTests {
    // MARK: - Values

    @Test func everyDatabaseValueRoundTripsUnchanged() async throws {
        let location = try testLocation()
        var generator = SplitMix64(seed: 16)
        let large = (0..<(4 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let rows: [[DatabaseValue]] = [
            [1, .integer(.min), .real(-1.5), .text(""), .blob([])],
            [2, .integer(.max), .real(0), .text("张三 东村 李娜 ✓ 𠀀"), .blob([0, 255, 0, 39, 63])],
            [3, 0, .real(1e300), .text("it's ? and ?1 -- not a comment"), .blob(large)],
            [4, .null, .null, .null, .null],
        ]
        let table = uniqueTable("round_trip")
        let (back, read) = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            try db.execute(
                "CREATE TABLE \(table) (n BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT, b BYTEA)")
            for row in rows {
                try db.run("INSERT INTO \(table) (n, i, r, t, b) VALUES (?, ?, ?, ?, ?)", row)
            }
            let back = try db.query("SELECT n, i, r, t, b FROM \(table) ORDER BY n")
            // As the stores read: through StoreRow.
            let read = try db.rows("SELECT i, t, b FROM \(table) ORDER BY n") { row in
                ReadRow(
                    integer: row.int64(0), integerIsNull: row.isNull(0), text: row.text(1), blob: row.blob(2),
                    blobIsNull: row.isNull(2))
            }
            return (back, read)
        }
        #expect(back == rows)
        #expect(read[0] == ReadRow(integer: .min, integerIsNull: false, text: "", blob: [], blobIsNull: false))
        #expect(read[1].integer == .max && read[1].text == "张三 东村 李娜 ✓ 𠀀" && read[1].blob == [0, 255, 0, 39, 63])
        #expect(read[2].blob == large && read[2].text == "it's ? and ?1 -- not a comment")
        #expect(read[3] == ReadRow(integer: 0, integerIsNull: true, text: nil, blob: [], blobIsNull: true))
    }

    struct ReadRow: Equatable, Sendable {
        var integer: Int64
        var integerIsNull: Bool
        var text: String?
        var blob: [UInt8]
        var blobIsNull: Bool
    }

    @Test func smallIntegersBooleansAndNumericSumsAreReadAsIntegers() async throws {
        let location = try testLocation()
        let read = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            return try db.first(
                "SELECT 7::int2, -8::int4, true, false, sum(x), count(*), NOT EXISTS (SELECT 1 WHERE false) "
                    + "FROM (VALUES (9223372036854775807::bigint), (-5::bigint)) AS v(x)", []
            ) { row in (Int32(0)..<7).map { row.int64($0) } }
        }
        #expect(read == [7, -8, 1, 0, 9_223_372_036_854_775_802, 2, 1])
    }

    // MARK: - Placeholders

    @Test func placeholdersAreNumberedAsSQLiteNumbersThem() {
        #expect(PostgresPlaceholders(translating: "SELECT ?, ?, ?").sql == "SELECT $1, $2, $3")
        let numbered = PostgresPlaceholders(translating: "WHERE ?1 IS NULL OR year = ?1 AND x = ?")
        #expect(numbered.sql == "WHERE $1 IS NULL OR year = $1 AND x = $2")
        #expect(numbered.count == 2)
        #expect(PostgresPlaceholders(translating: "VALUES (?2, ?)").sql == "VALUES ($2, $3)")
        #expect(PostgresPlaceholders(translating: "SELECT 1").count == 0)
    }

    @Test func placeholdersInsideLiteralsIdentifiersAndCommentsAreLeftAlone() async throws {
        let pinned = PostgresPlaceholders(
            translating: "SELECT '?', 'it''s ?', \"why?\", ? -- what?\n, /* ? */ ?")
        #expect(pinned.sql == "SELECT '?', 'it''s ?', \"why?\", $1 -- what?\n, /* ? */ $2")
        let location = try testLocation()
        let row = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            return try db.first(
                "SELECT 'a?b' AS \"col?\", ? AS y, 'it''s ?2' -- is it ?\n, /* ?1 */ ?2", ["one", "two"]
            ) { [$0.text(0), $0.text(1), $0.text(2), $0.text(3)] }
        }
        #expect(row == ["a?b", "one", "it's ?2", "two"])
    }

    @Test func moreValuesThanParametersIsRefusedAndFewerAreNull() async throws {
        let location = try testLocation()
        let (tooMany, padded) = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            var tooMany: PostgresStoreError?
            do { try db.run("SELECT ?", [1, 2]) } catch { tooMany = error as? PostgresStoreError }
            let padded = try db.first("SELECT ?::bigint IS NULL, ?::text IS NULL", [5]) { [$0.int64(0), $0.int64(1)] }
            return (tooMany, padded)
        }
        guard case .tooManyValues(_, parameters: 1, values: 2) = tooMany else {
            Issue.record("expected tooManyValues, got \(String(describing: tooMany))")
            return
        }
        #expect(padded == [0, 1])
    }

    // MARK: - Changes

    @Test func changesCountsTheRowsOfTheLastWrite() async throws {
        let location = try testLocation()
        let table = uniqueTable("changes")
        let counts = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            try db.execute("CREATE TABLE \(table) (n BIGINT PRIMARY KEY, v TEXT)")
            var counts: [Int] = []
            try db.run("INSERT INTO \(table) VALUES (1, 'a'), (2, 'b'), (3, 'c')", [])
            counts.append(db.changes)
            try db.run("UPDATE \(table) SET v = ? WHERE n > ?", ["z", 1])
            counts.append(db.changes)
            // A query does not reset it, as in SQLite.
            _ = try db.scalarInt("SELECT count(*) FROM \(table)")
            counts.append(db.changes)
            try db.run("INSERT INTO \(table) VALUES (1, 'again') ON CONFLICT (n) DO NOTHING", [])
            counts.append(db.changes)
            try db.run("DELETE FROM \(table) WHERE n <> ?", [2])
            counts.append(db.changes)
            try db.run("UPDATE \(table) SET v = 'y' WHERE n = 99", [])
            counts.append(db.changes)
            return counts
        }
        #expect(counts == [3, 2, 2, 0, 2, 0])
    }

    // MARK: - Transactions

    @Test func aTransactionThatThrowsLeavesNothing() async throws {
        let location = try testLocation()
        let table = uniqueTable("rollback")
        let (thrown, count, afterwards) = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            try db.execute("CREATE TABLE \(table) (n BIGINT)")
            var thrown = false
            do {
                try db.transaction {
                    try db.run("INSERT INTO \(table) VALUES (1)", [])
                    try db.run("INSERT INTO \(table) VALUES (2)", [])
                    throw Refused()
                }
            } catch is Refused {
                thrown = true
            }
            let count = try db.scalarInt("SELECT count(*) FROM \(table)")
            // The connection is out of the transaction: the next one commits.
            try db.transaction { try db.run("INSERT INTO \(table) VALUES (3)", []) }
            let afterwards = try db.rows("SELECT n FROM \(table)") { $0.int64(0) }
            return (thrown, count, afterwards)
        }
        #expect(thrown)
        #expect(count == 0)
        #expect(afterwards == [3])
    }

    @Test func nestedTransactionsJoinTheOuterOne() async throws {
        let location = try testLocation()
        let table = uniqueTable("nested")
        let (afterThrow, afterCommit, sameTransaction) = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            try db.execute("CREATE TABLE \(table) (n BIGINT)")
            // The inner one returned, the outer one threw: both are undone.
            try? db.transaction {
                try db.transaction { try db.run("INSERT INTO \(table) VALUES (1)", []) }
                throw Refused()
            }
            let afterThrow = try db.scalarInt("SELECT count(*) FROM \(table)")
            var ids: [Int64] = []
            try db.transaction {
                try db.run("INSERT INTO \(table) VALUES (2)", [])
                ids.append(try db.scalarInt("SELECT txid_current()") ?? -1)
                try db.transaction {
                    try db.run("INSERT INTO \(table) VALUES (3)", [])
                    ids.append(try db.scalarInt("SELECT txid_current()") ?? -2)
                }
            }
            let afterCommit = try db.rows("SELECT n FROM \(table) ORDER BY n") { $0.int64(0) }
            return (afterThrow, afterCommit, ids[0] == ids[1])
        }
        #expect(afterThrow == 0)
        #expect(afterCommit == [2, 3])
        #expect(sameTransaction)
    }

    @Test func aSavepointUndoesOnlyItsOwnPart() async throws {
        let location = try testLocation()
        let table = uniqueTable("savepoint")
        let (rows, innerError) = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            try db.execute("CREATE TABLE \(table) (n BIGINT)")
            var innerError: (any Error)?
            try db.transaction {
                try db.run("INSERT INTO \(table) VALUES (1)", [])
                do {
                    try db.savepoint {
                        try db.run("INSERT INTO \(table) VALUES (2)", [])
                        throw Refused()
                    }
                } catch {
                    innerError = error
                }
                try db.savepoint { try db.run("INSERT INTO \(table) VALUES (3)", []) }
            }
            return (try db.rows("SELECT n FROM \(table) ORDER BY n") { $0.int64(0) }, innerError is Refused)
        }
        #expect(rows == [1, 3])
        #expect(innerError)
    }

    @Test func aSavepointLetsATransactionGoOnAfterTheServerRefusedAStatement() async throws {
        let location = try testLocation()
        let table = uniqueTable("savepoint_refused")
        let (rows, sqlState) = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            try db.execute("CREATE TABLE \(table) (n BIGINT PRIMARY KEY)")
            var sqlState: String?
            try db.transaction {
                try db.run("INSERT INTO \(table) VALUES (1)", [])
                do {
                    try db.savepoint { try db.run("INSERT INTO \(table) VALUES (1)", []) }
                } catch let error as PostgresStoreError {
                    sqlState = error.sqlState
                }
                // Without the savepoint PostgreSQL would refuse this (25P02).
                try db.run("INSERT INTO \(table) VALUES (2)", [])
            }
            return (try db.rows("SELECT n FROM \(table) ORDER BY n") { $0.int64(0) }, sqlState)
        }
        #expect(sqlState == "23505")
        #expect(rows == [1, 2])
    }

    @Test func aFailedStatementCaughtInsideATransactionMakesCommitThrow() async throws {
        let location = try testLocation()
        let table = uniqueTable("aborted")
        let (error, count) = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            try db.execute("CREATE TABLE \(table) (n BIGINT PRIMARY KEY)")
            var caught: PostgresStoreError?
            do {
                try db.transaction {
                    try db.run("INSERT INTO \(table) VALUES (1)", [])
                    // Caught and ignored, as SQLite code may do: PostgreSQL
                    // has aborted the whole transaction.
                    _ = try? db.run("INSERT INTO \(table) VALUES (1)", [])
                }
            } catch let error as PostgresStoreError {
                caught = error
            }
            return (caught, try db.scalarInt("SELECT count(*) FROM \(table)"))
        }
        guard case .transactionRolledBack = error else {
            Issue.record("expected transactionRolledBack, got \(String(describing: error))")
            return
        }
        #expect(count == 0)
    }

    // MARK: - Concurrency

    @Test func aSecondWriterWaitsForTheFirstWritersCommit() async throws {
        let location = try testLocation()
        let table = uniqueTable("write_lock")
        try await onThread {
            let db = try connect(location)
            defer { db.close() }
            try db.execute("CREATE TABLE \(table) (n BIGINT)")
        }
        let events = EventLog()
        let secondPID = Handoff<Int64>()
        let firstHoldsTheLock = Handoff<Bool>()
        async let first: Bool = onThread {
            let db = try connect(location)
            defer { db.close() }
            let observer = try connect(location)
            defer { observer.close() }
            let pid = try secondPID.take()
            try db.transaction {
                try db.run("INSERT INTO \(table) VALUES (1)", [])
                firstHoldsTheLock.put(true)
                // The second writer is inside transaction(), blocked on the
                // advisory lock this one holds.
                try waitUntil("the second writer waits for the write lock") {
                    try observer.scalarInt(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND pid = ?",
                        [.integer(pid)]) == 1
                }
                events.note("first commits")
            }
            return true
        }
        async let second: Int64 = onThread {
            let db = try connect(location)
            defer { db.close() }
            secondPID.put(try db.scalarInt("SELECT pg_backend_pid()") ?? 0)
            _ = try firstHoldsTheLock.take()
            return try db.transaction {
                events.note("second has the lock")
                // READ COMMITTED: the first statement after the lock sees
                // the first writer's commit (max(seq) is never stale).
                return try db.scalarInt("SELECT count(*) FROM \(table)") ?? -1
            }
        }
        #expect(try await first)
        let seenBySecond = try await second
        #expect(events.all == ["first commits", "second has the lock"])
        #expect(seenBySecond == 1)
    }

    @Test func aWriterWaitingLongerThanLockTimeoutGivesUp() async throws {
        let location = try testLocation()
        let impatient = PostgresSessionSettings(
            applicationName: "hub-test", lockTimeout: "200ms", idleInTransactionTimeout: "60s")
        let holding = Handoff<Bool>()
        let gaveUp = Handoff<String>()
        async let holder: Bool = onThread {
            let db = try connect(location)
            defer { db.close() }
            try db.transaction {
                holding.put(true)
                _ = try gaveUp.take()
            }
            return true
        }
        async let waiter: String = onThread {
            let db = try connect(location, session: impatient)
            defer { db.close() }
            _ = try holding.take()
            var sqlState = "none"
            do {
                try db.transaction { try db.execute("SELECT 1") }
            } catch let error as PostgresStoreError {
                sqlState = error.sqlState ?? "\(error)"
            }
            gaveUp.put(sqlState)
            return sqlState
        }
        #expect(try await waiter == "55P03")
        #expect(try await holder)
    }

    @Test func aReadTransactionSeesOneSnapshotWhileAnotherConnectionCommits() async throws {
        let location = try testLocation()
        let table = uniqueTable("snapshot")
        let (inside, after, writeState) = try await onThread {
            let reader = try connect(location)
            defer { reader.close() }
            let writer = try connect(location)
            defer { writer.close() }
            try writer.execute("CREATE TABLE \(table) (n BIGINT)")
            try writer.run("INSERT INTO \(table) VALUES (1)", [])
            let count = "SELECT count(*) FROM \(table)"
            var inside: [Int64] = []
            var writeState: String?
            try reader.readTransaction {
                inside.append(try reader.scalarInt(count) ?? -1)
                try writer.transaction { try writer.run("INSERT INTO \(table) VALUES (2)", []) }
                inside.append(try reader.scalarInt(count) ?? -1)
                try reader.readTransaction { inside.append(try reader.scalarInt(count) ?? -1) }
            }
            // Read only: a write inside is refused.
            do {
                try reader.readTransaction { try reader.run("INSERT INTO \(table) VALUES (3)", []) }
            } catch let error as PostgresStoreError {
                writeState = error.sqlState
            }
            return (inside, try reader.scalarInt(count), writeState)
        }
        #expect(inside == [1, 1, 1])
        #expect(after == 2)
        #expect(writeState == "25006")
    }

    // MARK: - Refusals

    @Test func nulInTextIsRefusedAsInvalidDataAndChangesNothing() async throws {
        let location = try testLocation()
        let table = uniqueTable("nul")
        let secret = "王秘密 13800000000"
        let (alone, inTransaction, count) = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            try db.execute("CREATE TABLE \(table) (n BIGINT, t TEXT)")
            var alone: PostgresStoreError?
            do {
                try db.run("INSERT INTO \(table) VALUES (1, ?)", [.text(secret + "\u{0}")])
            } catch {
                alone = error as? PostgresStoreError
            }
            var inTransaction: PostgresStoreError?
            do {
                try db.transaction {
                    try db.run("INSERT INTO \(table) VALUES (2, 'fine')", [])
                    try db.run("INSERT INTO \(table) VALUES (3, ?)", [.text("\u{0}" + secret)])
                }
            } catch let error as PostgresStoreError {
                inTransaction = error
            }
            return (alone, inTransaction, try db.scalarInt("SELECT count(*) FROM \(table)"))
        }
        for error in [alone, inTransaction] {
            guard case .invalidData(let server) = error else {
                Issue.record("expected invalidData, got \(String(describing: error))")
                continue
            }
            #expect(server.sqlState == "22021")
            #expect(server.sqlStateClass == "22")
            let text = server.description
            #expect(!text.contains("王秘密") && !text.contains("13800000000"))
        }
        #expect(count == 0)
    }

    @Test func aConstraintViolationIsItsOwnErrorAndNamesNoValue() async throws {
        let location = try testLocation()
        let table = uniqueTable("unique")
        let error = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            try db.execute("CREATE TABLE \(table) (id TEXT PRIMARY KEY)")
            try db.run("INSERT INTO \(table) VALUES (?)", ["110101199003077777"])
            do {
                try db.run("INSERT INTO \(table) VALUES (?)", ["110101199003077777"])
                return nil as PostgresStoreError?
            } catch {
                return error as? PostgresStoreError
            }
        }
        guard case .constraintViolation(let server) = error else {
            Issue.record("expected constraintViolation, got \(String(describing: error))")
            return
        }
        #expect(server.sqlState == "23505")
        #expect(server.constraint == "\(table)_pkey")
        // PostgreSQL's DETAIL would say "Key (id)=(110101199003077777) already exists".
        #expect(!server.description.contains("110101199003077777"))
        #expect(server.description.contains("INSERT INTO \(table) VALUES (?)"))
    }

    // MARK: - Lost connections

    @Test func aTerminatedBackendFailsTheNextQueryPromptlyAsConnectionLost() async throws {
        let location = try testLocation()
        let outcome = try await onThread(timeout: .seconds(30)) {
            let victim = try connect(location)
            defer { victim.close() }
            let killer = try connect(location)
            defer { killer.close() }
            let pid = try victim.scalarInt("SELECT pg_backend_pid()") ?? 0
            let terminated = try killer.scalarInt("SELECT pg_terminate_backend(CAST(? AS integer))", [.integer(pid)])
            try waitUntil("the backend has gone") {
                try killer.scalarInt("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", [.integer(pid)]) == 0
            }
            let clock = ContinuousClock()
            let start = clock.now
            var errors: [PostgresStoreError?] = [nil, nil]
            for attempt in 0..<2 {
                do { _ = try victim.scalarInt("SELECT 1") } catch { errors[attempt] = error as? PostgresStoreError }
            }
            let elapsed = clock.now - start
            // A worker that lost its connection connects again.
            let again = try connect(location)
            defer { again.close() }
            return Lost(
                terminated: terminated, errors: errors, elapsed: elapsed, isLost: victim.isLost,
                reconnected: try again.scalarInt("SELECT 1"))
        }
        #expect(outcome.terminated == 1)
        for error in outcome.errors {
            guard case .connectionLost = error else {
                Issue.record("expected connectionLost, got \(String(describing: error))")
                continue
            }
        }
        #expect(outcome.elapsed < .seconds(5))
        #expect(outcome.isLost)
        #expect(outcome.reconnected == 1)
    }

    struct Lost: Sendable {
        var terminated: Int64?
        var errors: [PostgresStoreError?]
        var elapsed: Duration
        var isLost: Bool
        var reconnected: Int64?
    }

    @Test func aQueryRunningWhenItsBackendIsTerminatedFailsAsConnectionLost() async throws {
        let location = try testLocation()
        let victimPID = Handoff<Int64>()
        async let victim: PostgresStoreError? = onThread(timeout: .seconds(40)) {
            let db = try connect(location)
            defer { db.close() }
            victimPID.put(try db.scalarInt("SELECT pg_backend_pid()") ?? 0)
            do {
                try db.execute("SELECT pg_sleep(60)")
                return nil as PostgresStoreError?
            } catch {
                return error as? PostgresStoreError
            }
        }
        async let killer: Bool = onThread(timeout: .seconds(40)) {
            let db = try connect(location)
            defer { db.close() }
            let pid = try victimPID.take()
            try waitUntil("the victim is sleeping") {
                try db.scalarInt(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND state = 'active' "
                        + "AND query LIKE 'SELECT pg_sleep%'", [.integer(pid)]) == 1
            }
            return try db.scalarInt("SELECT pg_terminate_backend(CAST(? AS integer))", [.integer(pid)]) == 1
        }
        #expect(try await killer)
        let error = try await victim
        guard case .connectionLost = error else {
            Issue.record("expected connectionLost, got \(String(describing: error))")
            return
        }
    }

    @Test func aSavepointWhoseConnectionIsLostThrowsSavepointLost() async throws {
        let location = try testLocation()
        let table = uniqueTable("savepoint_lost")
        let (outcome, count) = try await onThread(timeout: .seconds(30)) {
            let db = try connect(location)
            defer { db.close() }
            let killer = try connect(location)
            defer { killer.close() }
            try killer.execute("CREATE TABLE \(table) (n BIGINT)")
            let pid = try db.scalarInt("SELECT pg_backend_pid()") ?? 0
            var outcome = "returned"
            do {
                try db.transaction {
                    try db.run("INSERT INTO \(table) VALUES (1)", [])
                    try db.savepoint {
                        try db.run("INSERT INTO \(table) VALUES (2)", [])
                        _ = try killer.scalarInt("SELECT pg_terminate_backend(CAST(? AS integer))", [.integer(pid)])
                        try waitUntil("the backend has gone") {
                            try killer.scalarInt("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", [.integer(pid)])
                                == 0
                        }
                        try db.run("INSERT INTO \(table) VALUES (3)", [])
                    }
                }
            } catch let error as SavepointLost {
                if case PostgresStoreError.connectionLost = error.underlying { outcome = "savepoint lost" }
            } catch {
                outcome = "\(error)"
            }
            return (outcome, try killer.scalarInt("SELECT count(*) FROM \(table)"))
        }
        #expect(outcome == "savepoint lost")
        #expect(count == 0)
    }

    @Test func closeIsSafeTwiceAndLaterCallsSaySo() async throws {
        let location = try testLocation()
        let error = try await onThread {
            let db = try connect(location)
            db.close()
            db.close()
            do {
                try db.execute("SELECT 1")
                return nil as PostgresStoreError?
            } catch {
                return error as? PostgresStoreError
            }
        }
        guard case .closed = error else {
            Issue.record("expected closed, got \(String(describing: error))")
            return
        }
    }

    // MARK: - Connecting

    @Test func sessionSettingsAreInForce() async throws {
        let location = try testLocation()
        let settings = try await onThread {
            let db = try connect(location)
            defer { db.close() }
            return try [
                "application_name", "lock_timeout", "idle_in_transaction_session_timeout", "random_page_cost",
                "synchronous_commit",
            ].map { name in try db.scalarText("SELECT current_setting(?)", [.text(name)]) ?? "" }
        }
        #expect(settings == ["hub", "30s", "1min", "1.1", "on"])
    }

    @Test func aWrongPasswordIsRefusedAsAuthenticationWithoutRepeatingIt() async throws {
        var wrong = try testLocation()
        wrong.password = "not-the-password-4711"
        let location = wrong
        let error = try await onThread {
            do {
                _ = try connect(location)
                return nil as PostgresStoreError?
            } catch {
                return error as? PostgresStoreError
            }
        }
        guard case .authenticationFailed(_, let user, let reason) = error else {
            Issue.record("expected authenticationFailed, got \(String(describing: error))")
            return
        }
        #expect(user == location.user)
        #expect(reason.hasPrefix("28P01"))
        let text = String(describing: error)
        #expect(!text.contains("not-the-password-4711"))
    }

    @Test func aServerThatIsNotThereOrADatabaseThatIsNotIsCannotConnect() async throws {
        let location = try testLocation()
        var nothingListening = location
        nothingListening.port = 1
        var noDatabase = location
        noDatabase.database = uniqueTable("missing")
        let attempts = [nothingListening, noDatabase]
        let errors = try await onThread(timeout: .seconds(30)) {
            attempts.map { location -> PostgresStoreError? in
                do {
                    _ = try connect(location)
                    return nil
                } catch {
                    return error as? PostgresStoreError
                }
            }
        }
        guard case .cannotConnect(let endpoint, _) = errors[0] else {
            Issue.record("expected cannotConnect, got \(String(describing: errors[0]))")
            return
        }
        #expect(endpoint == "\(location.host):1")
        guard case .cannotConnect(_, let reason) = errors[1] else {
            Issue.record("expected cannotConnect, got \(String(describing: errors[1]))")
            return
        }
        #expect(reason.hasPrefix("3D000"))
    }

    @Test func healthDataStaysOutOfTheLogEvenWhenTraceIsAskedFor() async throws {
        let location = try testLocation()
        let table = uniqueTable("logged")
        let log = CapturedLog()
        let secret = "王秘密 13800000000"
        try await onThread {
            let db = try connect(location, logger: log.logger(label: "PostgresTests"))
            defer { db.close() }
            try db.execute("CREATE TABLE \(table) (t TEXT, b BYTEA)")
            try db.run("INSERT INTO \(table) VALUES (?, ?)", [.text(secret), .blob(Array(secret.utf8))])
            _ = try db.rows("SELECT t, b FROM \(table)") { $0.text(0) }
            _ = try? db.run("INSERT INTO \(table) VALUES (?, NULL)", [.text(secret + "\u{0}")])
        }
        // postgres-nio logs every message from the server, rows included,
        // at trace: the connection keeps its logger at info or above.
        #expect(log.all.allSatisfy { !$0.hasPrefix("trace") && !$0.hasPrefix("debug") })
        #expect(!log.all.contains { $0.contains("王秘密") || $0.contains("13800000000") })
    }
}

struct Refused: Error {}
