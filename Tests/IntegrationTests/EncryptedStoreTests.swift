import Foundation
import Testing
@testable import HubCore
@testable import SyncModel
@testable import SyncStore
import SyncTestSupport

/// `station init --encrypt`, end to end with the built binary: a stolen
/// laptop's files show no resident, clerk or token; the passphrase opens
/// them, a wrong one changes nothing, a new one replaces it; encrypted
/// laptops sync through a hub as plain ones do.
@Suite(.serialized) struct EncryptedStoreTests {
    let directory = TemporaryDirectory()
    static let passphrase = "青禾村 卫生站 2026"
    static let name = "欧阳春梅"
    static let phone = "13987654321"
    static let idNumber = "11010519580314002X"
    static let clerk = "司徒护士"
    static let token = "tok-3f9a27c1d5e8b604"
    /// What must never appear in an encrypted store's files.
    static let secrets = [name, phone, idNumber, clerk, token]

    /// Runs `station` on `db` with `passphrase` in the environment ("" is none).
    static func station(
        _ arguments: [String], db: String, passphrase: String = passphrase, environment: [String: String] = [:]
    ) throws -> CommandResult {
        try CommandRunner.run(
            "station", arguments + ["--db", db, "--clerk", clerk],
            environment: environment.merging(["HEALTH_SYNC_PASSPHRASE": passphrase]) { given, _ in given })
    }

    /// A new encrypted store (`encrypt: false`: a plain one) for station S01.
    func store(
        _ name: String, encrypt: Bool = true, hub: LiveHub? = nil, passphrase: String = passphrase
    ) throws -> String {
        let db = directory.file(name)
        let result = try Self.station(
            [
                "init", "--station", "S01", "--name", "青禾社区卫生服务站", "--hub", hub?.url ?? "http://127.0.0.1:9",
                "--token", hub?.tokens["S01"] ?? Self.token,
            ] + (encrypt ? ["--encrypt"] : []),
            db: db, passphrase: passphrase)
        #expect(result.status == 0, "\(result.stderr)")
        return db
    }

    func addResident(_ db: String, passphrase: String = passphrase) throws -> String {
        let result = try Self.station(
            [
                "record", "add", "--name", Self.name, "--sex", "F", "--birth", "1958-03-14", "--village", "青禾村",
                "--phone", Self.phone, "--id-number", Self.idNumber, "--tag", "hypertension",
            ], db: db, passphrase: passphrase)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The bytes of the database file, its write-ahead log and its index, those that exist.
    static func files(_ db: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: db + suffix) { files["file" + suffix] = data }
        }
        return files
    }

    /// Each secret found, and where.
    static func leaks(_ db: String, of secrets: [String] = secrets) -> [String] {
        files(db).sorted { $0.key < $1.key }.flatMap { file, data in
            secrets.filter { data.range(of: Data($0.utf8)) != nil }.map { "\($0) in \(file)" }
        }
    }

    static func show(_ id: String, db: String, passphrase: String = passphrase) throws -> [String: Any] {
        let result = try station(["record", "show", id, "--json"], db: db, passphrase: passphrase)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try jsonObject(result.stdout) as? [String: Any])
    }

    @Test func noResidentClerkOrTokenAppearsInTheFileItsLogOrItsIndexCheckpointedOrNot() throws {
        let db = try store("encrypted.sqlite")
        // A second connection keeps the log from being checkpointed and
        // removed when each command ends: the log is scanned as written.
        let holder = try ReplicaStore(path: db)
        let id = try addResident(db)
        #expect(try Self.station(["record", "edit", id, "--set", "household=QH-0412"], db: db).status == 0)
        #expect(try Self.station(["tally", "set", "LIVE_BIRTHS", "2026-10", "4"], db: db).status == 0)
        let unCheckpointed = Self.files(db)
        #expect((unCheckpointed["file-wal"]?.count ?? 0) > 0, "the log holds the commands' writes")
        #expect(Self.leaks(db).isEmpty, "\(Self.leaks(db))")
        holder.close()
        // The last connection closed: everything is in the file now.
        #expect(Self.files(db)["file-wal"] == nil)
        #expect(Self.leaks(db).isEmpty, "\(Self.leaks(db))")

        // With the passphrase, the record is there as typed.
        let record = try Self.show(id, db: db)
        #expect(record["name"] as? String == Self.name)
        #expect(record["phone"] as? String == Self.phone)
        #expect(record["id_number"] as? String == Self.idNumber)
        #expect(record["household"] as? String == "QH-0412")
        let found = try Self.station(["record", "find", "欧阳"], db: db)
        #expect(found.status == 0 && found.stdout.contains(id), "\(found.stderr)")
        let status = try #require(
            try jsonObject(Self.station(["status", "--json"], db: db).stdout) as? [String: Any])
        #expect(status["encrypted"] as? Bool == true)
        #expect(status["records"] as? Int == 1)

        // The scan finds what a plain store holds in the clear.
        let plain = try store("plain.sqlite", encrypt: false)
        _ = try addResident(plain)
        #expect(Set(Self.leaks(plain).map { $0.components(separatedBy: " in ")[0] }) == Set(Self.secrets))
    }

    /// An import seals each row on the thread that builds it: a file of
    /// residents imported into an encrypted store leaves none of them in
    /// its files, and every row opens as typed, audit trail included.
    @Test func anImportedFileIsSealedRowByRowAndOpensAsTyped() throws {
        let db = try store("imported.sqlite")
        var csv = "姓名,性别,出生日期,村,电话,身份证号\n\(Self.name),女,1958-03-14,青禾村,\(Self.phone),\(Self.idNumber)\n"
        for index in 0..<600 { csv += "居民\(index),女,1980-01-01,松岭村,1390000\(String(format: "%04d", index)),\n" }
        let file = directory.file("residents.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))
        let imported = try Self.station(["record", "import", file], db: db)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 601, rejected 0"), "\(imported.stdout)")
        #expect(Self.leaks(db, of: Self.secrets + ["居民599", "13900000599"]).isEmpty, "\(Self.leaks(db))")

        let listed = try Self.station(["record", "list", "--json"], db: db)
        let records = try #require(try jsonObject(listed.stdout) as? [[String: Any]])
        #expect(records.count == 601)
        let resident = try #require(records.first { $0["name"] as? String == Self.name })
        #expect(resident["id_number"] as? String == Self.idNumber && resident["phone"] as? String == Self.phone)
        // Each row's audit entry (sealed clerk and field names) opens too,
        // bound to its own row.
        let id = try #require(resident["id"] as? String)
        let store = try ReplicaStore(path: db)
        defer { store.close() }
        try store.unlock(passphrase: Self.passphrase)
        let cipher = try #require(store.cipher)
        let row = try #require(
            try store.database.first("SELECT node, counter, clerk, fields FROM audit WHERE id = ?", [.text(id)]) {
                ($0.text(0) ?? "", $0.int64(1), $0.blob(2), $0.blob(3))
            })
        func binding(_ column: String) -> [UInt8] {
            Array([column, "record", id, row.0, String(row.1)].joined(separator: "\u{0}").utf8)
        }
        let clerk = String(decoding: try cipher.open(row.2, binding: binding("audit.clerk")), as: UTF8.self)
        let fields = String(decoding: try cipher.open(row.3, binding: binding("audit.fields")), as: UTF8.self)
        #expect(clerk == Self.clerk)
        #expect(fields == "birth,id_number,name,phone,sex,village", "\(fields)")
    }

    @Test func aWrongPassphraseIsRefusedAndLeavesTheFilesAsTheyWere() throws {
        let db = try store("wrong.sqlite")
        let id = try addResident(db)
        let before = Self.files(db)
        for arguments in [
            ["record", "list"], ["record", "show", id], ["record", "edit", id, "--set", "phone=13900000000"],
            ["record", "add", "--name", "王芳", "--sex", "F", "--birth", "1990-01-01"], ["status"], ["sync"],
            ["passphrase"], ["tally", "set", "LIVE_BIRTHS", "2026-10", "4"],
        ] {
            let result = try Self.station(
                arguments, db: db, passphrase: "not the passphrase",
                environment: ["HEALTH_SYNC_NEW_PASSPHRASE": "another passphrase"])
            #expect(result.status == 64, "\(arguments)")
            #expect(
                result.stderr.contains("wrong passphrase for \(db): nothing was read or written"), "\(result.stderr)")
            #expect(Self.files(db) == before, "\(arguments) changed the files")
        }
        #expect(try Self.show(id, db: db)["phone"] as? String == Self.phone)
    }

    @Test func aNewPassphraseOpensTheSameDataAndTheOldOneNoLongerDoes() throws {
        let db = try store("change.sqlite")
        let id = try addResident(db)
        let before = try Self.show(id, db: db)
        let (fingerprint, oldKey) = try {
            let store = try ReplicaStore(path: db)
            defer { store.close() }
            return (try store.contentFingerprint(), try #require(try store.encryptionKey()))
        }()

        let short = try Self.station(
            ["passphrase"], db: db, environment: ["HEALTH_SYNC_NEW_PASSPHRASE": "short"])
        #expect(short.status == 64 && short.stderr.contains("at least 8 characters"), "\(short.stderr)")
        let new = "桑园村 new passphrase"
        let changed = try Self.station(["passphrase"], db: db, environment: ["HEALTH_SYNC_NEW_PASSPHRASE": new])
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout.contains("changed"))

        let old = try Self.station(["record", "list"], db: db)
        #expect(old.status == 64 && old.stderr.contains("wrong passphrase"), "\(old.stderr)")
        let after = try Self.show(id, db: db, passphrase: new)
        #expect(NSDictionary(dictionary: after) == NSDictionary(dictionary: before))
        // Only the key's wrapping changed: every sealed value is as it was,
        // and the old wrapping is gone from the file.
        let store = try ReplicaStore(path: db)
        #expect(try store.contentFingerprint() == fingerprint)
        #expect(try store.encryptionKey() != oldKey)
        store.close()
        let oldWrapping = try #require(oldKey.components(separatedBy: ";key=").last)
        #expect(Self.leaks(db, of: [oldWrapping, oldKey.components(separatedBy: ";")[5]]).isEmpty)
    }

    @Test func withoutAPassphraseOffATerminalTheCommandSaysHowToGiveOne() throws {
        let none = directory.file("none.sqlite")
        let refused = try Self.station(
            ["init", "--station", "S01", "--name", "x", "--encrypt"], db: none, passphrase: "")
        #expect(refused.status == 64)
        #expect(
            refused.stderr.contains("no new passphrase was given: set $HEALTH_SYNC_PASSPHRASE"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: none), "nothing was made")

        let db = try store("missing.sqlite")
        let before = Self.files(db)
        let result = try Self.station(["record", "list"], db: db, passphrase: "")
        #expect(result.status == 64)
        #expect(
            result.stderr.contains(
                "\(db) is encrypted and no passphrase was given: set $HEALTH_SYNC_PASSPHRASE, or run the command at a terminal to type it"
            ), "\(result.stderr)")
        #expect(Self.files(db) == before)

        let chinese = try Self.station(
            ["record", "list"], db: db, passphrase: "", environment: ["LANG": "zh_CN.UTF-8"])
        #expect(chinese.status == 64 && chinese.stderr.contains("已加密，但没有给出口令"), "\(chinese.stderr)")

        // A store made without --encrypt asks for nothing, as before.
        let plain = try store("plain.sqlite", encrypt: false)
        let listed = try Self.station(["record", "list"], db: plain, passphrase: "")
        #expect(listed.status == 0, "\(listed.stderr)")
        let status = try #require(
            try jsonObject(Self.station(["status", "--json"], db: plain, passphrase: "").stdout) as? [String: Any])
        #expect(status["encrypted"] as? Bool == false)
        let noPassphrase = try Self.station(["passphrase"], db: plain, passphrase: "")
        #expect(noPassphrase.status == 64 && noPassphrase.stderr.contains("is not encrypted"))
    }

    @Test func aSealedStateCopiedOverAnotherRecordDoesNotOpen() throws {
        let db = try store("moved.sqlite")
        let first = try addResident(db)
        let second = try #require(
            try Self.station(
                ["record", "add", "--name", "王芳", "--sex", "F", "--birth", "1990-01-01"], db: db
            ).stdout.split(separator: "\n").first.map(String.init))
        let database = try Database(path: db)
        try database.run(
            "UPDATE entities SET state = (SELECT state FROM entities WHERE id = ?) WHERE id = ?",
            [.text(first), .text(second)])
        database.close()
        let result = try Self.station(["record", "show", second], db: db)
        #expect(result.status == 64)
        #expect(
            result.stderr.contains("stored record \(second) cannot be read (it does not decrypt)"), "\(result.stderr)")
        #expect(!result.stdout.contains(Self.name))
    }

    @Test func encryptedLaptopsSyncThroughAHubThatHoldsThePlainData() async throws {
        let hub = try await LiveHub.start()
        let front = try store("front.sqlite", hub: hub)
        let back = try store("back.sqlite", hub: hub, passphrase: "another laptop's passphrase")
        let id = try addResident(front)
        let pushed = try await runBlocking { try Self.station(["sync"], db: front) }
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let atHub = try hub.withStore { try $0.replica.entity(.record, id) }
        #expect(atHub?.value("name") == Self.name)
        #expect(atHub?.value("id_number") == Self.idNumber)

        let pulled = try await runBlocking {
            try Self.station(["sync"], db: back, passphrase: "another laptop's passphrase")
        }
        #expect(pulled.status == 0, "\(pulled.stderr)")
        #expect(try Self.show(id, db: back, passphrase: "another laptop's passphrase")["name"] as? String == Self.name)
        #expect(Self.leaks(back).isEmpty, "\(Self.leaks(back))")

        // An edit on the second laptop comes back to the first.
        let edited = try Self.station(
            ["record", "edit", id, "--set", "phone=13911112222"], db: back, passphrase: "another laptop's passphrase")
        #expect(edited.status == 0, "\(edited.stderr)")
        _ = try await runBlocking { try Self.station(["sync"], db: back, passphrase: "another laptop's passphrase") }
        _ = try await runBlocking { try Self.station(["sync"], db: front) }
        #expect(try Self.show(id, db: front)["phone"] as? String == "13911112222")
        #expect(Self.leaks(front, of: Self.secrets + ["13911112222"]).isEmpty)
        try await hub.stop()
    }

    @Test func theEncryptionCommandsHaveHelpWithExamplesInBothLanguages() throws {
        for (environment, example) in [([String: String](), "Example"), (["LANG": "zh_CN.UTF-8"], "示例")] {
            let passphrase = try CommandRunner.run("station", ["passphrase", "--help"], environment: environment)
            #expect(passphrase.status == 0 && passphrase.stdout.contains(example))
            #expect(passphrase.stdout.contains("HEALTH_SYNC_NEW_PASSPHRASE"))
            let initHelp = try CommandRunner.run("station", ["init", "--help"], environment: environment)
            #expect(initHelp.stdout.contains("--encrypt"))
        }
    }
}
