import SyncModel

/// A station's store encrypted at rest. The file holds its data key wrapped
/// under the clerk's passphrase (`encryption_key` in `meta`, a text whose
/// format SyncSupport owns); the station unwraps it and sets a cipher with
/// `unlock`. From then on every read and write of `entities.state`, the
/// audit trail's `clerk` and `fields`, and the secret settings goes through
/// it. Everything else (ids, kinds, stations, periods, sequence numbers,
/// flags, counts) stays readable: the queries filter and order on it.
///
/// A store without that key is read and written exactly as before.
extension ReplicaStore {
    static let encryptionKeyName = "encryption_key"

    /// The data key wrapped under the passphrase, or nil for a store that is
    /// not encrypted.
    public func encryptionKey() throws -> String? {
        try meta(Self.encryptionKeyName)
    }

    /// Makes this new, empty store an encrypted one: stores `wrappedKey`
    /// and seals everything written from now on with `cipher`, the key it
    /// wraps. Refused once the store holds data, which would stay in the clear.
    public func encrypt(with cipher: any StoreCipher, wrappedKey: String) throws {
        try writeTransaction {
            let held =
                try database.scalarInt(
                    """
                    SELECT (SELECT count(*) FROM entities) + (SELECT count(*) FROM audit)
                        + (SELECT count(*) FROM meta WHERE key IN (?, ?, ?, ?))
                    """,
                    Self.secretSettings.map { .text($0) } + [.text(Self.encryptionKeyName)]) ?? 0
            guard held == 0 else { throw StoreError.alreadyHoldsData }
            try setMeta(Self.encryptionKeyName, wrappedKey)
        }
        isEncrypted = true
        self.cipher = cipher
    }

    /// Sets the cipher of an encrypted store: `cipher` must hold the data
    /// key `encryptionKey()` wraps (the station unwraps it with the passphrase).
    public func unlock(with cipher: any StoreCipher) {
        precondition(isEncrypted, "only an encrypted store is unlocked")
        self.cipher = cipher
    }

    /// Replaces the wrapped data key (the passphrase changed; the data key,
    /// and so every sealed value, stays). The old wrapping is overwritten in
    /// the file and its log, so the old passphrase no longer opens this file;
    /// copies made before still open with it.
    public func replaceEncryptionKey(_ wrappedKey: String) throws {
        guard isEncrypted else { throw StoreError.notEncrypted }
        // Zeroes the freed space of the rewritten page, and the truncating
        // checkpoint leaves no earlier copy of the page in the log.
        try database.execute("PRAGMA secure_delete = ON")
        defer { try? database.execute("PRAGMA secure_delete = OFF") }
        try writeTransaction { try setMeta(Self.encryptionKeyName, wrappedKey) }
        try checkpoint()
    }

    // MARK: - Sealed columns

    /// Settings that are secrets: the station's token, its signing key, and
    /// the clerk's name (the audit trail's names are sealed too).
    static let secretSettings = [StationSettings.Key.token, StationSettings.Key.clerk, SyncCheckpoint.Key.signingKey]

    func requireCipher() throws -> any StoreCipher {
        guard let cipher else { throw StoreError.locked }
        return cipher
    }

    /// Where a sealed value is stored, as its binding: parts joined by NUL.
    private static func binding(_ parts: String...) -> [UInt8] { binding(parts) }

    private static func binding(_ parts: [String]) -> [UInt8] {
        Array(parts.joined(separator: "\u{0}").utf8)
    }

    /// A state's JSON as stored: sealed, bound to its row, in an encrypted store.
    func sealState(_ json: [UInt8], kind: EntityKind, id: String) throws -> [UInt8] {
        guard isEncrypted else { return json }
        return try Self.sealState(json, kind: kind, id: id, cipher: try requireCipher())
    }

    private static func sealState(_ json: [UInt8], kind: EntityKind, id: String, cipher: any StoreCipher) throws
        -> [UInt8]
    {
        try cipher.seal(json, binding: binding("entities.state", kind.rawValue, id))
    }

    /// A stored state's JSON, opened in an encrypted store.
    func openState(_ stored: [UInt8], kind: EntityKind, id: String) throws -> [UInt8] {
        guard isEncrypted else { return stored }
        let cipher = try requireCipher()
        do {
            return try cipher.open(stored, binding: Self.binding("entities.state", kind.rawValue, id))
        } catch {
            throw StoreError.corrupt(kind: kind, id: id, reason: "it does not decrypt")
        }
    }

    /// The state in column `state` of `row`, opened; `kind` and `id` are the
    /// columns naming its entity, read only when the store is encrypted.
    func openState(_ row: any StoreRow, state: Int32, kind: Int32, id: Int32) throws -> [UInt8] {
        let stored = row.blob(state)
        guard isEncrypted else { return stored }
        return try openState(
            stored, kind: EntityKind(rawValue: row.text(kind) ?? "") ?? .record, id: row.text(id) ?? "")
    }

    /// The `clerk` and `fields` columns of an audit row, sealed in an
    /// encrypted store (bound to the write they describe).
    func auditColumns(kind: EntityKind, id: String, counter: UInt64, clerk: String?, fields: String) throws -> (
        clerk: DatabaseValue, fields: DatabaseValue
    ) {
        guard isEncrypted else { return (.optional(clerk), .text(fields)) }
        return try Self.sealAudit(
            kind: kind, id: id, write: (nodeID, counter, clerk, fields), cipher: try requireCipher())
    }

    private static func sealAudit(
        kind: EntityKind, id: String, write: (node: String, counter: UInt64, clerk: String?, fields: String),
        cipher: any StoreCipher
    ) throws -> (clerk: DatabaseValue, fields: DatabaseValue) {
        let names = [kind.rawValue, id, write.node, String(write.counter)]
        let sealedClerk = try write.clerk.map {
            DatabaseValue.blob(try cipher.seal(Array($0.utf8), binding: binding(["audit.clerk"] + names)))
        }
        let sealedFields = try cipher.seal(Array(write.fields.utf8), binding: binding(["audit.fields"] + names))
        return (sealedClerk ?? .null, .blob(sealedFields))
    }

    /// A new entity's state and audit columns as stored, sealed by `cipher`
    /// (nil: a store that is not encrypted), away from the store: for
    /// `NewRecordBuilder`, which may run on another thread.
    static func seal(
        _ cipher: (any StoreCipher)?, state json: [UInt8], kind: EntityKind, id: String,
        audit write: (node: String, counter: UInt64, clerk: String?, fields: String)
    ) throws -> (state: [UInt8], clerk: DatabaseValue, fields: DatabaseValue) {
        guard let cipher else { return (json, .optional(write.clerk), .text(write.fields)) }
        let audit = try sealAudit(kind: kind, id: id, write: write, cipher: cipher)
        return (try sealState(json, kind: kind, id: id, cipher: cipher), audit.clerk, audit.fields)
    }

    /// A secret setting: stored sealed (a blob) in an encrypted store.
    func secretMeta(_ key: String) throws -> String? {
        guard isEncrypted else { return try meta(key) }
        guard let stored = try database.first("SELECT value FROM meta WHERE key = ?", [.text(key)], { $0.blob(0) })
        else { return nil }
        let cipher = try requireCipher()
        do {
            return String(decoding: try cipher.open(stored, binding: Self.binding("meta", key)), as: UTF8.self)
        } catch {
            throw StoreError.damagedSetting(key)
        }
    }

    func setSecretMeta(_ key: String, _ value: String?) throws {
        guard isEncrypted, let value else { return try setMeta(key, value) }
        let sealed = try requireCipher().seal(Array(value.utf8), binding: Self.binding("meta", key))
        try database.run(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [.text(key), .blob(sealed)])
    }
}
