import SyncModel

/// Seals and opens the values an encrypted station's store keeps secret:
/// entity states, the audit trail's clerks and field lists, and the secrets
/// in `meta`. The store runs no cryptography of its own; the station sets
/// one (AES-256-GCM, in SyncSupport) after opening an encrypted file.
///
/// `binding` names where the value is stored (its column and row). A sealed
/// value opens only with the binding it was sealed with, so one copied into
/// another row or column is refused rather than read as that row's.
public protocol StoreCipher: Sendable {
    /// `plaintext` sealed: unreadable, and tamper-evident, without the key.
    func seal(_ plaintext: [UInt8], binding: [UInt8]) throws -> [UInt8]
    /// The plaintext of `sealed`; throws when it was altered, sealed under
    /// another key, or sealed with another binding.
    func open(_ sealed: [UInt8], binding: [UInt8]) throws -> [UInt8]
}
