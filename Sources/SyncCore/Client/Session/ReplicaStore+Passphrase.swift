import SyncModel
import SyncStore
import SyncSupport

/// The store's cipher: SyncSupport's AES-256-GCM under the data key (the
/// store itself runs no cryptography).
struct DataKeyCipher: StoreCipher {
    let key: DataKey

    func seal(_ plaintext: [UInt8], binding: [UInt8]) throws -> [UInt8] {
        try key.seal(plaintext, binding: binding)
    }

    func open(_ sealed: [UInt8], binding: [UInt8]) throws -> [UInt8] {
        try key.open(sealed, binding: binding)
    }
}

/// A station's store encrypted at rest under the clerk's passphrase.
extension ReplicaStore {
    /// Makes this new, empty store an encrypted one: a new random data key,
    /// wrapped under `passphrase`. Everything written from now on is sealed.
    public func encrypt(passphrase: String, cost: WrappedDataKey.Cost = .standard) throws {
        let key = DataKey()
        let wrapped = try WrappedDataKey.wrap(key, passphrase: passphrase, cost: cost)
        try encrypt(with: DataKeyCipher(key: key), wrappedKey: wrapped.text)
    }

    /// Opens an encrypted store's data key with `passphrase` (nothing to do
    /// for a plain store). Throws `PassphraseError`, having changed nothing,
    /// when the passphrase is wrong or the key record damaged.
    public func unlock(passphrase: String) throws {
        guard let text = try encryptionKey() else { return }
        let key = try WrappedDataKey(text: text).unwrap(passphrase: passphrase)
        unlock(with: DataKeyCipher(key: key))
    }

    /// Wraps the data key of this unlocked store (unlocking checked the old
    /// passphrase) under `new` instead: nothing else is rewritten, and
    /// nothing needs syncing again.
    public func changePassphrase(to new: String, cost: WrappedDataKey.Cost = .standard) throws {
        guard isEncrypted else { throw StoreError.notEncrypted }
        guard let cipher = cipher as? DataKeyCipher else { throw StoreError.locked }
        try replaceEncryptionKey(WrappedDataKey.wrap(cipher.key, passphrase: new, cost: cost).text)
    }
}
